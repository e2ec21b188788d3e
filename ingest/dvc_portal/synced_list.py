"""Read, validate and load ``dvcqg_dongbo_YYYY-MM.csv``: the dossiers of the province that
the portal holds with a reception date in the month, as the portal sees them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from ingest.common.csvfile import check_columns, read_csv_text
from ingest.common.files import (
    MAX_UNPACKED_BYTES,
    FileRejected,
    find_landed_file,
    read_text,
)
from ingest.common.rules import (
    bad_cast,
    first_reason,
    null_if_empty,
    parse_compact_ts,
    to_int,
)
from ingest.common.writer import (
    conform,
    quarantine_frame,
    record_load,
    rejected_message,
)
from ingest.dossier_system.loader import PATTERNS, REQUIRED_TS_FOR_STATUS
from ingest.load_result import LoadResult
from ingest.raw_layer import PORTAL_SYNCED, partition_path, quarantine_path
from ingest.reference.lookup import ReferenceMissing, known_codes

TABLE = "portal_synced"
SOURCE = "dvc_portal"
COLUMNS = [c for c in PORTAL_SYNCED if not c.startswith("_")]
REQUIRED = ("MaHoSo", "MaCoQuan", "TrangThaiHoSo", "KenhThucHien", "NgayTiepNhan")
INTS = ("TrangThaiHoSo", "KenhThucHien", "DuocThanhToanTrucTuyen")
TIMESTAMPS = ("NgayTiepNhan", "NgayKetThucXuLy")
SYNCED_RULE_ORDER = [
    *(f"missing_field:{c}" for c in REQUIRED),
    *(f"wrong_type:{c}" for c in INTS),
    "bad_pattern:MaHoSo",
    "bad_pattern:MaCoQuan",
    "unknown_agency",
    "unknown_status",
    "unknown_channel",
    *(f"bad_timestamp:{c}" for c in TIMESTAMPS),
    "missing_timestamp_for_status:NgayKetThucXuLy",
    "received_after_ended",
    "received_outside_month",
    "duplicate_key",
]


def read_synced_list(
    path: Path,
    rel: str,
    month: str,
    agencies: pl.Series | None,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
):
    frame = read_csv_text(read_text(path, max_unpacked_bytes), ",")
    warnings = []
    extra = check_columns(frame, COLUMNS)
    if extra:
        warnings.append(f"{rel}: schema drift: unknown column(s) dropped: {', '.join(extra)}")
    frame = frame.with_columns([null_if_empty(pl.col(c)).alias(c) for c in COLUMNS]).with_columns(
        [to_int(pl.col(c)).alias(f"_t_{c}") for c in INTS]
        + [parse_compact_ts(pl.col(c)).alias(f"_t_{c}") for c in TIMESTAMPS]
    )
    first = dt.date.fromisoformat(f"{month}-01")
    rules: list[tuple[str, pl.Expr]] = [
        (f"missing_field:{c}", pl.col(c).is_null()) for c in REQUIRED
    ]
    rules += [(f"wrong_type:{c}", bad_cast(pl.col(c), pl.col(f"_t_{c}"))) for c in INTS]
    rules += [
        (f"bad_pattern:{c}", ~pl.col(c).str.contains(PATTERNS[c])) for c in ("MaHoSo", "MaCoQuan")
    ]
    if agencies is not None:
        rules.append(("unknown_agency", ~pl.col("MaCoQuan").is_in(agencies.implode())))
    rules += [
        ("unknown_status", ~pl.col("_t_TrangThaiHoSo").is_between(1, 10)),
        ("unknown_channel", ~pl.col("_t_KenhThucHien").is_between(1, 3)),
    ]
    rules += [(f"bad_timestamp:{c}", bad_cast(pl.col(c), pl.col(f"_t_{c}"))) for c in TIMESTAMPS]
    rules.append(
        (
            "missing_timestamp_for_status:NgayKetThucXuLy",
            pl.col("_t_TrangThaiHoSo").is_in(list(REQUIRED_TS_FOR_STATUS["NgayKetThucXuLy"]))
            & pl.col("_t_NgayKetThucXuLy").is_null(),
        )
    )
    rules.append(("received_after_ended", pl.col("_t_NgayTiepNhan") > pl.col("_t_NgayKetThucXuLy")))
    rules.append(
        (
            "received_outside_month",
            pl.col("_t_NgayTiepNhan").dt.truncate("1mo").dt.date() != pl.lit(first),
        )
    )
    frame = frame.with_columns(first_reason(rules))
    passed = pl.col("reason").is_null()
    frame = frame.with_columns(
        pl.when(passed & (passed.cast(pl.Int32).sum().over("MaHoSo") > 1))
        .then(pl.lit("duplicate_key"))
        .otherwise(pl.col("reason"))
        .alias("reason")
    )
    good = frame.filter(pl.col("reason").is_null()).with_columns(
        [pl.col(f"_t_{c}").alias(c) for c in (*INTS, *TIMESTAMPS)]
        + [pl.lit(month).alias("_report_month"), pl.lit(rel).alias("_source_file")]
    )
    bad = frame.filter(pl.col("reason").is_not_null())
    quarantined = quarantine_frame(
        SOURCE,
        rel,
        bad.get_column("_line_number"),
        bad.get_column("reason"),
        bad.get_column("_raw_text"),
    )
    return conform(good, PORTAL_SYNCED), quarantined, frame.height, warnings


def load_synced_list(
    landing_dir: Path,
    warehouse_dir: Path,
    month: str,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> LoadResult:
    warehouse_dir = Path(warehouse_dir)
    raw_path = partition_path(warehouse_dir, TABLE, month)
    landed, problem = find_landed_file(Path(landing_dir), TABLE, month)
    if landed is None:
        rel, why = problem
        return LoadResult(TABLE, month, rel, rejected=rejected_message(rel, why, raw_path))
    result = LoadResult(TABLE, month, landed.path, file_sha256=landed.sha256)
    try:
        agencies = known_codes(warehouse_dir, "don_vi", "ma_don_vi")
    except ReferenceMissing:
        agencies = None
        result.warnings.append("reference don_vi not loaded: agency codes not checked")
    try:
        loaded, quarantined, rows_read, warnings = read_synced_list(
            Path(landing_dir) / landed.path, landed.path, month, agencies, max_unpacked_bytes
        )
    except FileRejected as exc:
        result.rejected = rejected_message(landed.path, str(exc), raw_path)
        return result
    record_load(
        result, warehouse_dir, loaded, quarantined, rows_read,
        raw_path, quarantine_path(warehouse_dir, TABLE, month),
    )  # fmt: skip
    result.warnings += warnings
    return result
