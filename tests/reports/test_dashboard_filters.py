"""The dashboard's filters in Chromium, on the sample publication: choosing a period (a week
too), a tier, a district, an agency or typing in the ranking search changes the figures shown
to the marts' figures of that selection; months read T3/2024, numbers are right-aligned, no
code or English check name is shown, and the page prints without its filter bar. The 766
sections follow the period filter too (a past month shows that month's marts; a quarter its
own indicators; a week or a half-year the month standing for it, with a note), their labels
are the seed's, and the current, unfinished week says that it has not ended.

Screenshots: tests/artifacts/dashboard_filter_*.png, dashboard_print.png, dashboard_766*.png,
dashboard_partial_week.png."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date, timedelta

import duckdb
import pytest

import publish.reports.labels as labels_module
from orchestration.settings import DBT_PROJECT_DIR
from publish.publication import MARTS_DB
from publish.reports import write_reports
from publish.reports.labels import (
    HEADLINE_KPIS,
    fmt_decimal,
    fmt_int,
    fmt_pct,
    labels_766,
    period_text,
)
from publish.reports.marts import Marts

HEADLINE_PERIOD = ("half", "2024-H1")


def section_shot(page, selector: str, path) -> None:
    """A section's screenshot without the sticky filter bar drawn over it."""
    page.add_style_tag(content=".filters { position: static; }")
    page.locator(selector).screenshot(path=str(path))


@pytest.fixture
def page(reports_publication, browser):
    folder, _, _ = reports_publication
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto((folder / "reports" / "dashboard.html").as_uri(), wait_until="load", timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')].every(c => c.querySelector('svg.main-svg'))",
        timeout=30_000,
    )
    yield page
    assert problems == []
    page.close()


def marts_kpis(marts_db, level: str, unit_code: str, period_type: str, period: str) -> dict:
    with duckdb.connect(str(marts_db), read_only=True) as con:
        return {
            code: (value, numerator, denominator)
            for code, value, numerator, denominator in con.execute(
                "select kpi_code, value, numerator, denominator from marts.kpi_values "
                "where level = ? and unit_code = ? and period_type = ? and period = ?",
                [level, unit_code, period_type, period],
            ).fetchall()
        }


def shown_cards(page) -> dict:
    """kpi code → (data-value, text, detail) of the headline cards."""
    return {
        code: (value, text, detail)
        for code, value, text, detail in page.eval_on_selector_all(
            "[data-card]",
            "els => els.map(e => { const k = e.querySelector('[data-kpi]');"
            " return [e.dataset.card, k.dataset.value, k.textContent, e.querySelector('.detail').textContent]; })",
        )
    }


def assert_cards_show(page, expected: dict) -> None:
    cards = shown_cards(page)
    for code in HEADLINE_KPIS:
        value, text, detail = cards[code]
        if code not in expected or expected[code][0] is None:
            assert value == "" and text == "–", (code, cards[code])
            continue
        wanted, numerator, denominator = expected[code]
        assert float(value) == pytest.approx(wanted, abs=1e-12), code
        assert text == fmt_pct(wanted), code
        assert detail == f"{fmt_int(numerator)} / {fmt_int(denominator)} hồ sơ", code


def visible_ranking_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#ranking-table tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.unit)"
    )


def ranking_bars(page, code: str) -> list[str]:
    return page.eval_on_selector_all(
        f'div[data-chart="chart-agency-{code}"] g.ytick text', "els => els.map(e => e.textContent)"
    )


def test_the_default_view_is_the_headline_period_of_the_province(page, marts_db):
    assert page.input_value("#f-period") == "|".join(HEADLINE_PERIOD)
    assert_cards_show(page, marts_kpis(marts_db, "province", "24", *HEADLINE_PERIOD))
    assert page.locator("[data-notice]").first.is_visible()


