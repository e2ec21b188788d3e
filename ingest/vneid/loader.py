"""Read, validate and load ``vneid/<date>/vneid_<yyyymmdd>.csv``: one row per commune.

A commune whose row is quarantined is a gap (missing), never a zero: the row is held back
whole rather than loaded with a count set to null.
"""

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
from ingest.common.rules import bad_cast, first_reason, null_if_empty
from ingest.common.writer import (
    conform,
    quarantine_frame,
    record_load,
    rejected_message,
)
from ingest.dvc_portal.numbers import vietnamese_number
from ingest.load_result import LoadResult
from ingest.raw_layer import (
    COMMUNE_CODE,
    VNEID_COUNTS,
    VNEID_HEADERS,
    partition_path,
    quarantine_path,
)
from ingest.reference.lookup import ReferenceMissing, known_codes

TABLE = "vneid_counts"
SOURCE = "vneid"
COUNTS = ["cong_dan_du_dieu_kien", "da_cap_muc_1", "da_cap_muc_2", "da_kich_hoat"]
VNEID_RULE_ORDER = [
    "missing_field:<column>",
    "bad_pattern:ma_dvhc",
    "bad_date:ngay_so_lieu",
    "wrong_type:<column>",
    "negative_count:<column>",
    "snapshot_date_mismatch",
    "unknown_unit",
    "vneid_activated_exceeds_issued",
    "vneid_issued_exceeds_eligible",
    "duplicate_key",
]


def read_vneid_file(
    path: Path,
    rel: str,
    snapshot: dt.date,
    units: pl.Series | None,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
):
    frame = read_csv_text(read_text(path, max_unpacked_bytes), ",")
    warnings = []
    extra = check_columns(frame, list(VNEID_HEADERS))
    if extra:
        warnings.append(f"{rel}: schema drift: unknown column(s) dropped: {', '.join(extra)}")
    names = list(VNEID_HEADERS.values())
    frame = frame.rename(VNEID_HEADERS).with_columns(
        [null_if_empty(pl.col(c).str.strip_chars()).alias(c) for c in names]
    )
    frame = frame.with_columns(
        pl.when(pl.col("ngay_so_lieu").str.contains(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$"))
        .then(pl.col("ngay_so_lieu").str.strptime(pl.Date, "%d/%m/%Y", strict=False))
        .alias("_t_ngay_so_lieu"),
        *[vietnamese_number(pl.col(c)).alias(f"_n_{c}") for c in COUNTS],
    )
    dates = frame.get_column("_t_ngay_so_lieu").drop_nulls().unique()
    if dates.len() and snapshot not in dates.to_list():
        shown = ", ".join(d.strftime("%d/%m/%Y") for d in sorted(dates.to_list())[:3])
        raise FileRejected(
            f"the snapshot date in the file ({shown}) does not match its folder "
            f"({snapshot.strftime('%d/%m/%Y')})"
        )
    issued = pl.col("_n_da_cap_muc_1") + pl.col("_n_da_cap_muc_2")
    rules: list[tuple[str, pl.Expr]] = [
        (f"missing_field:{c}", pl.col(c).is_null()) for c in ("ma_dvhc", "ngay_so_lieu", *COUNTS)
    ]
    rules.append(("bad_pattern:ma_dvhc", ~pl.col("ma_dvhc").str.contains(COMMUNE_CODE)))
    rules.append(
        ("bad_date:ngay_so_lieu", bad_cast(pl.col("ngay_so_lieu"), pl.col("_t_ngay_so_lieu")))
    )
    rules += [
        (
            f"wrong_type:{c}",
            pl.col(f"_n_{c}").is_null() | (pl.col(f"_n_{c}") != pl.col(f"_n_{c}").round(0)),
        )
        for c in COUNTS
    ]
    rules += [(f"negative_count:{c}", pl.col(f"_n_{c}") < 0) for c in COUNTS]
    rules.append(("snapshot_date_mismatch", pl.col("_t_ngay_so_lieu") != pl.lit(snapshot)))
    if units is not None:
        rules.append(("unknown_unit", ~pl.col("ma_dvhc").is_in(units.implode())))
    rules.append(("vneid_activated_exceeds_issued", pl.col("_n_da_kich_hoat") > issued))
    rules.append(("vneid_issued_exceeds_eligible", issued > pl.col("_n_cong_dan_du_dieu_kien")))
    frame = frame.with_columns(first_reason(rules))
    passed = pl.col("reason").is_null()
    frame = frame.with_columns(
        pl.when(passed & (passed.cast(pl.Int32).sum().over("ma_dvhc") > 1))
        .then(pl.lit("duplicate_key"))
        .otherwise(pl.col("reason"))
        .alias("reason")
    )
    good = frame.filter(pl.col("reason").is_null()).with_columns(
        [pl.col(f"_n_{c}").cast(pl.Int64).alias(c) for c in COUNTS]
        + [
            pl.col("_t_ngay_so_lieu").alias("ngay_so_lieu"),
            pl.lit(snapshot, dtype=pl.Date).alias("_snapshot_date"),
            pl.lit(rel).alias("_source_file"),
        ]
    )
    bad = frame.filter(pl.col("reason").is_not_null())
    quarantined = quarantine_frame(
        SOURCE,
        rel,
        bad.get_column("_line_number"),
        bad.get_column("reason"),
        bad.get_column("_raw_text"),
    )
    return conform(good, VNEID_COUNTS), quarantined, frame.height, warnings


def load_vneid_snapshot(
    landing_dir: Path,
    warehouse_dir: Path,
    snapshot_date: str,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> LoadResult:
    warehouse_dir = Path(warehouse_dir)
    raw_path = partition_path(warehouse_dir, TABLE, snapshot_date)
    landed, problem = find_landed_file(Path(landing_dir), TABLE, snapshot_date)
    if landed is None:
        rel, why = problem
        return LoadResult(TABLE, snapshot_date, rel, rejected=rejected_message(rel, why, raw_path))
    result = LoadResult(TABLE, snapshot_date, landed.path, file_sha256=landed.sha256)
    try:
        units = known_codes(warehouse_dir, "dvhc", "ma_dvhc")
    except ReferenceMissing:
        units = None
        result.warnings.append("reference dvhc not loaded: commune codes not checked")
    try:
        loaded, quarantined, rows_read, warnings = read_vneid_file(
            Path(landing_dir) / landed.path,
            landed.path,
            dt.date.fromisoformat(snapshot_date),
            units,
            max_unpacked_bytes,
        )
    except FileRejected as exc:
        result.rejected = rejected_message(landed.path, str(exc), raw_path)
        return result
    record_load(
        result, warehouse_dir, loaded, quarantined, rows_read,
        raw_path, quarantine_path(warehouse_dir, TABLE, snapshot_date),
    )  # fmt: skip
    result.warnings += warnings
    return result
