"""The dossier loader: one test per bad input of sources.md §1, re-deliveries, PII."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest
from conftest import DAY, PII_KEY, dossier_line, good_dossier, write_day

from ingest.dossier_system import load_dossier_day
from ingest.pii import applicant_key
from ingest.raw_layer import DOSSIER_VERSIONS, partition_path, quarantine_path

TABLE = "dossier_versions"


def load(landing: Path, warehouse: Path, day: str = DAY):
    result = load_dossier_day(landing, warehouse, day, PII_KEY)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    return result


def quarantine_reason(landing, warehouse, bad_line: str) -> str:
    """Load a file of one good line and one bad line; return the bad line's reason."""
    write_day(landing, DAY, [dossier_line(), bad_line])
    result = load(landing, warehouse)
    assert result.rejected is None, result.rejected
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    q = pl.read_parquet(quarantine_path(warehouse, TABLE, DAY))
    assert q.get_column("line").to_list() == [2]
    assert q.get_column("raw_text").to_list() == [bad_line]
    (reason,) = result.quarantine_reasons
    assert q.get_column("reason").to_list() == [reason]
    return reason


def test_good_file_loads_in_the_raw_schema(landing, warehouse):
    write_day(landing, DAY, [dossier_line(), dossier_line(MaHoSo="000.00.11.H04-240401-0002")])
    result = load(landing, warehouse)
    assert result.rejected is None
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert result.file == f"dossier_system/{DAY}/hoso_20240401.jsonl"
    assert result.checks["quarantine_rate"]["passed"] is True
    raw = pl.read_parquet(partition_path(warehouse, TABLE, DAY))
    assert raw.schema == DOSSIER_VERSIONS
    row = raw.row(0, named=True)
    assert row["applicant_key"] == applicant_key("024199900001", PII_KEY)
    assert row["TaiKhoanDuocXacThucVoiVNeID"] == 1  # numeric string -> number
    assert row["NgayTuChoi"] is None  # empty string -> null
    assert str(row["NgayTiepNhan"]) == "2024-04-01 09:00:00"
    assert row["DanhSachLePhi"] == [
        {"MaPhiLePhi": "LP1", "TenPhiLePhi": "Lệ phí", "Gia": 15000, "LoaiPhiLePhi": 1}
    ]
    assert row["_line_number"] == 1 and str(row["_file_date"]) == DAY
    assert not quarantine_path(warehouse, TABLE, DAY).exists()


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('{"MaHoSo": "000.00.11.H04-240401-0009", "MaTTHC": ', "invalid_json"),
        ("not json at all", "invalid_json"),
        ("[1, 2, 3]", "invalid_json"),
        ("null", "invalid_json"),
        (
            json.dumps({k: v for k, v in good_dossier().items() if k != "MaTTHC"}),
            "missing_field:MaTTHC",
        ),
        (dossier_line(MaHoSo=""), "missing_field:MaHoSo"),
        (dossier_line(NgayCapNhat=None), "missing_field:NgayCapNhat"),
        (dossier_line(KenhThucHien="online"), "wrong_type:KenhThucHien"),
        (dossier_line(TrangThaiHoSo=[10]), "wrong_type:TrangThaiHoSo"),
        (dossier_line(DanhGia=2.5), "wrong_type:DanhGia"),
        (dossier_line(DanhSachLePhi="15000"), "wrong_type:DanhSachLePhi"),
        (
            dossier_line(
                DanhSachLePhi=[{"MaPhiLePhi": "LP1", "Gia": "mười nghìn", "LoaiPhiLePhi": 1}]
            ),
            "wrong_type:DanhSachLePhi.Gia",
        ),
        (dossier_line(MaHoSo="000.00.11.H04-2404010001"), "bad_pattern:MaHoSo"),
        (dossier_line(MaTTHC="2.00081"), "bad_pattern:MaTTHC"),
        (dossier_line(MaCoQuan="000.00.11"), "bad_pattern:MaCoQuan"),
        (dossier_line(MaTTHC="9.999999"), "unknown_procedure"),
        (dossier_line(MaCoQuan="999.99.99.H04"), "unknown_agency"),
        (dossier_line(TrangThaiHoSo=11), "unknown_status"),
        (dossier_line(KenhThucHien="4"), "unknown_channel"),
        (dossier_line(NgayNopHoSo="2024-04-01 08:00"), "bad_timestamp:NgayNopHoSo"),
        (dossier_line(NgayTra="20240231160000"), "bad_timestamp:NgayTra"),
        (
            dossier_line(DanhSachHoSoBoSung=[{"NgayBoSung": "x", "NgayTiepNhanBoSung": ""}]),
            "bad_timestamp:NgayBoSung",
        ),
        (dossier_line(NgayTiepNhan=""), "missing_timestamp_for_status:NgayTiepNhan"),
        (dossier_line(NgayKetThucXuLy=None), "missing_timestamp_for_status:NgayKetThucXuLy"),
        (dossier_line(NgayTra=""), "missing_timestamp_for_status:NgayTra"),
        (
            dossier_line(TrangThaiHoSo=3, NgayTiepNhan="", NgayKetThucXuLy="", NgayTra=""),
            "missing_timestamp_for_status:NgayTuChoi",
        ),
        (dossier_line(NgayTiepNhan="20240401070000"), "received_before_submitted"),
        (dossier_line(NgayKetThucXuLy="20240401085900"), "received_after_ended"),
        (dossier_line(NgayCapNhat="20240331235959"), "updated_not_on_file_day"),
        (dossier_line(NgayTra="20240402080000"), "event_after_file_day:NgayTra"),
        (
            dossier_line(
                DanhSachHoSoBoSung=[
                    {"NgayBoSung": "20240401100000", "NgayTiepNhanBoSung": "20240403100000"}
                ]
            ),
            "event_after_file_day:NgayTiepNhanBoSung",
        ),
    ],
)
def test_bad_row_is_quarantined_with_its_reason(landing, warehouse, bad_line, reason):
    assert quarantine_reason(landing, warehouse, bad_line) == reason


