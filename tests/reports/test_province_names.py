"""Names come from the data (reorganisation.md): every report names the province by its bieu_06
row of the period shown (its dvhc.csv name valid at the period's end, int_units__period_names),
never by a name written in the code; the notice's figures (Thông báo 294) are shown only beside
2024-H1 of province 24.

The publications are test_safe_outputs' hand-made one (year 2024, province 24 "Tỉnh Bắc Giang",
no other unit named Bắc Giang), re-dated and renamed in place."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest
from openpyxl import load_workbook
from rich.console import Console

from publish.publication import MARTS_DB
from publish.reports import scorecard_table, write_reports
from publish.reports.bieu_06_xlsx import INDEX_SHEET, PROVINCE_FIELDS_SHEET, SUMMARY_SHEET
from publish.reports.labels import NOTICE_H1_2024, notice_figures, province_place
from publish.reports.marts import Period
from tests.reports.test_safe_outputs import MANIFEST, make_publication

# Code 24 is Tỉnh Bắc Giang until 30/6/2025 and, merged, Tỉnh Bắc Ninh from 1/7/2025.
OLD_NAME, NEW_NAME = "Tỉnh Bắc Giang", "Tỉnh Bắc Ninh"


def edit_marts(folder, *statements: str) -> None:
    with duckdb.connect(str(folder / MARTS_DB)) as con:
        for statement in statements:
            con.execute(statement)


def workbook_texts(path) -> list[str]:
    workbook = load_workbook(path)
    return [
        cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
        if isinstance(cell.value, str)
    ]


def scorecard_text(folder, manifest: dict) -> str:
    console = Console(record=True, width=200)
    console.print(scorecard_table(folder / MARTS_DB, manifest))
    return console.export_text()


# --- the wording and the notice's scope, as pure functions ------------------------------------

@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tỉnh Bắc Giang", "tỉnh Bắc Giang"),  # sample and synthetic dvhc.csv
        ("Bắc Ninh", "tỉnh Bắc Ninh"),
        ("tỉnh  Bắc Ninh", "tỉnh Bắc Ninh"),
        ("Thành phố Hà Nội", "thành phố Hà Nội"),
        ("TP. Hồ Chí Minh", "thành phố Hồ Chí Minh"),
        ("Tỉnh", None),
        ("", None),
        (None, None),
    ],
)
def test_province_place_writes_the_kind_once(name, expected):
    assert province_place(name) == expected


@pytest.mark.parametrize(
    ("period_type", "period", "code", "shown"),
    [
        ("half", "2024-H1", "24", True),
        ("half", "2024-H1", "27", False),
        ("half", "2024-H2", "24", False),
        ("half", "2025-H1", "24", False),
        ("year", "2024", "24", False),
        ("quarter", "2024-Q1", "24", False),
    ],
)
def test_notice_figures_only_for_its_half_year_and_province(period_type, period, code, shown):
    found = notice_figures(Period(period_type, period, date(2024, 1, 1), date(2024, 6, 30)), code)
    assert found == (NOTICE_H1_2024 if shown else None)
    assert notice_figures(None, code) is None


# --- a province renamed across the periods: code 24, Bắc Giang in 2024, Bắc Ninh in 2025 ---------

RENAMED_MANIFEST = MANIFEST | {"data_through": "2025-12-31", "version": "t2"}


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    """Years 2024 (province 24 named Tỉnh Bắc Giang) and 2025 (the same rows, province 24 named
    Tỉnh Bắc Ninh), the VNeID snapshot of December 2025: the headline period is 2025."""
    folder = tmp_path_factory.mktemp("renamed") / "publication"
    make_publication(folder)
    rename = f"case when level = 'province' then '{NEW_NAME}' else unit_name end as unit_name"
    edit_marts(
        folder,
        *[
            f"insert into marts.{mart} select * replace ('2025' as period, date '2025-01-01' as period_start, "
            f"date '2025-12-31' as period_end, {rename}) from marts.{mart} where period = '2024'"
            for mart in ("bieu_06", "bieu_06_fields")
        ],
        f"insert into marts.kpi_values select * replace ('2025' as period, {rename}) "
        "from marts.kpi_values where period_type = 'year' and period = '2024'",
        "update marts.vneid_coverage set snapshot_date = date '2025-12-15'",
        f"update marts.vneid_coverage set unit_name = '{NEW_NAME}' where level = 'province'",
    )
    write_reports(folder, RENAMED_MANIFEST)
    return folder


def test_each_workbook_names_the_province_of_its_period(renamed):
    for period, name, other in (("2024", OLD_NAME, NEW_NAME), ("2025", NEW_NAME, OLD_NAME)):
        path = renamed / "reports" / f"bieu_06_{period}.xlsx"
        workbook = load_workbook(path)
        place = province_place(name)
        for sheet in workbook.worksheets:
            if sheet.title == INDEX_SHEET:  # the list of sheets names the unit in its title
                assert sheet["A1"].value.endswith(f"UBND {place}"), period
                continue
            assert sheet["J1"].value == f"Đơn vị báo cáo: UBND {place}", (period, sheet.title)
        assert workbook[SUMMARY_SHEET]["A6"].value == f"Toàn {place}"
        assert workbook[PROVINCE_FIELDS_SHEET]["A6"].value == f"{name} (24)"
        texts = workbook_texts(path)
        assert f"Tổng cộng toàn tỉnh ({name})" in texts
        other_bare = other.removeprefix("Tỉnh ")
        assert not [text for text in texts if other_bare in text], period
        assert not [text for text in texts if "tỉnh tỉnh" in text.casefold()], period


def test_dashboard_title_and_heading_name_the_province_of_the_headline(renamed, browser, artifacts):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto((renamed / "reports" / "dashboard.html").as_uri(), wait_until="load", timeout=60_000)
        assert page.title() == "Kiểm soát TTHC tỉnh Bắc Ninh — Năm 2025 (01/01/2025 – 31/12/2025)"
        assert page.inner_text("h1") == "Tình hình giải quyết thủ tục hành chính — tỉnh Bắc Ninh"
        assert page.locator("[data-notice]").count() == 0
        page.screenshot(path=str(artifacts / "dashboard_renamed_province.png"))
    finally:
        page.close()
    html = (renamed / "reports" / "dashboard.html").read_text(encoding="utf-8")
    assert "Bắc Giang" not in html
    assert "Thông báo 294" not in html


def test_scorecard_names_the_province_of_the_headline(renamed):
    text = scorecard_text(renamed, RENAMED_MANIFEST)
    assert "Chỉ tiêu toàn tỉnh Bắc Ninh — Năm 2025 (đến 31/12/2025)" in text
    assert "Bắc Giang" not in text
    assert "TB 294" not in text and "So sánh" not in text


# --- the notice: shown for 2024-H1 of province 24 only -----------------------------------------

HALVES = {"2024-H1": (date(2024, 1, 1), date(2024, 6, 30)), "2025-H1": (date(2025, 1, 1), date(2025, 6, 30))}


def half_year_publication(folder, half: str, code: str, name: str) -> None:
    """The hand-made publication with its one period made the half-year `half` (the headline)
    and its province rows coded `code`, named `name`."""
    make_publication(folder)
    start, end = HALVES[half]
    moves = [
        f"update marts.{mart} set period_type = 'half', period = '{half}', period_start = date '{start}', "
        f"period_end = date '{end}'"
        for mart in ("bieu_06", "bieu_06_fields")
    ]
    moves.append(f"update marts.kpi_values set period_type = 'half', period = '{half}' where period_type = 'year'")
    moves += [
        f"update marts.{mart} set unit_code = '{code}', unit_name = '{name}' where level = 'province'"
        for mart in ("bieu_06", "bieu_06_fields", "kpi_values")
    ]
    edit_marts(folder, *moves)


@pytest.mark.parametrize(
    ("half", "code", "name", "shown"),
    [
        ("2024-H1", "24", OLD_NAME, True),
        ("2024-H1", "27", NEW_NAME, False),  # the former Bắc Ninh: another province
        ("2025-H1", "24", OLD_NAME, False),
    ],
)
def test_notice_comparison_only_for_2024_h1_of_province_24(tmp_path, half, code, name, shown):
    folder = tmp_path / "publication"
    half_year_publication(folder, half, code, name)
    write_reports(folder, MANIFEST)
    html = (folder / "reports" / "dashboard.html").read_text(encoding="utf-8")
    notices = dict(re.findall(r'data-notice="([^"]+)" data-value="([^"]*)"', html))
    text = scorecard_text(folder, MANIFEST)
    if shown:
        assert {kpi: float(value) for kpi, value in notices.items()} == NOTICE_H1_2024
        assert "So sánh với Thông báo 294/TB-UBND" in html
        assert "TB 294 (6T/2024)" in text and "So sánh: Thông báo 294/TB-UBND" in text
        assert "98,00%" in text and "216.219" in text
    else:
        assert notices == {}  # no notice line under any figure, no empty one
        assert "Thông báo 294" not in html and "TB 294" not in html
        assert "TB 294" not in text and "Thông báo 294" not in text and "So sánh" not in text
        assert "98,00%" not in text and "216.219" not in text
    assert f"Chỉ tiêu toàn {province_place(name)} — 6 tháng đầu năm {half[:4]}" in text


# --- no province row: a neutral wording, never a name ------------------------------------------

def test_without_a_province_row_no_province_is_named(tmp_path):
    folder = tmp_path / "publication"
    make_publication(folder)
    edit_marts(
        folder,
        *[
            f"delete from marts.{mart} where level = 'province'"
            for mart in ("bieu_06", "bieu_06_fields", "kpi_values", "vneid_coverage")
        ],
    )
    write_reports(folder, MANIFEST)
    workbook = load_workbook(folder / "reports" / "bieu_06_2024.xlsx")
    assert workbook[SUMMARY_SHEET]["J1"].value == "Đơn vị báo cáo: UBND tỉnh"
    assert workbook[SUMMARY_SHEET]["A6"].value == "Toàn tỉnh"
    html = (folder / "reports" / "dashboard.html").read_text(encoding="utf-8")
    assert "<title>Kiểm soát TTHC toàn tỉnh — Năm 2024" in html
    assert "<h1>Tình hình giải quyết thủ tục hành chính — toàn tỉnh</h1>" in html
    text = scorecard_text(folder, MANIFEST)
    assert "Chỉ tiêu toàn tỉnh — Năm 2024" in text
    assert "Bắc Giang" not in html and "Bắc Giang" not in text