def test_a_week_shows_that_weeks_province_figures(page, marts_db, artifacts):
    with duckdb.connect(str(marts_db), read_only=True) as con:
        (week,) = con.execute(
            "select max(period) from marts.kpi_values where period_type = 'week' and level = 'province'"
        ).fetchone()
    page.select_option("#f-period", f"week|{week}")
    assert page.get_attribute("#period", "data-period") == week
    assert_cards_show(page, marts_kpis(marts_db, "province", "24", "week", week))
    # the notice belongs to 2024-H1 of the province only
    assert not page.locator("[data-notice]").first.is_visible()
    # the week is the latest point of the weekly trend, named as a week, never 2024-W16
    ticks = page.eval_on_selector_all(
        'div[data-chart="chart-weekly-rates"] g.xtick text', "els => els.map(e => e.textContent)"
    )
    year, number = week.split("-W")
    assert ticks[-1] == f"Tuần {int(number)}/{year}"
    page.screenshot(path=str(artifacts / "dashboard_filter_week.png"), full_page=False)


def test_months_read_t3_2024(page):
    ticks = page.eval_on_selector_all(
        'div[data-chart="chart-monthly-rates"] g.xtick text', "els => els.map(e => e.textContent)"
    )
    assert ticks == ["T3/2024", "T4/2024"]
    page.select_option("#f-period", "month|2024-03")
    assert page.inner_text("#period").startswith("Tháng 03/2024")
    # (file paths of the data-quality section, dossier_system/2024-04-03/…, keep their dates)
    for section in ("#headline", "#trends", "#rankings", "#portal-766", "#reconciliation"):
        text = page.inner_text(section)
        assert not re.search(r"\b2024-0[1-9]\b", text), (section, "months are written T3/2024, never 2024-03")


def test_a_tier_shows_the_tiers_figures(page, marts_db):
    page.select_option("#f-tier", "xa")
    assert_cards_show(page, marts_kpis(marts_db, "tier", "xa", *HEADLINE_PERIOD))
    assert page.inner_text("#scope-label") == "Cấp xã"
    assert not page.locator("[data-notice]").first.is_visible()


def test_a_district_shows_its_figures_and_only_its_agencies(page, marts_db, artifacts):
    with duckdb.connect(str(marts_db), read_only=True) as con:
        district, name = con.execute(
            "select unit_code, unit_name from marts.kpi_values where level = 'district' "
            "and period_type = ? and period = ? order by unit_code limit 1",
            list(HEADLINE_PERIOD),
        ).fetchone()
        members = {
            code for (code,) in con.execute(
                "select distinct d.agency_code from marts.dossiers d join marts.kpi_values k "
                "on k.unit_code = d.agency_code and k.level = 'agency' and k.period_type = ? and k.period = ? "
                "where d.district_code = ?",
                [*HEADLINE_PERIOD, district],
            ).fetchall()
        }
    page.select_option("#f-district", district)
    assert_cards_show(page, marts_kpis(marts_db, "district", district, *HEADLINE_PERIOD))
    assert page.inner_text("#scope-label") == name
    assert set(visible_ranking_rows(page)) == members
    agencies = page.eval_on_selector_all("#f-agency option", "os => os.map(o => o.value).filter(v => v)")
    assert set(agencies) == members
    section_shot(page, "#rankings", artifacts / "dashboard_filter_district.png")


def test_an_agency_shows_its_figures_its_rank_and_its_trend(page, marts_db, artifacts):
    with duckdb.connect(str(marts_db), read_only=True) as con:
        agency, name = con.execute(
            "select unit_code, unit_name from marts.kpi_values where level = 'agency' and period_type = ? "
            "and period = ? and kpi_code = 'on_time_rate' order by denominator desc, unit_code limit 1",
            list(HEADLINE_PERIOD),
        ).fetchone()
        ranked = con.execute(
            "select unit_code from marts.kpi_values where level = 'agency' and period_type = ? and period = ? "
            "and kpi_code = 'on_time_rate' and denominator > 0 order by value desc, denominator desc",
            list(HEADLINE_PERIOD),
        ).fetchall()
        march = marts_kpis(marts_db, "agency", agency, "month", "2024-03")
    page.select_option("#f-agency", agency)
    expected = marts_kpis(marts_db, "agency", agency, *HEADLINE_PERIOD)
    assert_cards_show(page, expected)
    assert page.inner_text("#scope-label") == name
    assert page.get_attribute("#ranking-table tr.selected", "data-unit") == agency
    if page.locator(f'#portal-766-agencies tr[data-agency="{agency}"]').count():
        assert page.get_attribute("#portal-766-agencies tr.selected", "data-agency") == agency
    position = [code for (code,) in ranked].index(agency) + 1
    assert f"hạng {position}/{len(ranked)}" in page.inner_text("#rank-note-on_time_rate")
    # the monthly trend is the agency's: its March on-time rate is the first point
    first_point = page.evaluate(
        "() => document.getElementById('chart-monthly-rates').data[0].y[0]"
    )
    assert first_point == pytest.approx(march["on_time_rate"][0])
    page.screenshot(path=str(artifacts / "dashboard_filter_agency.png"), full_page=False)


