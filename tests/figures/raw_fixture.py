"""A tiny raw layer written by hand, in exactly the ingest/raw_layer.py schemas.

Every number the tests expect is derived by hand from the rows below (see the comments in the
test modules). Agencies:

    PROV    000.00.11.H04  provincial department (cap tinh): no district
    HUYEN_A 000.00.21.H04  district people's committee of 213
    HUYEN_B 000.00.29.H04  district people's committee of 222
    XA      201.21.21.H04  commune agency; parent HUYEN_A until 2024-05-14, HUYEN_B from 2024-05-15
    CEASED  210.21.21.H04  commune agency under HUYEN_A, valid until 2024-03-31 only; its
                           successor (ma_don_vi_ke_thua) is XA

Receiving desks (MaDonViTiepNhan, reorganisation.md): A01 names PROV itself, A02 XA, A03 a
code don_vi does not know (UNKNOWN_DESK), B01 (XA) HUYEN_A; every other dossier leaves it out.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import polars as pl

from ingest import raw_layer

PROV = "000.00.11.H04"
HUYEN_A = "000.00.21.H04"
HUYEN_B = "000.00.29.H04"
XA = "201.21.21.H04"
CEASED = "210.21.21.H04"
UNKNOWN_DESK = "999.99.99.H99"  # well-formed, in no don_vi row
P_WD = "1.000001"  # 3 working days, field F1, paper result required
P_CD = "1.000002"  # 5 calendar days, field F2
P_PUB = "1.000003"


def ts(text: str | None) -> datetime | None:
    return None if text is None else datetime.strptime(text, "%Y-%m-%d %H:%M")


def _precise_ts(text: str | None) -> datetime | None:
    """A timestamp with seconds and fractions (the synced list's)."""
    return None if text is None else datetime.fromisoformat(text)


def d(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def supplement(requested, answered=None, previous=None, new=None) -> dict:
    return {
        "NgayBoSung": ts(requested),
        "NgayTiepNhanBoSung": ts(answered),
        "NgayHenTraTruoc": ts(previous),
        "NgayHenTraMoi": ts(new),
    }


def version(
    code,
    agency,
    procedure,
    channel,
    status,
    *,
    file_date,
    received=None,
    submitted=None,
    appointment=None,
    ended=None,
    returned=None,
    refused=None,
    delivery=1,
    paid=0,
    digitized_flag=0,
    fees=(),
    supplements=(),
    result_links=(),
    documents=(),
    rating=None,
    vneid=0,
    updated=None,
    receiving=None,
) -> dict:
    return {
        "MaHoSo": code,
        "MaTTHC": procedure,
        "MaCoQuan": agency,
        "MaDonViTiepNhan": receiving,
        "KenhThucHien": channel,
        "applicant_key": f"key-{code}",
        "TaiKhoanDuocXacThucVoiVNeID": vneid,
        "NgayNopHoSo": ts(submitted or received),
        "NgayTiepNhan": ts(received),
        "NgayHenTra": ts(appointment),
        "TrangThaiHoSo": status,
        "NgayKetThucXuLy": ts(ended),
        "NgayTra": ts(returned),
        "NgayTuChoi": ts(refused),
        "HinhThucNhanKetQua": delivery,
        "DuocThanhToanTrucTuyen": paid,
        "HoSoCoThanhPhanSoHoa": digitized_flag,
        "DanhSachLePhi": [
            {"MaPhiLePhi": "LP", "TenPhiLePhi": "Lệ phí", "Gia": gia, "LoaiPhiLePhi": 1}
            for gia in fees
        ],
        "DanhSachHoSoBoSung": list(supplements),
        "DanhSachGiayToKetQua": [
            {"TenGiayTo": "Kết quả", "MaGiayToKetQua": "KQ", "DuongDanTepTinKetQua": link}
            for link in result_links
        ],
        "TaiLieuNop": [
            {
                "MaThanhPhanHoSo": "TP",
                "DuocSoHoa": so_hoa,
                "DuocTaiSuDung": tai_su_dung,
                "DuocLayTuKhoDMQG": 0,
            }
            for so_hoa, tai_su_dung in documents
        ],
        "DanhGia": rating,
        "NgayCapNhat": ts(updated) if updated else datetime.fromisoformat(file_date + "T20:00"),
        "_file_date": d(file_date),
    }


# In file order: within one file, the line number is the position in this list.
DOSSIER_VERSIONS = [
    # --- PROV, March–April
    version(
        "A09",
        PROV,
        P_WD,
        1,
        10,
        file_date="2024-04-02",
        received="2024-03-28 08:00",
        appointment="2024-04-03 17:00",
        ended="2024-04-02 10:00",
        returned="2024-04-02 11:00",
    ),
    version(
        "A01",
        PROV,
        P_WD,
        2,
        10,
        file_date="2024-04-05",
        submitted="2024-04-01 07:30",
        received="2024-04-01 08:00",
        appointment="2024-04-04 17:00",
        ended="2024-04-03 10:00",
        returned="2024-04-05 09:00",
        delivery=2,
        paid=1,
        fees=[50000],
        result_links=["https://kq.example/A01.pdf"],
        documents=[(1, 1)],
        rating=1,
        vneid=1,
        receiving=PROV,  # the handling agency itself: not elsewhere
    ),
    version(
        "A02",
        PROV,
        P_WD,
        1,
        9,
        file_date="2024-04-05",
        received="2024-04-02 09:00",
        appointment="2024-04-05 17:00",
        ended="2024-04-05 15:00",
        digitized_flag=1,
        fees=[30000],
        result_links=[""],
        rating=-1,
        receiving=XA,  # received at another desk
    ),
    version(
        "A10",
        PROV,
        P_WD,
        1,
        3,
        file_date="2024-04-05",
        submitted="2024-04-04 08:00",
        refused="2024-04-05 09:00",
    ),
    version(
        "A03",
        PROV,
        P_WD,
        3,
        10,
        file_date="2024-04-09",
        received="2024-04-02 09:00",
        appointment="2024-04-05 17:00",
        ended="2024-04-08 10:00",
        returned="2024-04-09 10:00",
        fees=[0],
        documents=[(0, 0)],
        receiving=UNKNOWN_DESK,  # loads; warned per file, counts as elsewhere
    ),
    version(
        "A04",
        PROV,
        P_WD,
        2,
        7,
        file_date="2024-04-10",
        received="2024-04-03 08:00",
        appointment="2024-04-08 17:00",
        ended="2024-04-10 09:00",
    ),
    version(
        "B01",
        XA,
        P_WD,
        1,
        2,
        file_date="2024-04-10",
        received="2024-04-10 08:00",
        appointment="2024-06-28 17:00",
        receiving=HUYEN_A,
    ),
    version(
        "C01",
        CEASED,
        P_WD,
        2,
        2,
        file_date="2024-04-10",
        received="2024-04-10 08:00",
        appointment="2024-06-28 17:00",
    ),
    version(
        "D01",
        HUYEN_B,
        P_WD,
        3,
        2,
        file_date="2024-04-10",
        received="2024-04-10 08:00",
        appointment="2024-06-28 17:00",
    ),
    version(
        "A05",
        PROV,
        P_WD,
        2,
        9,
        file_date="2024-04-12",
        received="2024-04-10 08:00",
        appointment="2024-04-15 17:00",
        ended="2024-04-12 10:00",
        supplements=[
            supplement("2024-04-10 10:00", "2024-04-11 08:00"),
            supplement("2024-04-11 10:00", "2024-04-11 15:00"),
        ],
    ),
    version(
        "A07",
        PROV,
        P_WD,
        2,
        4,
        file_date="2024-04-15",
        received="2024-04-15 08:00",
        appointment="2024-04-18 17:00",
        vneid=1,
    ),
    version(
        "A08",
        PROV,
        P_WD,
        1,
        5,
        file_date="2024-04-26",
        received="2024-04-25 08:00",
        appointment="2024-04-26 17:00",
        supplements=[supplement("2024-04-26 09:00")],
    ),
    version("A11", PROV, P_WD, 2, 1, file_date="2024-04-29", submitted="2024-04-29 08:00"),
    # --- May. Ties: A13 (same NgayCapNhat in two files and two lines), A14 (same file).
    version(
        "A13",
        PROV,
        P_WD,
        2,
        2,
        file_date="2024-05-02",
        received="2024-05-02 08:00",
        appointment="2024-05-07 17:00",
        updated="2024-05-02 10:00",
    ),
    version(
        "A14",
        PROV,
        P_WD,
        3,
        2,
        file_date="2024-05-02",
        received="2024-05-02 08:00",
        appointment="2024-05-06 17:00",
        updated="2024-05-02 11:00",
    ),
    version(
        "A14",
        PROV,
        P_WD,
        3,
        4,
        file_date="2024-05-02",
        received="2024-05-02 08:00",
        appointment="2024-05-06 17:00",
        updated="2024-05-02 11:00",
    ),
    version(
        "A13",
        PROV,
        P_WD,
        2,
        4,
        file_date="2024-05-03",
        received="2024-05-02 08:00",
        appointment="2024-05-07 17:00",
        updated="2024-05-02 10:00",
    ),
    version(
        "A13",
        PROV,
        P_WD,
        2,
        9,
        file_date="2024-05-03",
        received="2024-05-02 08:00",
        appointment="2024-05-07 17:00",
        ended="2024-05-03 09:00",
        updated="2024-05-02 10:00",
    ),
    version(
        "A06",
        PROV,
        P_WD,
        1,
        10,
        file_date="2024-05-09",
        received="2024-04-22 08:00",
        appointment="2024-04-25 17:00",
        ended="2024-05-08 17:30",
        returned="2024-05-09 08:00",
        supplements=[
            supplement(
                "2024-04-24 09:00", "2024-05-02 08:00", "2024-04-25 17:00", "2024-05-08 17:00"
            )
        ],
    ),
    # A15: the version with the greater NgayCapNhat wins over a later file.
    version(
        "A15",
        PROV,
        P_WD,
        2,
        9,
        file_date="2024-05-10",
        received="2024-05-06 08:00",
        appointment="2024-05-09 17:00",
        ended="2024-05-09 16:00",
        updated="2024-05-10 09:00",
    ),
    version(
        "A15",
        PROV,
        P_WD,
        2,
        4,
        file_date="2024-05-12",
        received="2024-05-06 08:00",
        appointment="2024-05-09 17:00",
        updated="2024-05-09 12:00",
    ),
    version(
        "B02",
        XA,
        P_WD,
        1,
        2,
        file_date="2024-05-16",
        received="2024-05-16 08:00",
        appointment="2024-06-28 17:00",
    ),
    version("B03", XA, P_WD, 2, 1, file_date="2024-05-16", submitted="2024-05-16 09:00"),
    # data_through = 2024-05-20, the latest file.
    version("A12", PROV, P_CD, 1, 4, file_date="2024-05-20", received="2024-05-06 08:00"),
]

DON_VI = [
    (PROV, "Sở Tư pháp", "tinh", "24", None, "2008-01-01", None),
    (HUYEN_A, "UBND thành phố Bắc Giang", "huyen", "213", None, "2008-01-01", None),
    (HUYEN_B, "UBND thị xã Việt Yên", "huyen", "222", None, "2008-01-01", None),
    (XA, "UBND phường Thọ Xương", "xa", "07201", HUYEN_A, "2008-01-01", "2024-05-14"),
    (XA, "UBND phường Thọ Xương", "xa", "07201", HUYEN_B, "2024-05-15", None),
    # CEASED's dossiers pass to XA (ma_don_vi_ke_thua; reorganisation.md): only the restated
    # marts read it, so every as-was figure is unchanged; restated, C01 counts under XA, at
    # XA's district at data_through (222)
    (CEASED, "UBND phường Hoàng Văn Thụ", "xa", "07210", HUYEN_A, "2008-01-01", "2024-03-31", XA),
]

DVHC = [
    ("24", "Tỉnh Bắc Giang", "tinh", None, "1997-01-01", None, None),
    ("213", "Thành phố Bắc Giang", "huyen", "24", "1997-01-01", None, None),
    ("222", "Thị xã Việt Yên", "huyen", "24", "1997-01-01", None, None),
    ("07201", "Phường Thọ Xương", "xa", "213", "1997-01-01", None, None),
    ("07207", "Phường Trần Phú", "xa", "213", "1997-01-01", None, None),
    ("07210", "Phường Hoàng Văn Thụ", "xa", "213", "1997-01-01", "2024-05-14", "07207"),
    ("07798", "Phường Bích Động", "xa", "222", "1997-01-01", None, None),
]

TTHC = [
    (
        P_WD,
        "Thủ tục ngày làm việc",
        "F1",
        "Hộ tịch",
        "xa",
        "mot_phan",
        1,
        3,
        "ngay_lam_viec",
        1,
        PROV,
    ),
    (P_CD, "Thủ tục ngày lịch", "F2", "Đất đai", "huyen", "mot_phan", 0, 5, "ngay", 0, PROV),
    (P_PUB, "Thủ tục công bố", "F1", "Hộ tịch", "tinh", "khong", 0, 10, "ngay_lam_viec", 0, PROV),
]

CONG_BO = [
    # on time both ways (wd_sub(1/3, 5) = 23/2; wd_add(23/2, 5) = 1/3)
    (P_WD, PROV, "1085/QĐ-BTP", "2024-03-01", "215/QĐ-UBND", "2024-02-23", "2024-03-01"),
    # published late (wd_sub(6/5, 5) = 25/4 < 26/4), made public on time (wd_add(26/4, 5) = 7/5)
    (P_CD, PROV, "1290/QĐ-BTP", "2024-05-06", "402/QĐ-UBND", "2024-04-26", "2024-05-07"),
    # P_WD again: published on time, never made public, deadline 13/9 passed → P_WD late
    (P_WD, PROV, "2001/QĐ-BTP", "2024-09-20", "900/QĐ-UBND", "2024-09-06", None),
    # deadline wd_add(27/12, 5) = 3/1/2025 is next year: not yet due
    (P_PUB, PROV, "2210/QĐ-BTP", "2025-01-20", "1530/QĐ-UBND", "2024-12-27", None),
]

NGAY_NGHI = [
    ("2024-01-01", "nghi"),
    ("2024-02-08", "nghi"),
    ("2024-02-09", "nghi"),
    ("2024-02-12", "nghi"),
    ("2024-02-13", "nghi"),
    ("2024-02-14", "nghi"),
    ("2024-04-18", "nghi"),
    ("2024-04-29", "nghi"),
    ("2024-04-30", "nghi"),
    ("2024-05-01", "nghi"),
    ("2024-05-04", "lam_bu"),
    ("2024-09-02", "nghi"),
    ("2024-09-03", "nghi"),
]

CHI_TIEU = [
    ("on_time_rate", 2024, 0.98, "test"),
    ("supplement_rate", 2024, 0.4, "test"),
    # a target for a KPI without a direction: its meets_target stays null
    ("received_elsewhere_rate", 2024, 0.1, "test"),
]

# The synced list of April (May has none). Only the codes count for sync_rate_766 (PROV: A01–A03
# received in April, 5 list rows ≤ 8 received; XA: B01); the fields plant one disagreement of
# each kind for reconciliation_dossiers (see test_reconciliation):
#   (code, agency, status, channel, received, ended, paid online)
SYNCED_2024_04 = [
    # agrees: ended 0.7 s later (compared to the second), paid 2 against the system's 1
    ("A01", PROV, 10, 2, "2024-04-01 08:00", "2024-04-03 10:00:00.700", 2),
    # status 10 against 9, ended one second later
    ("A02", PROV, 10, 1, "2024-04-02 09:00", "2024-04-05 15:00:01", 0),
    # channel 1 against 3 (post), paid online against not paid
    ("A03", PROV, 10, 1, "2024-04-02 09:00", "2024-04-08 10:00", 1),
    # unknown to the system
    ("X99", PROV, 2, 1, "2024-04-20 08:00", None, 0),
    # agrees
    ("B01", XA, 2, 1, "2024-04-10 08:00", None, 0),
    # received 28/3 in the system: received_at differs (and it is not April's reception there)
    ("A09", PROV, 10, 1, "2024-04-01 08:00", "2024-04-02 10:00", 0),
]

# The 766 reports of April and May: (month, agency, name, tiep_nhan, truc_tuyen, truc_tiep,
# bcci, da_xu_ly, dung_han, qua_han, co_phi, thanh_toan_truc_tuyen, dong_bo, diem_tien_do).
# PROV April differs on Trực tuyến (5 against 4), Quá hạn (1 against 2), Có phí (3 against 2)
# and Đồng bộ (4 against 3); XA April and PROV May agree; HUYEN_A April and HUYEN_B May have
# rows but no system counts; CEASED and HUYEN_B in April, XA in May have no row.
PORTAL_766_ROWS = [
    ("2024-04", PROV, "Sở Tư pháp", 8, 5, 3, 1, 6, 4, 1, 3, 1, 4, 13.0),
    ("2024-04", XA, "UBND phường Thọ Xương", 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, None),
    ("2024-04", HUYEN_A, "UBND thành phố Bắc Giang", 2, 2, 0, 0, 1, 1, 0, 0, 0, 2, None),
    ("2024-05", PROV, "Sở Tư pháp", 4, 2, 1, 1, 3, 2, 1, 0, 0, 4, None),
    ("2024-05", HUYEN_B, "UBND thị xã Việt Yên", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None),
]

VNEID = {
    "2024-05-10": [("07201", 100, 10, 40, 30)],
    "2024-05-20": [("07201", 100, 10, 50, 40), ("07798", 200, 20, 100, 60)],
}


def _reference_frame(name: str, rows: list[tuple]) -> pl.DataFrame:
    schema = raw_layer.REFERENCE[name]
    columns = [c for c in schema.names() if not c.startswith("_")]
    records = []
    for line, row in enumerate(rows, start=2):
        # a row without the trailing optional columns (don_vi's ma_don_vi_ke_thua): empty
        row = (*row, *[None] * (len(columns) - len(row)))
        record = dict(zip(columns, row, strict=True))
        for column, dtype in schema.items():
            if dtype == pl.Date and isinstance(record.get(column), str):
                record[column] = d(record[column])
        record |= {"_source_file": f"reference/{name}.csv", "_line_number": line}
        records.append(record)
    return pl.DataFrame(records, schema=schema)


def write_reference(warehouse: Path, name: str, rows: list[tuple]) -> None:
    """Replace one reference file of the raw layer by ``rows`` (the file's columns in order)."""
    raw_layer.write_parquet_atomically(
        _reference_frame(name, rows), raw_layer.reference_path(warehouse, name)
    )


def write_raw_layer(warehouse: Path) -> None:
    by_file: dict[date, list[dict]] = {}
    for row in DOSSIER_VERSIONS:
        by_file.setdefault(row["_file_date"], []).append(row)
    for file_date, rows in by_file.items():
        stamp = file_date.strftime("%Y%m%d")
        records = [
            row
            | {"_source_file": f"dossier_system/{file_date}/hoso_{stamp}.jsonl", "_line_number": i}
            for i, row in enumerate(rows, start=1)
        ]
        frame = pl.DataFrame(records, schema=raw_layer.DOSSIER_VERSIONS)
        raw_layer.write_parquet_atomically(
            frame, raw_layer.partition_path(warehouse, "dossier_versions", file_date.isoformat())
        )

    for name, rows in [
        ("don_vi", DON_VI),
        ("dvhc", DVHC),
        ("tthc", TTHC),
        ("cong_bo", CONG_BO),
        ("ngay_nghi", [(day, kind, "") for day, kind in NGAY_NGHI]),
        ("chi_tieu", CHI_TIEU),
    ]:
        raw_layer.write_parquet_atomically(
            _reference_frame(name, rows), raw_layer.reference_path(warehouse, name)
        )

    for month in sorted({row[0] for row in PORTAL_766_ROWS}):
        portal = [
            {name: None for name in raw_layer.PORTAL_766.names()}
            | dict(
                zip(
                    ["ma_don_vi", "ten_don_vi", *raw_layer.PORTAL_766_COUNTS],
                    row[1:13],
                    strict=True,
                )
            )
            | {
                "stt": i,
                "diem_tien_do": row[13],
                "_report_month": month,
                "_source_file": f"dvc_portal/{month}/dvcqg_766_{month}.csv",
                "_line_number": i + 1,
            }
            for i, row in enumerate([r for r in PORTAL_766_ROWS if r[0] == month], start=1)
        ]
        raw_layer.write_parquet_atomically(
            pl.DataFrame(portal, schema=raw_layer.PORTAL_766),
            raw_layer.partition_path(warehouse, "portal_766", month),
        )

    synced = [
        {
            "MaHoSo": code,
            "MaCoQuan": agency,
            "TrangThaiHoSo": status,
            "KenhThucHien": channel,
            "NgayTiepNhan": _precise_ts(received),
            "NgayKetThucXuLy": _precise_ts(ended),
            "DuocThanhToanTrucTuyen": paid,
            "_report_month": "2024-04",
            "_source_file": "dvc_portal/2024-04/dvcqg_dongbo_2024-04.csv",
            "_line_number": i,
        }
        for i, (code, agency, status, channel, received, ended, paid) in enumerate(
            SYNCED_2024_04, start=2
        )
    ]
    raw_layer.write_parquet_atomically(
        pl.DataFrame(synced, schema=raw_layer.PORTAL_SYNCED),
        raw_layer.partition_path(warehouse, "portal_synced", "2024-04"),
    )

    for snapshot, rows in VNEID.items():
        records = [
            {
                "ma_dvhc": code,
                "ten_dvhc": code,
                "ngay_so_lieu": d(snapshot),
                "cong_dan_du_dieu_kien": eligible,
                "da_cap_muc_1": l1,
                "da_cap_muc_2": l2,
                "da_kich_hoat": activated,
                "_snapshot_date": d(snapshot),
                "_source_file": f"vneid/{snapshot}/vneid.csv",
                "_line_number": i,
            }
            for i, (code, eligible, l1, l2, activated) in enumerate(rows, start=2)
        ]
        raw_layer.write_parquet_atomically(
            pl.DataFrame(records, schema=raw_layer.VNEID_COUNTS),
            raw_layer.partition_path(warehouse, "vneid_counts", snapshot),
        )

    raw_layer.ensure_schema_files(warehouse)
