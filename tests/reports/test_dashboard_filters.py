"""The dashboard's filters in Chromium, on the sample publication: choosing a period (a week
too), a tier, a district, an agency or typing in the ranking search changes the figures shown
to the marts' figures of that selection; months read T3/2024, numbers are right-aligned, no
code or English check name is shown, and the page prints without its filter bar.

Screenshots: tests/artifacts/dashboard_filter_*.png, dashboard_print.png."""

from __future__ import annotations

import re

import duckdb
import pytest

from publish.reports.labels import HEADLINE_KPIS, fmt_decimal, fmt_int, fmt_pct

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


def test_the_766_sections_show_the_marts(reports_publication, page, marts_db, artifacts):
    with duckdb.connect(str(marts_db), read_only=True) as con:
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
        if not {"portal_766_scores", "portal_766_indicators", "portal_766_dossiers"} <= tables:
            pytest.skip("the sample publication has no portal_766 marts yet")
        (month,) = con.execute("select max(period) from marts.portal_766_scores where level = 'province'").fetchone()
        groups = dict(con.execute(
            "select group_code, recomputed_points from marts.portal_766_scores where level = 'province' and period = ?",
            [month]).fetchall())
        lost = [code for (code,) in con.execute(
            "select indicator_code from marts.portal_766_indicators where level = 'province' "
            "and period_type = 'month' and period = ? order by points_lost desc nulls last, indicator_code",
            [month]).fetchall()]
        own = dict(con.execute(
            "select unit_code, value from marts.kpi_values where level = 'agency' and period_type = 'month' "
            "and period = ? and kpi_code = 'progress_766'", [month]).fetchall())
        rule = dict(con.execute(
            "select unit_code, rate from marts.portal_766_indicators where level = 'agency' and period_type = 'month' "
            "and period = ? and indicator_code = '2.1'", [month]).fetchall())
        late = {(a, r): n for a, r, n in con.execute(
            "select agency_code, reason, count(*) from marts.portal_766_dossiers where period_type = 'month' "
            "and period = ? and not is_on_time group by all", [month]).fetchall()}
    section = page.locator("#portal-766")
    shown_groups = dict(section.locator("td[data-group]").evaluate_all(
        "els => els.map(e => [e.dataset.group, e.parentNode.querySelector('[data-recomputed]').dataset.recomputed])"))
    assert set(shown_groups) == set(groups)
    for code, value in groups.items():
        assert (shown_groups[code] == "" if value is None else float(shown_groups[code]) == pytest.approx(value))
    assert section.locator("td[data-indicator]").evaluate_all("els => els.map(e => e.dataset.indicator)") == lost
    rows = section.locator("#portal-766-agencies tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.agency, r.querySelector('[data-own]').dataset.own,"
        " r.querySelector('[data-portal-rule]').dataset.portalRule,"
        " Object.fromEntries([...r.querySelectorAll('[data-reason]')].map(c => [c.dataset.reason, c.textContent]))])")
    assert {code for code, *_ in rows} == set(own) | set(rule)
    for code, own_value, rule_value, reasons in rows:
        if code in own and own[code] is not None:
            assert float(own_value) == pytest.approx(own[code])
        if code in rule and rule[code] is not None:
            assert float(rule_value) == pytest.approx(rule[code])
        for reason, count in reasons.items():
            assert count == fmt_int(late.get((code, reason), 0)), (code, reason)
    assert "Yêu cầu bổ sung quá một lần" in section.inner_text()
    section_shot(page, "#portal-766", artifacts / "dashboard_766.png")


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