def test_the_ranking_search_filters_the_table(page, marts_db, artifacts):
    with duckdb.connect(str(marts_db), read_only=True) as con:
        rows = con.execute(
            "select unit_code, unit_name, value from marts.kpi_values where level = 'agency' and period_type = ? "
            "and period = ? and kpi_code = 'on_time_rate'",
            list(HEADLINE_PERIOD),
        ).fetchall()
    total = len(visible_ranking_rows(page))
    assert total == len(rows)
    page.fill("#ranking-search", "tu phap")  # no diacritics: "Sở Tư pháp" is found
    wanted = {code for code, name, _ in rows if "tư pháp" in name.lower()}
    assert wanted and set(visible_ranking_rows(page)) == wanted
    assert page.inner_text("#ranking-count") == f"Hiển thị {len(wanted)}/{total} cơ quan"
    code = next(iter(wanted))
    value = next(v for c, _, v in rows if c == code)
    cell = page.locator(f'#ranking-table tr[data-unit="{code}"] td[data-kpi-cell="on_time_rate"]')
    assert cell.inner_text() == fmt_pct(value)
    assert cell.evaluate("e => getComputedStyle(e).textAlign") == "right"
    section_shot(page, "#ranking-table", artifacts / "dashboard_filter_search.png")
    page.fill("#ranking-search", "")
    assert len(visible_ranking_rows(page)) == total


def test_ranking_hover_is_formatted(page, marts_db):
    with duckdb.connect(str(marts_db), read_only=True) as con:
        name, value, numerator, denominator = con.execute(
            "select unit_name, value, numerator, denominator from marts.kpi_values where level = 'agency' "
            "and period_type = ? and period = ? and kpi_code = 'online_rate' "
            "order by value desc, denominator desc limit 1",
            list(HEADLINE_PERIOD),
        ).fetchone()
    chart = page.locator('div[data-chart="chart-agency-online_rate"]')
    chart.scroll_into_view_if_needed()
    points = chart.locator("g.point")
    box = points.nth(points.count() - 1).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector('div[data-chart="chart-agency-online_rate"] g.hovertext', timeout=5_000)
    hover = chart.locator("g.hovertext text").first.text_content()
    assert hover == f"{name}: {fmt_pct(value)} ({fmt_int(numerator)}/{fmt_int(denominator)})"


def test_numbers_are_right_aligned_and_codes_are_words(page):
    aligned = page.eval_on_selector_all(
        "td.num", "els => els.map(e => getComputedStyle(e).textAlign)"
    )
    assert aligned and set(aligned) == {"right"}
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    text = page.inner_text("main")
    for code in ("missing_on_portal", "no_portal_row", "not_recomputed", "quarantine:", "rows quarantined",
                 "not_null_", "unique_combination", "warn_", "ended_late", "stale_source", "tien_do"):
        assert code not in text, code


def test_the_page_prints_without_its_filters(page, artifacts):
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert page.locator("#print-filters").is_visible()
    assert page.inner_text("#print-filters").startswith("Bộ lọc — Kỳ: 6 tháng đầu năm 2024")
    page.screenshot(path=str(artifacts / "dashboard_print.png"), full_page=False)
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf[:4] == b"%PDF"
    page.emulate_media(media="screen")


# --- the 766 sections follow the period filter -------------------------------------------------

