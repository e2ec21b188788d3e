"""dashboard.html opens offline in Chromium, renders every chart, and shows the marts' numbers."""

from __future__ import annotations

import csv
import re
import shutil

import duckdb
import pytest

from publish.publication import MARTS_DB
from publish.reports import write_reports
from publish.reports.labels import HEADLINE_KPIS, NOTICE_H1_2024, province_place

# The sample publication ends on 2024-04-22: the headline period is the first half of 2024, of
# province 24: the notice's figures are shown beside it.
HEADLINE_PERIOD = ("half", "2024-H1")


@pytest.fixture(scope="module")
def dashboard_page(reports_publication, browser):
    folder, _, _ = reports_publication
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    external: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.route(re.compile(r"^(https?|wss?)://"), lambda route: (external.append(route.request.url), route.abort()))
    page.goto((folder / "reports" / "dashboard.html").as_uri(), wait_until="load", timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')]"
        ".every(c => c.querySelector('svg.main-svg'))",
        timeout=30_000,
    )
    yield page, problems, external
    page.close()


def test_every_chart_renders_offline_without_errors(dashboard_page, artifacts):
    page, problems, external = dashboard_page
    charts = page.eval_on_selector_all(
        "div.chart", "els => els.map(e => [e.dataset.chart, !!e.querySelector('svg.main-svg g.trace, svg.main-svg g.hm')])"
    )
    assert len(charts) >= 7, charts
    assert all(rendered for _, rendered in charts), charts
    assert {name for name, _ in charts} >= {
        "chart-monthly-rates", "chart-agency-on_time_rate", "chart-agency-online_rate",
        "chart-agency-online_payment_rate", "chart-district-rates", "chart-vneid-districts",
        "chart-publication-timeliness",
    }
    assert problems == []
    assert external == [], "the dashboard must not reach the network"
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)


def test_headline_numbers_equal_the_marts(dashboard_page, marts_db):
    page, _, _ = dashboard_page
    shown = dict(
        page.eval_on_selector_all("[data-kpi]", "els => els.map(e => [e.dataset.kpi, e.dataset.value])")
    )
    texts = dict(
        page.eval_on_selector_all("[data-kpi]", "els => els.map(e => [e.dataset.kpi, e.textContent])")
    )
    with duckdb.connect(str(marts_db), read_only=True) as con:
        expected = dict(
            con.execute(
                "select kpi_code, value from marts.kpi_values where level = 'province' "
                "and period_type = ? and period = ?",
                list(HEADLINE_PERIOD),
            ).fetchall()
        )
        without_account = con.execute(
            "select without_account from marts.vneid_coverage where level = 'province' "
            "order by snapshot_date desc limit 1"
        ).fetchone()[0]
    for code in HEADLINE_KPIS:
        assert float(shown[code]) == pytest.approx(expected[code], abs=1e-12), code
        assert texts[code] == f"{expected[code] * 100:.2f}%".replace(".", ","), code
    assert int(shown["vneid_without_account"]) == without_account
    assert page.get_attribute("#period", "data-period") == HEADLINE_PERIOD[1]
    assert page.get_attribute("#data-through", "data-value") == "2024-04-22"
    notices = dict(
        page.eval_on_selector_all("[data-notice]", "els => els.map(e => [e.dataset.notice, e.dataset.value])")
    )
    assert {code: float(value) for code, value in notices.items()} == NOTICE_H1_2024


def test_html_loads_nothing_from_the_web(reports_publication):
    text = (reports_publication[0] / "reports" / "dashboard.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", text, re.IGNORECASE)
    assert "@import" not in text and "fonts.googleapis" not in text
    assert text.count("<script type=\"text/javascript\">/**") <= 1  # plotly.js inlined once


def test_title_names_the_province_of_the_headline_period(dashboard_page, marts_db):
    page, _, _ = dashboard_page
    with duckdb.connect(str(marts_db), read_only=True) as con:
        (name,) = con.execute(
            "select unit_name from marts.bieu_06 where level = 'province' and period_type = ? and period = ?",
            list(HEADLINE_PERIOD),
        ).fetchone()
    assert page.title().startswith(f"Kiểm soát TTHC {province_place(name)} — 6 tháng đầu năm 2024")
    assert page.inner_text("h1") == f"Tình hình giải quyết thủ tục hành chính — {province_place(name)}"