def test_appointment_dates_may_lie_after_the_file_day(landing, warehouse):
    write_day(landing, DAY, [dossier_line(NgayHenTra="20240430170000")])
    assert load(landing, warehouse).rows_loaded == 1


def test_first_failing_rule_wins(landing, warehouse):
    # bad pattern, unknown status and a bad timestamp at once: the pattern comes first
    line = dossier_line(MaHoSo="x", TrangThaiHoSo=42, NgayTra="soon")
    assert quarantine_reason(landing, warehouse, line) == "bad_pattern:MaHoSo"


def test_unknown_fields_are_dropped_and_named_without_values(landing, warehouse):
    write_day(landing, DAY, [dossier_line(SoCCCDCu="012345678901", GhiChu="nội bộ")])
    result = load(landing, warehouse)
    assert result.rows_loaded == 1
    (warning,) = result.warnings
    assert "schema drift" in warning and "GhiChu" in warning and "SoCCCDCu" in warning
    assert "012345678901" not in warning and "nội bộ" not in warning


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"\n\n", "empty file"),
        ('{"MaHoSo": "Nguy\u1ec5n"}\n'.encode("utf-16"), "not UTF-8"),
        ('{"ChuHoSo": "Nguyễn"}\n'.encode("cp1258", errors="replace") + b"\xff\n", "not UTF-8"),
    ],
)
def test_unreadable_file_is_rejected_and_keeps_the_earlier_partition(
    landing, warehouse, content, problem
):
    write_day(landing, DAY, [dossier_line()])
    assert load(landing, warehouse).rows_loaded == 1
    before = partition_path(warehouse, TABLE, DAY).read_bytes()
    (landing / "dossier_system" / DAY / "hoso_20240401.jsonl").write_bytes(content)
    result = load(landing, warehouse)
    rel = f"dossier_system/{DAY}/hoso_20240401.jsonl"
    assert result.rejected.startswith(f"{rel}: rejected: {problem}")
    assert result.rejected.endswith("the raw partition of the earlier delivery is left untouched")
    assert result.rows_read == result.rows_loaded == result.rows_quarantined == 0
    assert partition_path(warehouse, TABLE, DAY).read_bytes() == before


