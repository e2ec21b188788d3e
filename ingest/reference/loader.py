"""Read, validate and load ``reference/<name>.csv`` into ``raw/reference/<name>/current.parquet``.

Each file is replaced as a whole. Columns are read as strings (``ma_dvhc`` ``07201`` keeps
its zero), then cast. Rows failing a rule go to ``quarantine/reference/<name>.parquet``;
rows sharing a key are all quarantined (``duplicate_key``): which one is right is for the
owner of the file to say, not the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ingest.common.csvfile import check_columns, read_csv_text
from ingest.common.files import MAX_UNPACKED_BYTES, FileRejected, read_text, sha256_or_none
from ingest.common.rules import bad_cast, first_reason, null_if_empty
from ingest.common.writer import (
    conform,
    quarantine_frame,
    record_load,
    rejected_message,
)
from ingest.landing import REFERENCE_FILES
from ingest.load_result import LoadResult
from ingest.raw_layer import (
    AGENCY_CODE,
    PROCEDURE_CODE,
    REFERENCE,
    UNIT_CODE,
    reference_load_record_path,  # noqa: F401  (re-exported for the orchestration)
    reference_path,
    reference_quarantine_path,
)

CAP = ["tinh", "huyen", "xa"]


@dataclass(frozen=True)
class ReferenceRules:
    key: tuple[str, ...]
    required: tuple[str, ...] = ()
    patterns: dict[str, str] = field(default_factory=dict)
    enums: dict[str, list[str]] = field(default_factory=dict)
    validity: tuple[str, str] | None = None  # (from, to) both inclusive, to may be empty
    # columns a file may leave out (added to the contract later): read as empty when absent,
    # so a file delivered before keeps loading
    optional: tuple[str, ...] = ()


REFERENCE_RULES: dict[str, ReferenceRules] = {
    "don_vi": ReferenceRules(
        key=("ma_don_vi", "hieu_luc_tu"),
        required=("ten_don_vi", "cap"),
        patterns={
            "ma_don_vi": AGENCY_CODE,
            "ma_don_vi_cha": AGENCY_CODE,
            "ma_dvhc": UNIT_CODE,
            "ma_don_vi_ke_thua": AGENCY_CODE,
        },
        enums={"cap": CAP},
        validity=("hieu_luc_tu", "hieu_luc_den"),
        # reorganisation.md: the successor agency; a file without it means no successors
        # (a chain that comes back on itself is the dbt test successor_cycle)
        optional=("ma_don_vi_ke_thua",),
    ),
    "dvhc": ReferenceRules(
        key=("ma_dvhc", "hieu_luc_tu"),
        required=("ten_dvhc", "cap"),
        patterns={"ma_dvhc": UNIT_CODE, "ma_dvhc_cha": UNIT_CODE, "ma_dvhc_ke_thua": UNIT_CODE},
        enums={"cap": CAP},
        validity=("hieu_luc_tu", "hieu_luc_den"),
    ),
    "tthc": ReferenceRules(
        key=("ma_tthc",),
        required=("ten_tthc", "cap_thuc_hien", "thoi_han", "don_vi_thoi_han"),
        patterns={"ma_tthc": PROCEDURE_CODE, "ma_co_quan_cong_bo": AGENCY_CODE},
        enums={
            "cap_thuc_hien": CAP,
            "muc_do_dvc": ["toan_trinh", "mot_phan", "khong"],
            "don_vi_thoi_han": ["ngay_lam_viec", "ngay"],
            "co_phi": ["0", "1"],
            "yeu_cau_ket_qua_giay": ["0", "1"],
        },
    ),
    "cong_bo": ReferenceRules(
        key=("ma_tthc", "so_qd_tinh"),
        required=("ma_co_quan_cong_bo",),
        patterns={"ma_tthc": PROCEDURE_CODE, "ma_co_quan_cong_bo": AGENCY_CODE},
    ),
    "ngay_nghi": ReferenceRules(
        key=("ngay",), required=("loai",), enums={"loai": ["nghi", "lam_bu"]}
    ),
    "chi_tieu": ReferenceRules(key=("ma_chi_tieu", "nam"), required=("gia_tri",)),
}
REFERENCE_RULE_ORDER = [
    "missing_field:<column>",
    "wrong_type:<column>",
    "bad_date:<column>",
    "bad_pattern:<column>",
    "bad_value:<column>",
    "bad_validity",
    "duplicate_key",
]


def _cast(name: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(name).str.strip_chars()
    if dtype == pl.Date:
        return pl.when(col.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")).then(
            col.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        )
    if dtype == pl.String:
        return pl.col(name)
    return col.cast(dtype, strict=False)


def validate_reference(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``reason`` (first failed rule or null) and the typed columns ``_t_<col>``."""
    schema = REFERENCE[name]
    rules_of = REFERENCE_RULES[name]
    columns = [c for c in schema if not c.startswith("_")]
    frame = frame.with_columns([null_if_empty(pl.col(c)).alias(c) for c in columns])
    frame = frame.with_columns([_cast(c, schema[c]).alias(f"_t_{c}") for c in columns])
    rules: list[tuple[str, pl.Expr]] = []
    rules += [
        (f"missing_field:{c}", pl.col(c).is_null()) for c in (*rules_of.key, *rules_of.required)
    ]
    rules += [
        (f"wrong_type:{c}", bad_cast(pl.col(c), pl.col(f"_t_{c}")))
        for c in columns
        if schema[c] not in (pl.String, pl.Date)
    ]
    rules += [
        (f"bad_date:{c}", bad_cast(pl.col(c), pl.col(f"_t_{c}")))
        for c in columns
        if schema[c] == pl.Date
    ]
    rules += [
        (f"bad_pattern:{c}", pl.col(c).is_not_null() & ~pl.col(c).str.contains(p))
        for c, p in rules_of.patterns.items()
    ]
    rules += [
        (f"bad_value:{c}", pl.col(c).is_not_null() & ~pl.col(c).str.strip_chars().is_in(values))
        for c, values in rules_of.enums.items()
    ]
    if rules_of.validity:
        start, end = rules_of.validity
        rules.append(("bad_validity", pl.col(f"_t_{end}") < pl.col(f"_t_{start}")))
    frame = frame.with_columns(first_reason(rules))
    # A key held by several rows that passed every other rule: all of them are held back.
    key = [f"_t_{c}" for c in rules_of.key]
    passed = pl.col("reason").is_null()
    duplicated = passed & (passed.cast(pl.Int32).sum().over(key) > 1)
    return frame.with_columns(
        pl.when(duplicated)
        .then(pl.lit("duplicate_key"))
        .otherwise(pl.col("reason"))
        .alias("reason")
    )