def test_data_quality_summary_comes_from_the_manifest(dashboard_page, reports_publication):
    page, _, _ = dashboard_page
    manifest = reports_publication[2]
    values = dict(
        page.eval_on_selector_all("[data-quality]", "els => els.map(e => [e.dataset.quality, e.dataset.value])")
    )
    assert int(values["checks_passed"]) == manifest["checks"]["passed"]
    assert int(values["checks_errors"]) == manifest["checks"]["errors"]
    assert int(values["rejected_files"]) == len(manifest["rejected_files"])
    assert int(values["quarantined_rows"]) == sum(manifest["quarantined_rows"].values())


def test_overdue_list_matches_bieu_06_col_13(reports_publication, marts_db):
    """The overdue CSV lists, per agency, the dossiers that Biểu 06 counts in column 13 of the
    month that contains data_through, and carries no applicant_key."""
    folder = reports_publication[0]
    with open(folder / "reports" / "overdue_dossiers.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {"dossier_code", "procedure_code", "agency_code", "days_over"} <= set(rows[0])
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["agency_code"]] = counts.get(row["agency_code"], 0) + 1
        assert int(row["days_over"]) >= 0
    with duckdb.connect(str(marts_db), read_only=True) as con:
        expected = dict(
            con.execute(
                "select unit_code, in_progress_overdue from marts.bieu_06 where level = 'agency' "
                "and period_type = 'month' and period = '2024-04' and in_progress_overdue > 0"
            ).fetchall()
        )
        inflated = con.execute("select count(*) from marts.dossiers where is_appointment_inflated").fetchone()[0]
    assert counts == expected
    with open(folder / "reports" / "inflated_appointments.csv", encoding="utf-8-sig") as handle:
        inflated_rows = list(csv.DictReader(handle))
    assert len(inflated_rows) == inflated
    assert all(int(row["days_over"]) > 0 for row in inflated_rows)
    for path in (folder / "reports").iterdir():
        if path.suffix in {".csv", ".html"}:
            assert "applicant_key" not in path.read_text(encoding="utf-8-sig")


def test_optional_marts_show_when_present(reports_publication, tmp_path):
    """reconciliation, reconciliation_dossiers and data_quality are shown when published, their
    codes in plain Vietnamese."""
    folder = tmp_path / "publication"
    shutil.copytree(reports_publication[0], folder)
    with duckdb.connect(str(folder / MARTS_DB)) as con:
        for mart in ("reconciliation", "reconciliation_dossiers", "data_quality"):
            con.execute(f"drop table if exists marts.{mart}")
        con.execute(
            "create table marts.reconciliation as select * from (values "
            "('2024-04', '000.00.11.H04', 'Sở Tư pháp', 'received', 40, 43, -3, 'mismatch'),"
            "('2024-04', '000.00.11.H04', 'Sở Tư pháp', 'resolved', 10, 10, 0, 'match'),"
            "('2024-04', '000.00.12.H04', 'Sở Kế hoạch và Đầu tư', 'received', 5, null, null, 'no_portal_row')"
            ") t(period, unit_code, unit_name, measure, system_value, portal_value, diff, status)"
        )
        con.execute(
            "create table marts.reconciliation_dossiers as select * from (values "
            "('2024-04', '000.00.11.H04', 'X-1', 'missing_on_portal', null, null)"
            ") t(period, unit_code, dossier_code, issue, system_value, portal_value)"
        )
        con.execute(
            "create table marts.data_quality as select * from (values "
            "('r1', timestamp '2024-04-23 02:00:00', 'dossier_system', 'a.jsonl', 'quarantine:bad_json', 'warn', false, 2, 'x')"
            ") t(run_id, checked_at, source, object, check_name, severity, passed, failing_rows, details)"
        )
    write_reports(folder)
    text = (folder / "reports" / "dashboard.html").read_text(encoding="utf-8")
    assert 'data-chart="chart-reconciliation"' in text
    # codes in words (codes.csv, labels.check_label), never the code itself
    assert 'id="reconciliation-table"' in text and "Có trong hệ thống, không có trên Cổng: 1" in text
    assert 'id="data-quality-table"' in text and "Dòng bị cách ly: dòng không đọc được (JSON lỗi)" in text
    assert ">missing_on_portal" not in text and ">quarantine:bad_json" not in text
