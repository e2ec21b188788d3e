"""The Biểu 06 workbooks: one per period, the form's header, and the marts' figures."""

from __future__ import annotations

import duckdb
import pytest
from openpyxl import load_workbook

from publish.reports.bieu_06_xlsx import (
    FIRST_DATA_ROW,
    HEADER_TOP,
    INDEX_SHEET,
    NUMBERS_ROW,
    PROVINCE_FIELDS_SHEET,
    SUMMARY_SHEET,
)
from publish.reports.labels import province_place
from publish.reports.marts import BIEU_06_COUNTS, FORM_PERIOD_TYPES


@pytest.fixture(scope="module")
def bieu_06(marts_db):
    columns = ", ".join(BIEU_06_COUNTS)
    with duckdb.connect(str(marts_db), read_only=True) as con:
        periods = con.execute("select distinct period_type, period from marts.bieu_06").fetchall()
        rows = con.execute(f"select period, level, unit_code, unit_name, {columns} from marts.bieu_06").fetchall()
    figures = {(r[0], r[1], r[2]): list(r[4:]) for r in rows}
    names = {(r[0], r[1], r[2]): r[3] for r in rows}
    return periods, figures, names


def data_rows(sheet):
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=13, values_only=True):
        if row[1] is not None:
            yield row


def test_one_workbook_per_period(reports_publication, bieu_06):
    folder = reports_publication[0]
    periods, _, _ = bieu_06
    assert {p for _, p in periods} >= {"2024-03", "2024-04", "2024-Q1", "2024-Q2", "2024-H1", "2024"}
    names = {path.name for path in (folder / "reports").glob("bieu_06_*.xlsx")}
    # the form's periods; the ISO weeks of the marts (weekly briefings) get no workbook
    assert names == {f"bieu_06_{period}.xlsx" for period_type, period in periods if period_type in FORM_PERIOD_TYPES}
    assert not any("-W" in name for name in names)


def test_header_is_the_official_layout(reports_publication, bieu_06):
    sheet = load_workbook(reports_publication[0] / "reports" / "bieu_06_2024-H1.xlsx")[SUMMARY_SHEET]
    assert sheet["A1"].value == "Biểu số 06/VPCP/KSTT"
    # the province as its bieu_06 row of the period names it (dvhc.csv: "Tỉnh Bắc Giang")
    province = bieu_06[2][("2024-H1", "province", "24")]
    assert province == "Tỉnh Bắc Giang"  # the sample's dvhc.csv, its one row for code 24
    assert sheet["J1"].value == f"Đơn vị báo cáo: UBND {province_place(province)}"
    assert sheet["A6"].value == f"Toàn {province_place(province)}"
    assert sheet["A4"].value.startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert "6 tháng đầu năm 2024" in sheet["A5"].value and "01/01/2024" in sheet["A5"].value
    # the sample's data end on 22/04/2024: the half-year is not over, and the form says so
    assert sheet["A5"].value.endswith("đến ngày 22/04/2024, kỳ 6 tháng chưa kết thúc)")
    top, mid, low = HEADER_TOP, HEADER_TOP + 1, HEADER_TOP + 2
    assert sheet.cell(top, 1).value == "STT"
    assert sheet.cell(top, 3).value == "Số hồ sơ nhận giải quyết"
    assert sheet.cell(top, 7).value == "Kết quả giải quyết"
    assert sheet.cell(mid, 3).value == "Tổng số"
    assert sheet.cell(mid, 4).value == "Trong đó"
    assert [sheet.cell(low, c).value for c in (4, 5, 6)] == ["Trực tuyến", "Trực tiếp và BCCI", "Từ kỳ trước"]
    assert sheet.cell(mid, 7).value == "Số hồ sơ đã giải quyết"
    assert [sheet.cell(low, c).value for c in range(7, 11)] == ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"]
    assert sheet.cell(mid, 11).value == "Số hồ sơ đang giải quyết"
    assert [sheet.cell(low, c).value for c in range(11, 14)] == ["Tổng số", "Trong hạn", "Quá hạn"]
    assert [sheet.cell(NUMBERS_ROW, c).value for c in range(1, 14)] == [f"({n})" for n in range(1, 14)]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A8:A10", "B8:B10", "C8:F8", "G8:M8", "C9:C10", "D9:F9", "G9:J9", "K9:M9"} <= merged
    assert sheet.cell(top, 3).font.bold and sheet.cell(top, 3).border.left.style == "thin"


def test_every_row_equals_bieu_06(reports_publication, bieu_06):
    """The province total (last row) and every district and agency row carry the mart's figures."""
    periods, figures, names = bieu_06
    folder = reports_publication[0]
    for period_type, period in periods:
        if period_type not in FORM_PERIOD_TYPES:
            continue
        workbook = load_workbook(folder / "reports" / f"bieu_06_{period}.xlsx")
        rows = list(data_rows(workbook[SUMMARY_SHEET]))
        province = [v for k, v in figures.items() if k[0] == period and k[1] == "province"]
        assert rows[-1][1].startswith("Tổng cộng toàn tỉnh")
        assert list(rows[-1][2:]) == province[0]
        listed = {(row[1], tuple(row[2:])) for row in rows}
        for key, counts in figures.items():
            if key[0] == period and key[1] in ("agency", "district"):
                assert (names[key], tuple(counts)) in listed, key
        # by-field sheets: the province's fields sum to its total; each agency sheet ends in its row
        fields = list(data_rows(workbook[PROVINCE_FIELDS_SHEET]))
        assert list(fields[-1][2:]) == province[0]
        assert [sum(r[c] for r in fields[:-1]) for c in range(2, 13)] == province[0]
        for name in workbook.sheetnames:
            if name not in (SUMMARY_SHEET, PROVINCE_FIELDS_SHEET, INDEX_SHEET):
                last = list(data_rows(workbook[name]))[-1]
                assert list(last[2:]) == figures[(period, "agency", name)]


def test_only_an_unfinished_period_is_marked_unfinished(reports_publication):
    """A month that ended before data_through reads as it always has; the month that holds
    data_through says it is not over."""
    reports = reports_publication[0] / "reports"
    titles = {
        path.stem.removeprefix("bieu_06_"): load_workbook(path, read_only=True)[SUMMARY_SHEET]["A5"].value
        for path in sorted(reports.glob("bieu_06_2024-0[1-4].xlsx"))
    }
    assert titles["2024-04"].endswith("(từ ngày 01/04/2024 đến ngày 22/04/2024, tháng chưa kết thúc)")
    assert titles["2024-03"].endswith("(từ ngày 01/03/2024 đến ngày 31/03/2024)")