PORTAL_766_MARTS = {"portal_766_scores", "portal_766_indicators", "portal_766_dossiers"}
SEED_766_LABELS = DBT_PROJECT_DIR / "seeds" / "portal_766_indicator_labels.csv"
SEED_CODES = DBT_PROJECT_DIR / "seeds" / "codes.csv"


def require_766(marts_db) -> None:
    with duckdb.connect(str(marts_db), read_only=True) as con:
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
    if not PORTAL_766_MARTS <= tables:
        pytest.skip("the sample publication has no portal_766 marts yet")


def marts_766(marts_db, period_type: str, period: str, groups_month: str | None) -> dict:
    """What the 766 sections should show for one portal period, straight from the marts."""
    with duckdb.connect(str(marts_db), read_only=True) as con:
        groups = dict(con.execute(
            "select group_code, recomputed_points from marts.portal_766_scores where level = 'province' and period = ?",
            [groups_month]).fetchall()) if groups_month else {}
        indicators = con.execute(
            "select indicator_code, points_lost, rate from marts.portal_766_indicators where level = 'province' "
            "and period_type = ? and period = ? order by points_lost desc nulls last, indicator_code",
            [period_type, period]).fetchall()
        own = dict(con.execute(
            "select unit_code, value from marts.kpi_values where level = 'agency' and period_type = ? "
            "and period = ? and kpi_code = 'progress_766'", [period_type, period]).fetchall())
        rule = dict(con.execute(
            "select unit_code, rate from marts.portal_766_indicators where level = 'agency' and period_type = ? "
            "and period = ? and indicator_code = '2.1'", [period_type, period]).fetchall())
        late = {(a, r): n for a, r, n in con.execute(
            "select agency_code, reason, count(*) from marts.portal_766_dossiers where period_type = 'month' "
            "and period = ? and not is_on_time group by all", [period]).fetchall()} if period_type == "month" else {}
    return {"groups": groups, "indicators": indicators, "own": own, "rule": rule, "late": late}


def assert_766_shows(page, expected: dict, monthly: bool) -> None:
    """The 766 sections' numbers (their data attributes) are ``expected`` (marts_766)."""
    section = page.locator("#portal-766")
    shown_groups = dict(section.locator("td[data-group]").evaluate_all(
        "els => els.map(e => [e.dataset.group, e.parentNode.querySelector('[data-recomputed]').dataset.recomputed])"))
    assert set(shown_groups) == set(expected["groups"])
    for code, value in expected["groups"].items():
        assert (shown_groups[code] == "" if value is None else float(shown_groups[code]) == pytest.approx(value)), code
    shown_indicators = section.locator("td[data-indicator]").evaluate_all(
        "els => els.map(e => [e.dataset.indicator, e.parentNode.querySelector('[data-points-lost]').dataset.pointsLost,"
        " e.parentNode.querySelector('[data-rate]').dataset.rate])")
    assert [code for code, *_ in shown_indicators] == [code for code, *_ in expected["indicators"]]
    for (code, lost, rate), (_, want_lost, want_rate) in zip(shown_indicators, expected["indicators"], strict=True):
        assert (lost == "" if want_lost is None else float(lost) == pytest.approx(want_lost)), code
        assert (rate == "" if want_rate is None else float(rate) == pytest.approx(want_rate)), code
    rows = section.locator("#portal-766-agencies tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.agency, r.querySelector('[data-own]').dataset.own,"
        " r.querySelector('[data-portal-rule]').dataset.portalRule,"
        " Object.fromEntries([...r.querySelectorAll('[data-reason]')].map(c => [c.dataset.reason, c.textContent]))])")
    own, rule = expected["own"], expected["rule"]
    assert {code for code, *_ in rows} == set(own) | set(rule)
    for code, own_value, rule_value, reasons in rows:
        assert (own_value == "" if own.get(code) is None else float(own_value) == pytest.approx(own[code])), code
        assert (rule_value == "" if rule.get(code) is None else float(rule_value) == pytest.approx(rule[code])), code
        assert bool(reasons) == monthly, code
        for reason, count in reasons.items():
            assert count == fmt_int(expected["late"].get((code, reason), 0)), (code, reason)
    # the portal's points and reasons are monthly: their columns only for a month
    monthly_headers = section.locator("#portal-766-agencies th.p766-monthly")
    assert monthly_headers.count() == 5
    assert all(monthly_headers.nth(i).is_visible() == monthly for i in range(5))
    assert page.locator("#p766-monthly-only").is_visible() == (not monthly)