def with_optional_columns(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """The file's columns, plus its optional columns it leaves out, empty (null)."""
    missing = [c for c in REFERENCE_RULES[name].optional if c not in frame.columns]
    return frame.with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in missing])


def load_reference_file(
    landing_dir: Path,
    warehouse_dir: Path,
    name: str,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> LoadResult:
    if name not in REFERENCE:
        raise ValueError(f"unknown reference file {name!r}")
    warehouse_dir = Path(warehouse_dir)
    rel = f"reference/{name}.csv"
    path = Path(landing_dir) / rel
    raw_path = reference_path(warehouse_dir, name)
    result = LoadResult(name, None, rel)
    # anything else under the name (a folder, a FIFO) is opened by read_text and refused
    # as "not a regular file", never waited on
    if path.is_symlink() or not path.exists():
        result.rejected = rejected_message(rel, "file not delivered", raw_path)
        return result
    result.file_sha256 = sha256_or_none(path)
    schema = REFERENCE[name]
    columns = [c for c in schema if not c.startswith("_")]
    try:
        frame = with_optional_columns(read_csv_text(read_text(path, max_unpacked_bytes), ","), name)
        extra = check_columns(frame, columns)
    except FileRejected as exc:
        result.rejected = rejected_message(rel, str(exc), raw_path)
        return result
    if extra:
        result.warnings.append(
            f"{rel}: schema drift: unknown column(s) dropped: {', '.join(extra)}"
        )
    checked = validate_reference(name, frame)
    bad = checked.filter(pl.col("reason").is_not_null())
    good = checked.filter(pl.col("reason").is_null()).with_columns(
        [pl.col(f"_t_{c}").alias(c) for c in columns] + [pl.lit(rel).alias("_source_file")]
    )
    loaded = conform(good, schema)
    quarantined = quarantine_frame(
        "reference",
        rel,
        bad.get_column("_line_number"),
        bad.get_column("reason"),
        bad.get_column("_raw_text"),
    )
    record_load(
        result, warehouse_dir, loaded, quarantined, checked.height,
        raw_path, reference_quarantine_path(warehouse_dir, name),
    )  # fmt: skip
    return result


def load_reference(
    landing_dir: Path, warehouse_dir: Path, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> list[LoadResult]:
    """Load all six reference files; a bad file does not stop the others."""
    return [
        load_reference_file(landing_dir, warehouse_dir, name, max_unpacked_bytes=max_unpacked_bytes)
        for name in REFERENCE_FILES
    ]
