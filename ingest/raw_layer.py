"""The raw layer: where each source lands after the door, and in what shape.

This module is the contract between ingest (which writes the raw layer), dbt (which reads it
as external Parquet sources) and the tests (which build small raw layers by hand). It also
holds the rules every reader of the sources shares: the code patterns and the quarantine
limit of sources.md.

Layout under ``TTHC_WAREHOUSE_DIR``::

    raw/<table>/<partition>.parquet      one file per source partition (day, month, snapshot)
    raw/<table>/_schema.parquet          zero rows, the table's schema: lets dbt read a table
                                         that has no partition yet (DuckDB's read_parquet
                                         fails on a glob that matches nothing)
    raw/reference/<name>/current.parquet reference files, unpartitioned (plus _schema.parquet)
    quarantine/<table>/<partition>.parquet   rows held back, with reason and raw text
                                             (restricted zone: holds personal data)
    loads/<table>/<partition>.json       the load record of a partition (orchestration/
                                         load_records.py, LoadRecord)

Column names stay the source's own (``MaHoSo``, ``NgayTiepNhan``; ASCII names for the
Vietnamese headers of the portal and VNeID files): staging renames them to business names,
once. Timestamps are naive ``Datetime("us")`` in Vietnam local time (UTC+7). Every raw table
carries the lineage columns ``_source_file`` (path relative to the landing root),
``_line_number`` (1-based line or row of the file; data rows only) and its partition column.

Personal data never reaches this layer: the dossier system's ``ChuHoSo``,
``SoGiayToChuHoSo``, ``SoDienThoai`` and ``Email`` are replaced by ``applicant_key``, the
HMAC-SHA256 (hex) of the citizen ID under ``TTHC_PII_KEY``.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import polars as pl

TS = pl.Datetime("us")

# The code patterns of sources.md, each once: the loaders' door rules (polars), the GX suites
# (expectations/suites.py) and the landing names (ingest/landing.py) all read these.
# ``[0-9]``, never ``\d``: polars' and Python's regexes are Unicode-aware, so ``\d`` also
# accepts full-width (２０２４) and Arabic-Indic digits, which would make a second spelling
# of the same code or day.
_AGENCY = r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.H[0-9]{2}"
AGENCY_CODE = f"^{_AGENCY}$"  # 000.00.11.H04
DOSSIER_CODE = f"^{_AGENCY}-[0-9]{{6}}-[0-9]{{4}}$"  # 000.20.15.H04-240612-0007
PROCEDURE_CODE = r"^[0-9]\.[0-9]{6}$"  # 1.001193
COMMUNE_CODE = r"^[0-9]{5}$"  # 07201
UNIT_CODE = r"^[0-9]{2,5}$"  # any administrative level: 24 (province) .. 07201 (commune)
# Partition keys, unanchored (fullmatch them): a day or month folder of the landing zone
# and the file name of its raw partition.
DAY_KEY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # YYYY-MM-DD
MONTH_KEY = r"[0-9]{4}-[0-9]{2}"  # YYYY-MM

# sources.md §1, "Severity": a batch (one landed file) with more than this share of its rows
# quarantined holds the publication back until it is re-delivered: a day loaded in part would
# silently bias the figures. At or under it, the quarantined rows are a warning.
MAX_QUARANTINE_RATE = 0.05

FEE = pl.Struct(
    {"MaPhiLePhi": pl.String, "TenPhiLePhi": pl.String, "Gia": pl.Int64, "LoaiPhiLePhi": pl.Int8}
)
SUPPLEMENT = pl.Struct(
    {"NgayBoSung": TS, "NgayTiepNhanBoSung": TS, "NgayHenTraTruoc": TS, "NgayHenTraMoi": TS}
)
RESULT_DOCUMENT = pl.Struct(
    {"TenGiayTo": pl.String, "MaGiayToKetQua": pl.String, "DuongDanTepTinKetQua": pl.String}
)
SUBMITTED_DOCUMENT = pl.Struct(
    {
        "MaThanhPhanHoSo": pl.String,
        "DuocSoHoa": pl.Int8,
        "DuocTaiSuDung": pl.Int8,
        "DuocLayTuKhoDMQG": pl.Int8,
    }
)

DOSSIER_VERSIONS = pl.Schema(
    {
        "MaHoSo": pl.String,
        "MaTTHC": pl.String,
        "MaCoQuan": pl.String,
        # optional (reorganisation.md): the desk that received the dossier, as delivered;
        # null when absent or empty (= MaCoQuan, applied in staging). Older partitions lack
        # the column: readers union by name, so it reads as null there.
        "MaDonViTiepNhan": pl.String,
        "KenhThucHien": pl.Int8,
        "applicant_key": pl.String,
        "TaiKhoanDuocXacThucVoiVNeID": pl.Int8,
        "NgayNopHoSo": TS,
        "NgayTiepNhan": TS,
        "NgayHenTra": TS,
        "TrangThaiHoSo": pl.Int8,
        "NgayKetThucXuLy": TS,
        "NgayTra": TS,
        "NgayTuChoi": TS,
        "HinhThucNhanKetQua": pl.Int8,
        "DuocThanhToanTrucTuyen": pl.Int8,
        "HoSoCoThanhPhanSoHoa": pl.Int8,
        "DanhSachLePhi": pl.List(FEE),
        "DanhSachHoSoBoSung": pl.List(SUPPLEMENT),
        "DanhSachGiayToKetQua": pl.List(RESULT_DOCUMENT),
        "TaiLieuNop": pl.List(SUBMITTED_DOCUMENT),
        "DanhGia": pl.Int8,
        "NgayCapNhat": TS,
        "_file_date": pl.Date,
        "_source_file": pl.String,
        "_line_number": pl.Int64,
    }
)

# 766 report: the Vietnamese headers of sources.md §2a, in ASCII.
PORTAL_766_HEADERS = {
    "STT": "stt",
    "Mã đơn vị": "ma_don_vi",
    "Tên đơn vị": "ten_don_vi",
    "Tiếp nhận": "tiep_nhan",
    "Trực tuyến": "truc_tuyen",
    "Trực tiếp": "truc_tiep",
    "BCCI": "bcci",
    "Đã xử lý": "da_xu_ly",
    "Đúng hạn": "dung_han",
    "Quá hạn": "qua_han",
    "Có phí": "co_phi",
    "Thanh toán trực tuyến": "thanh_toan_truc_tuyen",
    "Đồng bộ": "dong_bo",
    "Điểm Công khai": "diem_cong_khai",
    "Điểm Tiến độ": "diem_tien_do",
    "Điểm DVCTT": "diem_dvctt",
    "Điểm Thanh toán": "diem_thanh_toan",
    "Điểm Số hóa": "diem_so_hoa",
    "Điểm Hài lòng": "diem_hai_long",
    "Tổng điểm": "tong_diem",
}
PORTAL_766_COUNTS = [
    "tiep_nhan", "truc_tuyen", "truc_tiep", "bcci", "da_xu_ly", "dung_han", "qua_han",
    "co_phi", "thanh_toan_truc_tuyen", "dong_bo",
]  # fmt: skip
PORTAL_766_SCORES = [
    "diem_cong_khai", "diem_tien_do", "diem_dvctt", "diem_thanh_toan", "diem_so_hoa",
    "diem_hai_long", "tong_diem",
]  # fmt: skip
PORTAL_766 = pl.Schema(
    {"stt": pl.Int64, "ma_don_vi": pl.String, "ten_don_vi": pl.String}
    | {name: pl.Int64 for name in PORTAL_766_COUNTS}
    | {name: pl.Float64 for name in PORTAL_766_SCORES}
    | {"_report_month": pl.String, "_source_file": pl.String, "_line_number": pl.Int64}
)

# The report's `Tổng cộng` row (sources.md §2a): its `Điểm …` cells are the PROVINCE's own
# published scores (portal_766.md "Scores and their reconciliation"), not sums, so they are
# kept, one row per report (zero rows when the report has none), in the same load step and
# month partition as the agency rows; its count cells are sums, checked at the door and not
# kept. A table of its own, not a flagged row of portal_766: that table's grain (one row per
# agency, ma_don_vi not null and unique) and its count identity (rows read = loaded +
# quarantined, over agency rows) stay as they are.
PORTAL_766_TOTALS = pl.Schema(
    {name: pl.Float64 for name in PORTAL_766_SCORES}
    | {"_report_month": pl.String, "_source_file": pl.String, "_line_number": pl.Int64}
)

PORTAL_SYNCED = pl.Schema(
    {
        "MaHoSo": pl.String,
        "MaCoQuan": pl.String,
        "TrangThaiHoSo": pl.Int8,
        "KenhThucHien": pl.Int8,
        "NgayTiepNhan": TS,
        "NgayKetThucXuLy": TS,
        "DuocThanhToanTrucTuyen": pl.Int8,
        "_report_month": pl.String,
        "_source_file": pl.String,
        "_line_number": pl.Int64,
    }
)

VNEID_HEADERS = {
    "Mã ĐVHC": "ma_dvhc",
    "Tên ĐVHC": "ten_dvhc",
    "Ngày số liệu": "ngay_so_lieu",
    "Công dân đủ điều kiện": "cong_dan_du_dieu_kien",
    "Đã cấp mức 1": "da_cap_muc_1",
    "Đã cấp mức 2": "da_cap_muc_2",
    "Đã kích hoạt": "da_kich_hoat",
}
VNEID_COUNTS = pl.Schema(
    {
        "ma_dvhc": pl.String,
        "ten_dvhc": pl.String,
        "ngay_so_lieu": pl.Date,
        "cong_dan_du_dieu_kien": pl.Int64,
        "da_cap_muc_1": pl.Int64,
        "da_cap_muc_2": pl.Int64,
        "da_kich_hoat": pl.Int64,
        "_snapshot_date": pl.Date,
        "_source_file": pl.String,
        "_line_number": pl.Int64,
    }
)

_REF_LINEAGE = {"_source_file": pl.String, "_line_number": pl.Int64}
REFERENCE = {
    "don_vi": pl.Schema(
        {
            "ma_don_vi": pl.String,
            "ten_don_vi": pl.String,
            "cap": pl.String,
            "ma_dvhc": pl.String,
            "ma_don_vi_cha": pl.String,
            "hieu_luc_tu": pl.Date,
            "hieu_luc_den": pl.Date,
            # optional last column (reorganisation.md): the agency that took over the
            # dossiers of a row whose validity ended; a file without it has no successors
            "ma_don_vi_ke_thua": pl.String,
        }
        | _REF_LINEAGE
    ),
    "dvhc": pl.Schema(
        {
            "ma_dvhc": pl.String,
            "ten_dvhc": pl.String,
            "cap": pl.String,
            "ma_dvhc_cha": pl.String,
            "hieu_luc_tu": pl.Date,
            "hieu_luc_den": pl.Date,
            "ma_dvhc_ke_thua": pl.String,
        }
        | _REF_LINEAGE
    ),
    "tthc": pl.Schema(
        {
            "ma_tthc": pl.String,
            "ten_tthc": pl.String,
            "ma_linh_vuc": pl.String,
            "ten_linh_vuc": pl.String,
            "cap_thuc_hien": pl.String,
            "muc_do_dvc": pl.String,
            "co_phi": pl.Int8,
            "thoi_han": pl.Int32,
            "don_vi_thoi_han": pl.String,
            "yeu_cau_ket_qua_giay": pl.Int8,
            "ma_co_quan_cong_bo": pl.String,
        }
        | _REF_LINEAGE
    ),
    "cong_bo": pl.Schema(
        {
            "ma_tthc": pl.String,
            "ma_co_quan_cong_bo": pl.String,
            "so_qd_bo": pl.String,
            "ngay_hieu_luc_van_ban": pl.Date,
            "so_qd_tinh": pl.String,
            "ngay_qd_tinh": pl.Date,
            "ngay_cong_khai": pl.Date,
        }
        | _REF_LINEAGE
    ),
    "ngay_nghi": pl.Schema(
        {"ngay": pl.Date, "loai": pl.String, "ten": pl.String} | _REF_LINEAGE
    ),
    "chi_tieu": pl.Schema(
        {"ma_chi_tieu": pl.String, "nam": pl.Int32, "gia_tri": pl.Float64, "nguon": pl.String}
        | _REF_LINEAGE
    ),
}

QUARANTINE = pl.Schema(
    {
        "source": pl.String,
        "file": pl.String,
        "line": pl.Int64,
        "reason": pl.String,
        "raw_text": pl.String,
    }
)

# The quarantine keeps the raw text of bad lines, personal data included: with the landing
# zone it is the restricted zone (operations.md, "Guarantees"), readable by this user only.
QUARANTINE_DIR = "quarantine"
RESTRICTED_FOLDER_MODE = 0o700
RESTRICTED_FILE_MODE = 0o600

# Partitioned raw tables: name -> schema. Reference tables live in raw/reference/.
PARTITIONED_TABLES: dict[str, pl.Schema] = {
    "dossier_versions": DOSSIER_VERSIONS,
    "portal_766": PORTAL_766,
    "portal_766_totals": PORTAL_766_TOTALS,
    "portal_synced": PORTAL_SYNCED,
    "vneid_counts": VNEID_COUNTS,
}

# Raw tables written by another table's load (same landed file, same partition key, one load
# record: the main table's). A main partition whose companion is missing (loaded before the
# companion existed) is loaded again (orchestration/assets/raw.py).
COMPANION_TABLES: dict[str, tuple[str, ...]] = {"portal_766": ("portal_766_totals",)}

SCHEMA_FILE = "_schema.parquet"
# a day or a month; fullmatch, never ``$`` (which would accept a trailing newline)
PARTITION_KEY = re.compile(f"{DAY_KEY}|{MONTH_KEY}")


def raw_dir(warehouse_dir: Path, table: str) -> Path:
    return Path(warehouse_dir) / "raw" / table


def partition_path(warehouse_dir: Path, table: str, partition_key: str) -> Path:
    """Path of one raw partition. The key is validated: it comes from folder names in the
    landing zone, and a crafted name must never address a file outside the raw layer."""
    if table not in PARTITIONED_TABLES:
        raise ValueError(f"unknown raw table {table!r}")
    if not isinstance(partition_key, str) or not PARTITION_KEY.fullmatch(partition_key):
        raise ValueError(f"invalid partition key {partition_key!r} (YYYY-MM or YYYY-MM-DD)")
    return raw_dir(warehouse_dir, table) / f"{partition_key}.parquet"


def reference_path(warehouse_dir: Path, name: str) -> Path:
    if name not in REFERENCE:
        raise ValueError(f"unknown reference file {name!r}")
    return Path(warehouse_dir) / "raw" / "reference" / name / "current.parquet"


def reference_quarantine_path(warehouse_dir: Path, name: str) -> Path:
    reference_path(warehouse_dir, name)  # validates the name
    return Path(warehouse_dir) / QUARANTINE_DIR / "reference" / f"{name}.parquet"


def reference_load_record_path(warehouse_dir: Path, name: str) -> Path:
    reference_path(warehouse_dir, name)
    return Path(warehouse_dir) / "loads" / "reference" / f"{name}.json"


def quarantine_path(warehouse_dir: Path, table: str, partition_key: str) -> Path:
    partition_path(warehouse_dir, table, partition_key)  # validates both names
    return Path(warehouse_dir) / QUARANTINE_DIR / table / f"{partition_key}.parquet"


def load_record_path(warehouse_dir: Path, table: str, partition_key: str) -> Path:
    partition_path(warehouse_dir, table, partition_key)
    return Path(warehouse_dir) / "loads" / table / f"{partition_key}.json"


def write_parquet_atomically(frame: pl.DataFrame, path: Path, mode: int | None = None) -> None:
    """Write to a temporary name in the same folder, then rename: a reader (dbt, a killed
    run's successor) sees the old file or the new one, never half of one. ``mode``: the
    file's permissions, set before it takes its name (default: the umask's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        frame.write_parquet(tmp, compression="zstd", statistics=True)
        if mode is not None:
            tmp.chmod(mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def make_restricted_folder(folder: Path) -> None:
    """Create ``folder``; it and its parents up to the quarantine root (``quarantine/``)
    get mode 0700, whatever the umask, folders made by earlier versions included."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    chain = [folder, *folder.parents]
    roots = [i for i, f in enumerate(chain) if f.name == QUARANTINE_DIR]
    for restricted in chain[: roots[0] + 1] if roots else [folder]:
        if restricted.stat().st_mode & 0o777 != RESTRICTED_FOLDER_MODE:
            restricted.chmod(RESTRICTED_FOLDER_MODE)


def write_quarantine_atomically(frame: pl.DataFrame, path: Path) -> None:
    """Write a quarantine file (raw lines with personal data: the restricted zone): its
    folders 0700, the file 0600 from before it has its name."""
    make_restricted_folder(Path(path).parent)
    write_parquet_atomically(frame, Path(path), mode=RESTRICTED_FILE_MODE)


def write_text_atomically(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_schema_files(warehouse_dir: Path) -> None:
    """Give every raw table (and every reference table) a zero-row schema file, so that dbt
    can build, with empty results, before a source has delivered anything.

    A schema file of an older contract is rewritten: dbt reads each table with
    ``union_by_name``, so the schema file is what gives a column added to the contract
    (``MaDonViTiepNhan``) to a warehouse whose partitions were all loaded before it."""
    tables = [(raw_dir(warehouse_dir, t), s) for t, s in PARTITIONED_TABLES.items()]
    tables += [(Path(warehouse_dir) / "raw" / "reference" / n, s) for n, s in REFERENCE.items()]
    for folder, schema in tables:
        path = folder / SCHEMA_FILE
        if not path.exists() or pl.read_parquet_schema(path) != dict(schema):
            write_parquet_atomically(pl.DataFrame(schema=schema), path)