def portal_months(marts_db, scored_only: bool = False) -> list[str]:
    """The months with 766 figures (indicators or group scores), or with group scores only."""
    with duckdb.connect(str(marts_db), read_only=True) as con:
        return [m for (m,) in con.execute(
            "select period from marts.portal_766_scores where level = 'province' "
            + ("" if scored_only else "union select period from marts.portal_766_indicators "
               "where level = 'province' and period_type = 'month' ")
            + "order by period").fetchall()]


def test_the_766_sections_show_the_marts(reports_publication, page, marts_db, artifacts):
    """The default view (6 tháng đầu năm 2024, a period the 766 marts do not have) shows the
    latest month with 766 figures within it, and says so above the section."""
    require_766(marts_db)
    month = portal_months(marts_db)[-1]
    assert page.get_attribute("#portal-766", "data-period766") == month
    assert_766_shows(page, marts_766(marts_db, "month", month, month), monthly=True)
    year, number = month.split("-")
    assert page.inner_text("#p766-period") == f"Tháng {number}/{year}"
    assert page.inner_text("#p766-choice") == (
        "Chỉ số 766 được tính theo tháng, quý và năm, không theo kỳ 6 tháng: số liệu dưới đây là của "
        f"tháng {number}/{year}, tháng mới nhất có số liệu 766 trong 6 tháng đầu năm 2024."
    )
    assert "Yêu cầu bổ sung quá một lần" in page.inner_text("#portal-766")
    section_shot(page, "#portal-766", artifacts / "dashboard_766.png")


def test_a_past_month_shows_that_months_766_figures(page, marts_db, artifacts):
    require_766(marts_db)
    months = portal_months(marts_db)
    if len(months) < 2:
        pytest.skip("the sample publication has 766 figures of one month only")
    past, latest = months[0], months[-1]
    before = page.locator("#portal-766 td[data-recomputed]").evaluate_all("els => els.map(e => e.dataset.recomputed)")
    page.select_option("#f-period", f"month|{past}")
    assert page.get_attribute("#portal-766", "data-period766") == past
    expected = marts_766(marts_db, "month", past, past)
    assert_766_shows(page, expected, monthly=True)
    year, number = past.split("-")
    assert page.inner_text("#p766-period") == f"Tháng {number}/{year}"
    assert not page.locator("#p766-choice").is_visible()  # the month itself: nothing to explain
    after = page.locator("#portal-766 td[data-recomputed]").evaluate_all("els => els.map(e => e.dataset.recomputed)")
    if marts_766(marts_db, "month", latest, latest)["groups"] != expected["groups"]:
        assert after != before, "the 766 numbers must change with the month"
    # the group chart is the month's too
    title = page.evaluate("() => document.getElementById('chart-766-groups').layout.title.text")
    assert title.endswith(f"T{int(number)}/{year}")
    section_shot(page, "#portal-766", artifacts / "dashboard_766_past_month.png")
    # and back to the latest month
    page.select_option("#f-period", f"month|{latest}")
    assert_766_shows(page, marts_766(marts_db, "month", latest, latest), monthly=True)


