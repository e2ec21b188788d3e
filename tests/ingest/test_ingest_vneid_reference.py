"""VNeID snapshots and reference files."""

from __future__ import annotations

import polars as pl
import pytest

from ingest.raw_layer import REFERENCE, reference_path, reference_quarantine_path
from ingest.reference import load_reference, load_reference_file
from ingest.vneid import load_vneid_snapshot

SNAP = "2024-04-01"
HEADER = (
    "Mã ĐVHC,Tên ĐVHC,Ngày số liệu,Công dân đủ điều kiện,Đã cấp mức 1,Đã cấp mức 2,Đã kích hoạt\n"
)
GOOD = "07201,Phường Thọ Xương,01/04/2024,7367,1862,4358,5553"


def write_vneid(landing, rows, snap=SNAP):
    folder = landing / "vneid" / snap
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"vneid_{snap.replace('-', '')}.csv").write_text(
        HEADER + "".join(r + "\n" for r in rows), encoding="utf-8"
    )


def test_vneid_good_file_keeps_leading_zeros(landing, warehouse):
    write_vneid(landing, [GOOD])
    result = load_vneid_snapshot(landing, warehouse, SNAP)
    assert (result.rows_read, result.rows_loaded) == (1, 1)
    row = pl.read_parquet(warehouse / "raw" / "vneid_counts" / f"{SNAP}.parquet").row(0, named=True)
    assert (
        row["ma_dvhc"] == "07201"
        and str(row["ngay_so_lieu"]) == SNAP
        and row["da_kich_hoat"] == 5553
    )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("07207,Phường Trần Phú,01/04/2024,6036,1740,3158,4999", "vneid_activated_exceeds_issued"),
        ("07207,Phường Trần Phú,01/04/2024,4000,1740,3158,3570", "vneid_issued_exceeds_eligible"),
        ("7207,Phường Trần Phú,01/04/2024,6036,1740,3158,3570", "bad_pattern:ma_dvhc"),
        ("07207,Phường Trần Phú,2024-04-01,6036,1740,3158,3570", "bad_date:ngay_so_lieu"),
        ("07207,Phường Trần Phú,02/04/2024,6036,1740,3158,3570", "snapshot_date_mismatch"),
        ("07207,Phường Trần Phú,01/04/2024,6036,n/a,3158,3570", "wrong_type:da_cap_muc_1"),
        ("07207,Phường Trần Phú,01/04/2024,,1740,3158,3570", "missing_field:cong_dan_du_dieu_kien"),
        ("99999,Xã Lạ,01/04/2024,6036,1740,3158,3570", "unknown_unit"),
        ("07201,Phường Thọ Xương,01/04/2024,7367,1862,4358,5553", "duplicate_key"),
    ],
)
def test_vneid_rules(landing, warehouse, row, reason):
    write_vneid(landing, [GOOD, row])
    result = load_vneid_snapshot(landing, warehouse, SNAP)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined == 2
    expected = {reason: 2} if reason == "duplicate_key" else {reason: 1}
    assert result.quarantine_reasons == expected


def test_vneid_file_of_another_date_is_rejected(landing, warehouse):
    write_vneid(landing, [GOOD.replace("01/04/2024", "08/04/2024")])
    result = load_vneid_snapshot(landing, warehouse, SNAP)
    assert result.rejected == (
        f"vneid/{SNAP}/vneid_20240401.csv: rejected: the snapshot date in the file (08/04/2024) "
        "does not match its folder (01/04/2024); nothing was loaded for this partition"
    )


def test_reference_duplicates_and_bad_dates_are_quarantined(landing, tmp_path):
    (landing / "reference" / "don_vi.csv").write_text(
        "ma_don_vi,ten_don_vi,cap,ma_dvhc,ma_don_vi_cha,hieu_luc_tu,hieu_luc_den\n"
        "000.00.11.H04,Sở Tư pháp,tinh,24,,2008-01-01,\n"
        "000.00.12.H04,Sở KH&ĐT,tinh,24,,2008-01-01,\n"
        "000.00.12.H04,Sở KH&ĐT (bản 2),tinh,24,,2008-01-01,\n"
        "000.00.15.H04,Sở TN&MT,tinh,24,,01/01/2008,\n"
        "000.00.21.H04,UBND TP,huyen,213,,2024-01-01,2023-12-31\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "wh"
    result = load_reference_file(landing, warehouse, "don_vi")
    assert result.rows_read == result.rows_loaded + result.rows_quarantined == 5
    assert result.quarantine_reasons == {
        "duplicate_key": 2,
        "bad_date:hieu_luc_tu": 1,
        "bad_validity": 1,
    }
    loaded = pl.read_parquet(reference_path(warehouse, "don_vi"))
    assert (
        loaded["ma_don_vi"].to_list() == ["000.00.11.H04"] and loaded.schema == REFERENCE["don_vi"]
    )
    q = pl.read_parquet(reference_quarantine_path(warehouse, "don_vi"))
    assert sorted(q["line"].to_list()) == [3, 4, 5, 6]


def test_reference_codes_stay_strings_and_all_six_load(landing, tmp_path):
    results = load_reference(landing, tmp_path / "wh")
    assert [r.table for r in results] == [
        "don_vi",
        "dvhc",
        "tthc",
        "cong_bo",
        "ngay_nghi",
        "chi_tieu",
    ]
    assert all(r.rejected is None for r in results)
    dvhc = pl.read_parquet(reference_path(tmp_path / "wh", "dvhc"))
    assert dvhc["ma_dvhc"].to_list() == ["24", "07201", "07207"]
    tthc = pl.read_parquet(reference_path(tmp_path / "wh", "tthc"))
    assert tthc["ten_tthc"][1] == "Chứng thực bản sao, văn bản"  # quoted comma


def test_reference_missing_column_and_missing_file_are_rejected(landing, tmp_path):
    (landing / "reference" / "ngay_nghi.csv").write_text(
        "ngay,ten\n2024-04-18,x\n", encoding="utf-8"
    )
    (landing / "reference" / "chi_tieu.csv").unlink()
    results = {r.table: r for r in load_reference(landing, tmp_path / "wh")}
    assert results["ngay_nghi"].rejected == (
        "reference/ngay_nghi.csv: rejected: missing required column(s): loai; "
        "nothing was loaded for this partition"
    )
    assert results["chi_tieu"].rejected.startswith(
        "reference/chi_tieu.csv: rejected: file not delivered"
    )
    assert results["tthc"].rejected is None
