"""The portal's 766 report (xlsx with title block and total row, csv variant) and the
synced-dossier list."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest

from ingest.dvc_portal import load_report_766, load_synced_list
from ingest.raw_layer import PORTAL_766, PORTAL_766_HEADERS, partition_path, quarantine_path

MONTH = "2024-06"
HEADERS = list(PORTAL_766_HEADERS)
# Two agencies: the xlsx holds numbers as numeric cells and as Vietnamese text, mixed.
XLSX_ROWS = [
    [1, "000.00.11.H04", "Sở Tư pháp", 1234, "68", 41, "8", 91, 84, 7, 110, 41, 117,
     "17,82", 18.92, 6.97, 3.73, 15.95, 17.48, 80.87],
    [2, "201.21.21.H04", "UBND phường Thọ Xương", "1.000", 86, "38", 7, 114, 105, 9, 120, 42, "126",
     17.21, 18.52, 7.78, 3.5, 19.66, "17,06", "83,73"],
]  # fmt: skip
XLSX_TOTAL = [None, None, "Tổng cộng", "2.234", 154, 79, 15, 205, 189, 16, 230, 83, 243] + [
    None
] * 7
CSV_TEXT = (
    "\ufeff" + ";".join(HEADERS) + "\r\n"
    "1;000.00.11.H04;Sở Tư pháp;1.234;68;41;8;91;84;7;110;41;117;17,82;18,92;6,97;3,73;15,95;17,48;80,87\r\n"
    "2;201.21.21.H04;UBND phường Thọ Xương;1.000;86;38;7;114;105;9;120;42;126;17,21;18,52;7,78;3,5;19,66;17,06;83,73\r\n"
    ";;Tổng cộng;2.234;154;79;15;205;189;16;230;83;243;;;;;;;\r\n"
)


def write_xlsx(path: Path, rows, total, sheet="TongHop", title=True):
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        for text in ["CỔNG DỊCH VỤ CÔNG QUỐC GIA", "BÁO CÁO BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP",
                     "Kỳ báo cáo: Tháng 06/2024", "Đơn vị: UBND tỉnh Bắc Giang"]:  # fmt: skip
            ws.append([text])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=20)
        ws.append([])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    if total:
        ws.append(total)
    wb.save(path)


def folder(landing: Path) -> Path:
    return landing / "dvc_portal" / MONTH


def load(landing, warehouse):
    result = load_report_766(landing, warehouse, MONTH)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    return result


def test_xlsx_and_csv_variants_give_the_same_rows(landing, warehouse):
    write_xlsx(folder(landing) / f"dvcqg_766_{MONTH}.xlsx", XLSX_ROWS, XLSX_TOTAL)
    from_xlsx = load(landing, warehouse)
    assert from_xlsx.rejected is None, from_xlsx.rejected
    assert (from_xlsx.rows_read, from_xlsx.rows_loaded) == (2, 2)  # Tổng cộng: neither
    assert from_xlsx.checks["total_row"]["passed"] is True
    xlsx_rows = pl.read_parquet(partition_path(warehouse, "portal_766", MONTH))
    assert xlsx_rows.schema == PORTAL_766
    assert xlsx_rows["_line_number"].to_list() == [7, 8]  # row of the sheet

    (folder(landing) / f"dvcqg_766_{MONTH}.xlsx").unlink()
    (folder(landing) / f"dvcqg_766_{MONTH}.csv").write_text(CSV_TEXT, encoding="utf-8")
    from_csv = load(landing, warehouse)
    assert from_csv.rejected is None and from_csv.rows_loaded == 2
    csv_rows = pl.read_parquet(partition_path(warehouse, "portal_766", MONTH))
    assert csv_rows["_line_number"].to_list() == [2, 3]  # line of the file
    lineage = ["_source_file", "_line_number"]
    assert csv_rows.drop(lineage).equals(xlsx_rows.drop(lineage))
    row = csv_rows.row(1, named=True)
    assert row["tiep_nhan"] == 1000 and row["diem_hai_long"] == 17.06 and row["tong_diem"] == 83.73


def test_total_row_mismatch_is_a_warning_and_a_failed_check(landing, warehouse):
    total = list(XLSX_TOTAL)
    total[3] = "2.235"
    write_xlsx(folder(landing) / f"dvcqg_766_{MONTH}.xlsx", XLSX_ROWS, total)
    result = load(landing, warehouse)
    assert result.rows_loaded == 2
    assert result.checks["total_row"]["passed"] is False
    assert result.checks["total_row"]["details"]["mismatches"] == {
        "tiep_nhan": {"total_row": 2235.0, "sum_of_agencies": 2234.0}
    }
    assert any("does not match the sum of the agency rows: tiep_nhan" in w for w in result.warnings)


def test_bad_cells_quarantine_their_row(landing, warehouse):
    rows = [list(r) for r in XLSX_ROWS]
    rows[0][13] = "17.82"  # text with a dot: not a Vietnamese decimal
    rows[1][3] = "10,5"  # a count with a fraction
    write_xlsx(folder(landing) / f"dvcqg_766_{MONTH}.xlsx", rows, None)
    result = load(landing, warehouse)
    assert result.quarantine_reasons == {"bad_number:diem_cong_khai": 1, "wrong_type:tiep_nhan": 1}
    assert result.checks["total_row"]["passed"] is False  # no total row
    assert pl.read_parquet(quarantine_path(warehouse, "portal_766", MONTH))["line"].to_list() == [
        7,
        8,
    ]


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (
            lambda p: write_xlsx(p, XLSX_ROWS, XLSX_TOTAL, sheet="Sheet1"),
            "sheet TongHop not found (sheets: Sheet1)",
        ),
        (lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "not a readable xlsx workbook"),
    ],
)
def test_unreadable_workbook_is_rejected(landing, warehouse, make, problem):
    path = folder(landing) / f"dvcqg_766_{MONTH}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    make(path)
    result = load(landing, warehouse)
    assert result.rejected.startswith(
        f"dvc_portal/{MONTH}/dvcqg_766_{MONTH}.xlsx: rejected: {problem}"
    )


def test_header_row_not_found_is_rejected(landing, warehouse):
    path = folder(landing) / f"dvcqg_766_{MONTH}.xlsx"
    rows = [["Số TT"] + HEADERS[1:]] + XLSX_ROWS
    write_xlsx(path, rows, None, title=True)
    # overwrite the real header too: no row starts with STT
    wb = openpyxl.load_workbook(path)
    wb["TongHop"]["A6"] = "Số thứ tự"
    wb.save(path)
    result = load(landing, warehouse)
    assert result.rejected == (
        f"dvc_portal/{MONTH}/dvcqg_766_{MONTH}.xlsx: rejected: header row not found (no row "
        "whose first cell is STT); nothing was loaded for this partition"
    )


def test_missing_column_is_rejected(landing, warehouse):
    # drop the last column (Tổng điểm) from every line
    text = "".join(line.rsplit(";", 1)[0] + "\r\n" for line in CSV_TEXT.splitlines())
    path = folder(landing) / f"dvcqg_766_{MONTH}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = load(landing, warehouse)
    assert "rejected: missing required column(s): Tổng điểm" in result.rejected


SYNCED_HEADER = "MaHoSo,MaCoQuan,TrangThaiHoSo,KenhThucHien,NgayTiepNhan,NgayKetThucXuLy,DuocThanhToanTrucTuyen\n"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "000.00.11.H04-240601-0002,000.00.11.H04,10,x,20240601080000,20240602080000,0",
            "wrong_type:KenhThucHien",
        ),
        (
            "000.00.11.H04-240601-0002,000.00.11.H04,12,1,20240601080000,20240602080000,0",
            "unknown_status",
        ),
        (
            "000.00.11.H04-240601-0002,999.99.99.H04,10,1,20240601080000,20240602080000,0",
            "unknown_agency",
        ),
        (
            "000.00.11.H04-240601-0002,000.00.11.H04,10,1,20240531080000,20240602080000,0",
            "received_outside_month",
        ),
        (
            "000.00.11.H04-240601-0002,000.00.11.H04,10,1,20240601080000,,0",
            "missing_timestamp_for_status:NgayKetThucXuLy",
        ),
        (
            "000.00.11.H04-240601-0001,000.00.11.H04,9,1,20240601080000,20240602080000,0",
            "duplicate_key",
        ),
    ],
)
def test_synced_list_rules(landing, warehouse, row, reason):
    path = folder(landing) / f"dvcqg_dongbo_{MONTH}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    good = "000.00.11.H04-240601-0001,000.00.11.H04,10,2,20240601080000,20240603080000,1"
    path.write_text(SYNCED_HEADER + good + "\n" + row + "\n", encoding="utf-8")
    result = load_synced_list(landing, warehouse, MONTH)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined == 2
    if reason == "duplicate_key":
        assert result.quarantine_reasons == {"duplicate_key": 2}
    else:
        assert result.quarantine_reasons == {reason: 1}
        q = pl.read_parquet(quarantine_path(warehouse, "portal_synced", MONTH))
        assert q["line"].to_list() == [3] and q["raw_text"].to_list() == [row]