def test_a_quarter_shows_its_own_indicators_and_its_latest_months_groups(page, marts_db, artifacts):
    require_766(marts_db)
    with duckdb.connect(str(marts_db), read_only=True) as con:
        found = con.execute(
            "select period from marts.portal_766_indicators where level = 'province' and period_type = 'quarter' "
            "order by period desc limit 1").fetchone()
    if found is None:
        pytest.skip("no quarter in portal_766_indicators")
    quarter = found[0]
    year, number = quarter.split("-Q")
    months = [m for m in portal_months(marts_db, scored_only=True)
              if m[:4] == year and (int(m[5:]) - 1) // 3 + 1 == int(number)]
    page.select_option("#f-period", f"quarter|{quarter}")
    assert page.get_attribute("#portal-766", "data-period766") == quarter
    assert_766_shows(page, marts_766(marts_db, "quarter", quarter, months[-1] if months else None), monthly=False)
    assert page.inner_text("#p766-period") == f"Quý {['I', 'II', 'III', 'IV'][int(number) - 1]} năm {year}"
    if months:
        y, m = months[-1].split("-")
        assert f"điểm theo nhóm dưới đây là của tháng {m}/{y}" in page.inner_text("#p766-choice")
    section_shot(page, "#portal-766", artifacts / "dashboard_766_quarter.png")


def test_a_week_shows_the_766_figures_of_its_month_and_says_so(page, marts_db):
    require_766(marts_db)
    with duckdb.connect(str(marts_db), read_only=True) as con:
        week, end = con.execute(
            "select period, period_end from marts.bieu_06 where period_type = 'week' order by period desc limit 1"
        ).fetchone()
    month = f"{end:%Y-%m}"
    page.select_option("#f-period", f"week|{week}")
    assert page.get_attribute("#portal-766", "data-period766") == month
    assert_766_shows(page, marts_766(marts_db, "month", month, month), monthly=True)
    assert page.inner_text("#p766-choice") == (
        "Chỉ số 766 được tính theo tháng, quý và năm, không theo tuần: số liệu dưới đây là của "
        f"tháng {end:%m/%Y}, tháng có ngày cuối của tuần đã chọn."
    )


def test_the_766_labels_are_the_seeds(page, marts_db):
    """The indicators are named as the seed portal_766_indicator_labels.csv names them (through
    dim_kpis), the groups as the publication's lookups name them (labels_766)."""
    require_766(marts_db)
    with open(SEED_766_LABELS, encoding="utf-8", newline="") as handle:
        seed = {row["indicator_code"]: row["label_vi"] for row in csv.DictReader(handle)}
    with duckdb.connect(str(marts_db), read_only=True) as con:
        published = dict(con.execute(
            "select kpi_code, label_vi from marts.dim_kpis where source = 'portal_766.md'").fetchall())
    assert {code: label for code, label in published.items() if code in seed} == {
        code: seed[code] for code in published if code in seed}
    shown = page.locator("#portal-766 td[data-indicator]").evaluate_all(
        "els => els.map(e => [e.dataset.indicator, e.textContent, e.nextElementSibling.textContent])")
    assert shown
    with Marts(marts_db) as marts:
        labels = labels_766(marts)
    for code, text, group in shown:
        assert text == f"{code} {seed[code]}", code
        assert group == labels["group"].get(group_of(marts_db, code)), code
    groups = page.locator("#portal-766 td[data-group]").evaluate_all(
        "els => els.map(e => [e.dataset.group, e.textContent])")
    assert groups and all(text == labels["group"][code] for code, text in groups)
    with open(SEED_CODES, encoding="utf-8", newline="") as handle:
        seeded_groups = {row["code"]: row["label_vi"] for row in csv.DictReader(handle)
                         if row["code_type"] == "group_766"}
    assert labels["group"] == seeded_groups  # the six groups and the total, from codes.csv
    assert not any(name.startswith(("INDICATOR_766_LABELS", "GROUP_766_LABELS")) for name in vars(labels_module))


def group_of(marts_db, indicator: str) -> str:
    with duckdb.connect(str(marts_db), read_only=True) as con:
        return con.execute(
            "select any_value(group_code) from marts.portal_766_indicators where indicator_code = ?", [indicator]
        ).fetchone()[0]


def test_a_label_missing_from_the_lookups_shows_the_code(reports_publication, tmp_path):
    """A publication whose dim_kpis lacks an indicator's label shows the code itself; a
    group_766 row of dim_codes names its group, and a group without one shows its code."""
    require_766(reports_publication[0] / MARTS_DB)
    folder = tmp_path / "publication"
    shutil.copytree(reports_publication[0], folder)
    with duckdb.connect(str(folder / MARTS_DB)) as con:
        con.execute("delete from marts.dim_kpis where kpi_code = '2.1'")
        con.execute("update marts.dim_codes set label_vi = 'Tiến độ (nhãn của dim_codes)' "
                    "where code_type = 'group_766' and code = 'tien_do'")
        con.execute("delete from marts.dim_codes where code_type = 'group_766' and code = 'so_hoa'")
    write_reports(folder)
    html = (folder / "reports" / "dashboard.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="dashboard-data">')
    data = json.loads(html[html.index(">", start) + 1:html.index("</script>", start)])
    assert data["p766"]["indicatorLabels"]["2.1"] == "2.1"
    assert data["p766"]["groupLabels"]["tien_do"] == "Tiến độ (nhãn của dim_codes)"
    assert data["p766"]["groupLabels"].get("so_hoa", "so_hoa") == "so_hoa"  # no label: the code
    with open(SEED_766_LABELS, encoding="utf-8", newline="") as handle:
        seed = {row["indicator_code"]: row["label_vi"] for row in csv.DictReader(handle)}
    assert all(seed[code] == label for code, label in data["p766"]["indicatorLabels"].items() if code != "2.1")


# --- the current, partial period says so ---------------------------------------------------------

def test_the_current_week_says_it_has_not_ended(page, marts_db, artifacts):
    """data_through (22/04/2024) is the Monday of ISO week 17: that week reads 'ngày 22/04/2024,
    tuần chưa kết thúc', never '22/04/2024 – 22/04/2024'; a whole week reads as before."""
    data_through = date.fromisoformat(page.get_attribute("#data-through", "data-value"))
    year, week, _ = data_through.isocalendar()
    page.select_option("#f-period", f"week|{year}-W{week:02d}")
    expected = period_text("week", f"{year}-W{week:02d}", data_through - timedelta(days=data_through.weekday()),
                           data_through, data_through)
    assert page.inner_text("#period") == expected
    if data_through.weekday() == 0:
        assert expected == f"Tuần {week} năm {year} (ngày {data_through:%d/%m/%Y}, tuần chưa kết thúc)"
    else:
        assert expected.endswith(", tuần chưa kết thúc)") and expected.count(" đến ") == 1
    assert expected in page.eval_on_selector_all("#f-period option", "os => os.map(o => o.textContent)")
    page.add_style_tag(content=".filters { position: static; }")
    page.locator("header").screenshot(path=str(artifacts / "dashboard_partial_week.png"))
    previous = data_through - timedelta(days=7)
    py, pw, _ = previous.isocalendar()
    monday = previous - timedelta(days=previous.weekday())
    page.select_option("#f-period", f"week|{py}-W{pw:02d}")
    assert page.inner_text("#period") == (
        f"Tuần {pw} năm {py} ({monday:%d/%m/%Y} – {monday + timedelta(days=6):%d/%m/%Y})")
    # the month and the half-year that hold data_through say it too; a whole month does not
    page.select_option("#f-period", "month|2024-04")
    assert page.inner_text("#period") == "Tháng 04/2024 (từ 01/04/2024 đến 22/04/2024, tháng chưa kết thúc)"
    page.select_option("#f-period", "month|2024-03")
    assert page.inner_text("#period").endswith("(01/03/2024 – 31/03/2024)")


@pytest.mark.parametrize(("args", "text"), [
    (("week", "2024-W17", date(2024, 4, 22), date(2024, 4, 22), date(2024, 4, 22)),
     "Tuần 17 năm 2024 (ngày 22/04/2024, tuần chưa kết thúc)"),
    (("week", "2024-W17", date(2024, 4, 22), date(2024, 4, 24), date(2024, 4, 24)),
     "Tuần 17 năm 2024 (từ 22/04/2024 đến 24/04/2024, tuần chưa kết thúc)"),
    (("week", "2024-W16", date(2024, 4, 15), date(2024, 4, 21), date(2024, 4, 22)),
     "Tuần 16 năm 2024 (15/04/2024 – 21/04/2024)"),
    (("week", "2024-W17", date(2024, 4, 22), date(2024, 4, 28), date(2024, 4, 28)),
     "Tuần 17 năm 2024 (22/04/2024 – 28/04/2024)"),
    (("quarter", "2024-Q2", date(2024, 4, 1), date(2024, 4, 22), date(2024, 4, 22)),
     "Quý II năm 2024 (từ 01/04/2024 đến 22/04/2024, quý chưa kết thúc)"),
    (("year", "2024", date(2024, 1, 1), date(2024, 12, 31), date(2024, 12, 31)), "Năm 2024 (01/01/2024 – 31/12/2024)"),
    # a past period whose rows end early (no dossier after) is not the current one
    (("year", "2024", date(2024, 1, 1), date(2024, 4, 22), date(2025, 12, 31)), "Năm 2024 (01/01/2024 – 22/04/2024)"),
])
def test_period_text(args, text):
    assert period_text(*args) == text


def test_the_scorecard_shows_the_766_groups(reports_publication, marts_db):
    from rich.console import Console

    from publish.reports.scorecard import portal_766_table

    table = portal_766_table(marts_db)
    with duckdb.connect(str(marts_db), read_only=True) as con:
        has = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts' "
            "and table_name = 'portal_766_scores'").fetchone()[0]
        if not has:
            assert table is None
            return
        rows = con.execute(
            "select group_code, recomputed_points from marts.portal_766_scores where level = 'province' "
            "and period = (select max(period) from marts.portal_766_scores where level = 'province')").fetchall()
    console = Console(record=True, width=200)
    console.print(table)
    text = console.export_text()
    assert "Điểm 766 toàn tỉnh theo quy tắc Cổng DVCQG" in text
    assert "Tiến độ giải quyết" in text and "Tổng điểm" in text
    for _, points in rows:
        if points is not None:
            assert fmt_decimal(points) in text


def test_an_agency_counting_another_agencys_dossiers_shows_no_difference(reports_publication, browser, tmp_path):
    """When the portal counts under an agency the dossiers of one that ended before the
    period's end, the portal rule's 2.1 has a larger denominator than the agency's own
    progress_766: the two rates are of different dossiers, so the table shows no difference
    ("khác tập hồ sơ*", with the note), ranks the row last, and still shows both rates."""
    require_766(reports_publication[0] / MARTS_DB)
    folder = tmp_path / "publication"
    shutil.copytree(reports_publication[0], folder)
    month = portal_months(folder / MARTS_DB)[-1]
    with duckdb.connect(str(folder / MARTS_DB)) as con:
        agency, numerator, denominator = con.execute(
            "select unit_code, numerator, denominator from marts.portal_766_indicators where level = 'agency' "
            "and indicator_code = '2.1' and period_type = 'month' and period = ? order by unit_code limit 1",
            [month],
        ).fetchone()
        # as if a predecessor's dossier (on time) had been added to the agency's row
        con.execute(
            "update marts.portal_766_indicators set denominator = denominator + 1, numerator = numerator + 1, "
            "rate = (numerator + 1) / (denominator + 1) where level = 'agency' and indicator_code = '2.1' "
            "and period_type = 'month' and period = ? and unit_code = ?",
            [month, agency],
        )
    write_reports(folder)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto((folder / "reports" / "dashboard.html").as_uri(), wait_until="load", timeout=60_000)
        page.select_option("#f-period", f"month|{month}")
        rows = page.locator("#portal-766-agencies tbody tr").evaluate_all(
            "rows => rows.map(r => [r.dataset.agency, r.querySelector('[data-diff]').textContent,"
            " r.querySelector('[data-diff]').dataset.sameDossiers, r.querySelector('[data-portal-rule]').dataset.portalRule])")
        by_code = {code: (text, same, rule) for code, text, same, rule in rows}
        assert by_code[agency][:2] == ("khác tập hồ sơ*", "false")
        assert float(by_code[agency][2]) == pytest.approx((numerator + 1) / (denominator + 1))
        assert all(same == "true" for code, (_, same, _) in by_code.items() if code != agency)
        # ranked by the largest difference: a row without one comes after every row with one
        position = [code for code, *_ in rows].index(agency)
        assert all(text in ("–", "khác tập hồ sơ*") for _, text, *_ in rows[position:])
        assert page.locator("#p766-other-dossiers").is_visible()
    finally:
        page.close()
