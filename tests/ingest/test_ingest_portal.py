"""The portal's 766 report (xlsx with title block and total row, csv variant) and the
synced-dossier list."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from ingest.dvc_portal import load_report_766, load_synced_list
from ingest.raw_layer import (
    PORTAL_766,
    PORTAL_766_HEADERS,
    PORTAL_766_TOTALS,
    partition_path,
    quarantine_path,
)
from ingest.reference import load_reference

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


# The Tổng cộng row with the province's own scores (not sums of the agency rows' scores),
# numeric cells and Vietnamese text mixed, Điểm Thanh toán blank.
XLSX_TOTAL_WITH_SCORES = XLSX_TOTAL[:13] + ["16,95", 18.1, 7.4, None, "17,5", 17.02, 77.25]
SCORES_OF_THE_PROVINCE = {
    "diem_cong_khai": 16.95,
    "diem_tien_do": 18.1,
    "diem_dvctt": 7.4,
    "diem_thanh_toan": None,
    "diem_so_hoa": 17.5,
    "diem_hai_long": 17.02,
    "tong_diem": 77.25,
}


def totals(warehouse) -> pl.DataFrame:
    return pl.read_parquet(partition_path(warehouse, "portal_766_totals", MONTH))


def agency_rows(warehouse) -> pl.DataFrame:
    return pl.read_parquet(partition_path(warehouse, "portal_766", MONTH))


def test_tong_cong_scores_land_in_the_totals_table(landing, warehouse, tmp_path):
    path = folder(landing) / f"dvcqg_766_{MONTH}.xlsx"
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL_WITH_SCORES)
    result = load(landing, warehouse)
    assert result.rejected is None, result.rejected
    # the Tổng cộng row is still neither loaded nor quarantined: rows read = agency rows
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert result.checks["total_row"]["passed"] is True  # its counts are the agency sums
    assert result.warnings == []
    kept = totals(warehouse)
    assert kept.schema == PORTAL_766_TOTALS
    assert kept.to_dicts() == [
        SCORES_OF_THE_PROVINCE
        | {
            "_report_month": MONTH,
            "_source_file": f"dvc_portal/{MONTH}/dvcqg_766_{MONTH}.xlsx",
            "_line_number": 9,  # the Tổng cộng row of the sheet
        }
    ]
    # the agency rows are those of the same report with a score-less Tổng cộng row
    with_scores = agency_rows(warehouse)
    other = tmp_path / "other"
    write_xlsx(other / "dvc_portal" / MONTH / f"dvcqg_766_{MONTH}.xlsx", XLSX_ROWS, XLSX_TOTAL)
    shutil.copytree(landing / "reference", other / "reference")
    other_warehouse = tmp_path / "other_warehouse"
    load_reference(other, other_warehouse)
    assert load_report_766(other, other_warehouse, MONTH).rows_loaded == 2
    assert with_scores.equals(agency_rows(other_warehouse))
    assert with_scores.schema == PORTAL_766 and with_scores["ma_don_vi"].null_count() == 0


def test_csv_tong_cong_row_with_blank_scores_is_kept_blank(landing, warehouse):
    path = folder(landing) / f"dvcqg_766_{MONTH}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CSV_TEXT, encoding="utf-8")
    result = load(landing, warehouse)
    assert (result.rows_read, result.rows_loaded) == (2, 2)
    kept = totals(warehouse)
    assert kept.height == 1 and kept["_line_number"].to_list() == [4]
    assert all(kept[c].to_list() == [None] for c in SCORES_OF_THE_PROVINCE)


def test_without_tong_cong_row_the_month_has_no_province_scores(landing, warehouse):
    path = folder(landing) / f"dvcqg_766_{MONTH}.xlsx"
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL_WITH_SCORES)
    load(landing, warehouse)
    assert totals(warehouse).height == 1
    # a re-delivery without the row replaces the month's scores as a whole: none is left
    write_xlsx(path, XLSX_ROWS, None)
    result = load(landing, warehouse)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert result.checks["total_row"]["passed"] is False
    assert any("no Tổng cộng row" in w for w in result.warnings)
    assert totals(warehouse).height == 0 and totals(warehouse).schema == PORTAL_766_TOTALS
    assert agency_rows(warehouse).height == 2


def test_several_tong_cong_rows_keep_the_first(landing, warehouse):
    second = XLSX_TOTAL_WITH_SCORES[:13] + [1, 2, 3, 4, 5, 6, 21]
    path = folder(landing) / f"dvcqg_766_{MONTH}.xlsx"
    write_xlsx(path, XLSX_ROWS + [XLSX_TOTAL_WITH_SCORES], second)
    result = load(landing, warehouse)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert any("2 Tổng cộng rows; the first one is checked and kept" in w for w in result.warnings)
    kept = totals(warehouse)
    assert kept.height == 1 and kept["tong_diem"].to_list() == [77.25]


def test_unusable_tong_cong_score_cells_are_kept_blank_with_a_warning(landing, warehouse):
    total = list(XLSX_TOTAL_WITH_SCORES)
    total[14] = "18.1"  # text with a dot: not a Vietnamese decimal
    total[19] = 177.25  # above 100
    rows = [list(r) for r in XLSX_ROWS]
    rows[0][13] = "17.82"  # an agency row's bad cell still quarantines that row only
    write_xlsx(folder(landing) / f"dvcqg_766_{MONTH}.xlsx", rows, total)
    result = load(landing, warehouse)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    assert result.quarantine_reasons == {"bad_number:diem_cong_khai": 1}
    assert any(
        "the Tổng cộng row's score cell(s) diem_tien_do, tong_diem are not numbers in [0, 100]" in w
        for w in result.warnings
    )
    assert not any("18.1" in w or "177" in w for w in result.warnings)  # names only
    row = totals(warehouse).row(0, named=True)
    assert (row["diem_tien_do"], row["tong_diem"], row["diem_so_hoa"]) == (None, None, 17.5)


def test_a_rejected_redelivery_leaves_the_totals_untouched(landing, warehouse):
    path = folder(landing) / f"dvcqg_766_{MONTH}.xlsx"
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL_WITH_SCORES)
    load(landing, warehouse)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert load_report_766(landing, warehouse, MONTH).rejected
    assert totals(warehouse)["tong_diem"].to_list() == [77.25]


def test_the_totals_suite_checks_the_kept_scores(landing, warehouse):
    from expectations import validate_batch

    write_xlsx(folder(landing) / f"dvcqg_766_{MONTH}.xlsx", XLSX_ROWS, XLSX_TOTAL_WITH_SCORES)
    load(landing, warehouse)
    assert validate_batch("portal_766_totals", totals(warehouse))["success"] is True
    assert validate_batch("portal_766_totals", totals(warehouse).head(0))["success"] is True
    bad = totals(warehouse).with_columns(pl.lit(101.0).alias("tong_diem"))
    assert validate_batch("portal_766_totals", bad)["success"] is False


def test_a_month_loaded_before_the_totals_table_is_loaded_again(landing, warehouse):
    """Upgrade path: a partition accepted by an earlier version has no totals partition; the
    raw asset treats it as stale (orchestration/assets/raw.py), so the unchanged file is
    read again and the province's scores reach the warehouse."""
    from types import SimpleNamespace

    from orchestration.assets.raw import _companion_missing
    from orchestration.load_records import LoadRecord, save_partition_record

    settings = SimpleNamespace(warehouse_dir=warehouse)
    write_xlsx(folder(landing) / f"dvcqg_766_{MONTH}.xlsx", XLSX_ROWS, XLSX_TOTAL_WITH_SCORES)
    result = load(landing, warehouse)
    save_partition_record(warehouse, "portal_766", MONTH, LoadRecord.of(result))
    assert _companion_missing(settings, "portal_766", MONTH) is False
    partition_path(warehouse, "portal_766_totals", MONTH).unlink()
    assert _companion_missing(settings, "portal_766", MONTH) is True
    assert _companion_missing(settings, "portal_synced", MONTH) is False  # no companion


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