def test_truncated_gzip_is_rejected(landing, warehouse):
    folder = landing / "dossier_system" / DAY
    folder.mkdir(parents=True)
    data = gzip.compress((dossier_line() + "\n").encode() * 50)
    (folder / "hoso_20240401.jsonl.gz").write_bytes(data[: len(data) // 2])
    result = load(landing, warehouse)
    assert result.rejected.startswith(
        f"dossier_system/{DAY}/hoso_20240401.jsonl.gz: rejected: truncated or corrupt gzip"
    )
    assert result.rejected.endswith("nothing was loaded for this partition")
    assert not partition_path(warehouse, TABLE, DAY).exists()


def test_gzip_and_plain_give_the_same_rows(landing, warehouse, tmp_path):
    lines = [dossier_line(), dossier_line(MaHoSo="000.00.11.H04-240401-0002")]
    write_day(landing, DAY, lines)
    load(landing, warehouse)
    plain = pl.read_parquet(partition_path(warehouse, TABLE, DAY)).drop("_source_file")
    (landing / "dossier_system" / DAY / "hoso_20240401.jsonl").unlink()
    (landing / "dossier_system" / DAY / "hoso_20240401.jsonl.gz").write_bytes(
        gzip.compress("".join(line + "\n" for line in lines).encode())
    )
    assert load(landing, warehouse).rows_loaded == 2
    assert pl.read_parquet(partition_path(warehouse, TABLE, DAY)).drop("_source_file").equals(plain)


def test_file_named_for_another_day_is_its_own_rejection(landing, warehouse):
    """A misnamed file is refused by the landing scan on its own (ingest/landing.py); the
    day's loader does not take it for the day's delivery, and loads the day's own file."""
    write_day(landing, DAY, [dossier_line()], name="hoso_20240402.jsonl")
    result = load(landing, warehouse)
    assert result.rejected == (
        f"dossier_system/{DAY}/: rejected: no dossier_versions file delivered; "
        "nothing was loaded for this partition"
    )
    write_day(landing, DAY, [dossier_line()])
    result = load(landing, warehouse)
    assert result.rejected is None and result.rows_loaded == 1


def test_ambiguous_delivery_is_rejected(landing, warehouse):
    path = write_day(landing, DAY, [dossier_line()])
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes()))
    result = load(landing, warehouse)
    assert "ambiguous delivery" in result.rejected
    assert "hoso_20240401.jsonl" in result.rejected and "hoso_20240401.jsonl.gz" in result.rejected


def test_missing_reference_rejects_instead_of_quarantining_everything(landing, tmp_path):
    write_day(landing, DAY, [dossier_line()])
    result = load(landing, tmp_path / "empty_warehouse")
    assert "reference file tthc is not loaded" in result.rejected


def test_loading_twice_and_redelivery_replace_the_partition(landing, warehouse):
    first = [dossier_line(), dossier_line(MaHoSo="000.00.11.H04-240401-0002"), "broken"]
    write_day(landing, DAY, first)
    load(landing, warehouse)
    once = pl.read_parquet(partition_path(warehouse, TABLE, DAY))
    load(landing, warehouse)
    assert pl.read_parquet(partition_path(warehouse, TABLE, DAY)).equals(once)
    assert pl.read_parquet(quarantine_path(warehouse, TABLE, DAY)).height == 1

    corrected = [dossier_line(MaHoSo="000.00.11.H04-240401-0003", DanhGia=-1)]
    write_day(landing, DAY, corrected)
    result = load(landing, warehouse)
    raw = pl.read_parquet(partition_path(warehouse, TABLE, DAY))
    assert raw.get_column("MaHoSo").to_list() == ["000.00.11.H04-240401-0003"]
    assert raw.get_column("DanhGia").to_list() == [-1]
    assert result.rows_quarantined == 0
    assert not quarantine_path(warehouse, TABLE, DAY).exists()  # the stale quarantine is gone

    # exactly one load of the latest file into a fresh warehouse
    fresh = warehouse.parent / "fresh"
    from ingest.reference import load_reference

    load_reference(landing, fresh)
    load(landing, fresh)
    assert pl.read_parquet(partition_path(fresh, TABLE, DAY)).equals(raw)


def test_other_partitions_are_unaffected_by_a_rejected_file(landing, warehouse):
    write_day(
        landing,
        "2024-04-02",
        [dossier_line(NgayCapNhat="20240402090000", NgayTra="20240402080000")],
    )
    (landing / "dossier_system" / DAY).mkdir(parents=True)
    (landing / "dossier_system" / DAY / "hoso_20240401.jsonl").write_bytes(b"\xff\xfe")
    assert load(landing, warehouse, DAY).rejected
    assert load(landing, warehouse, "2024-04-02").rows_loaded == 1


def test_quarantine_over_five_percent_fails_the_batch_check(landing, warehouse):
    write_day(landing, DAY, [dossier_line()] * 10 + ["oops"])
    result = load(landing, warehouse)
    assert result.checks["quarantine_rate"]["passed"] is False


def test_no_personal_value_reaches_the_raw_layer(landing, warehouse):
    people = [
        ("Trần Thị Bí Mật", "024111122223", "0987654321", "bi.mat@example.vn"),
        ("Lê Văn Riêng", "024333344445", "0911222333", None),
    ]
    lines = [
        dossier_line(
            MaHoSo=f"000.00.11.H04-240401-000{i}",
            ChuHoSo=n,
            SoGiayToChuHoSo=c,
            SoDienThoai=p,
            Email=e,
        )
        for i, (n, c, p, e) in enumerate(people, start=1)
    ]
    write_day(landing, DAY, [*lines, lines[0][:-5]])  # plus a broken line (to quarantine)
    load(landing, warehouse)
    personal = {v for person in people for v in person if v}
    for path in (warehouse / "raw").rglob("*.parquet"):
        frame = pl.read_parquet(path)
        text = " ".join(str(frame[c].to_list()) for c in frame.columns)
        for value in personal:
            assert value not in text, f"a personal value found in {path}"
    assert "ChuHoSo" not in pl.read_parquet(partition_path(warehouse, TABLE, DAY)).columns


def test_applicant_key_follows_the_pii_key(landing, warehouse):
    """applicant_key = HMAC-SHA256(TTHC_PII_KEY, citizen ID): the same citizen keeps one key
    under one key (joins work), and every key changes when TTHC_PII_KEY changes."""
    write_day(landing, DAY, [
        dossier_line(),
        dossier_line(MaHoSo="000.00.11.H04-240401-0002"),  # the same citizen again
        dossier_line(MaHoSo="000.00.11.H04-240401-0003", SoGiayToChuHoSo="024199900002"),
    ])  # fmt: skip
    keys = {}
    for name, key in (("first", PII_KEY), ("second", b"another-key-5d1e-0123456789abcdef")):
        load_dossier_day(landing, warehouse, DAY, key)
        keys[name] = pl.read_parquet(partition_path(warehouse, TABLE, DAY)).get_column(
            "applicant_key"
        ).to_list()
    first, second = keys["first"], keys["second"]
    assert first[0] == first[1] != first[2]
    assert second[0] == second[1] != second[2]
    assert set(first).isdisjoint(second)
    assert second[2] == applicant_key("024199900002", b"another-key-5d1e-0123456789abcdef")
