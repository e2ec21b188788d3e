"""Read, validate and load one daily extract ``dossier_system/<day>/hoso_<yyyymmdd>.jsonl[.gz]``.

Every line ends in exactly one place: ``raw/dossier_versions/<day>.parquet`` or
``quarantine/dossier_versions/<day>.parquet`` with the first failed rule of
``DOSSIER_RULE_ORDER``. Personal fields never reach the raw layer: they are replaced by
``applicant_key`` (see ingest.pii); the quarantine keeps the raw line (restricted zone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest.common.files import (
    BATCH_BYTES,
    BATCH_LINES,
    DEFAULT_LIMITS,
    MAX_LINE_BYTES,
    MAX_UNPACKED_BYTES,
    FileRejected,
    LongLine,
    ReadLimits,
    find_landed_file,
    iter_line_chunks,
    lines_frame,
)
from ingest.common.jsonl import (
    decode_lines,
    describe_unknown_fields,
    key_names,
    surplus_key_lines,
)
from ingest.common.rules import (
    bad_cast,
    first_reason,
    null_if_empty,
    parse_compact_ts,
    to_int,
)
from ingest.common.writer import (
    PartitionWriter,
    conform,
    ensure_layout,
    quarantine_frame,
    rejected_message,
)
from ingest.load_result import LoadResult
from ingest.pii import applicant_keys
from ingest.raw_layer import (
    AGENCY_CODE,
    DOSSIER_CODE,
    DOSSIER_VERSIONS,
    FEE,
    MAX_QUARANTINE_RATE,
    PROCEDURE_CODE,
    QUARANTINE,
    RESULT_DOCUMENT,
    SUBMITTED_DOCUMENT,
    SUPPLEMENT,
    partition_path,
    quarantine_path,
)
from ingest.reference.lookup import ReferenceMissing, known_codes

TABLE = "dossier_versions"
SOURCE = "dossier_system"

PERSONAL_FIELDS = ("ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email")
REQUIRED = ("MaHoSo", "MaTTHC", "MaCoQuan", "KenhThucHien", "TrangThaiHoSo", "NgayCapNhat")
INT_FIELDS = {
    "KenhThucHien": pl.Int8,
    "TaiKhoanDuocXacThucVoiVNeID": pl.Int8,
    "TrangThaiHoSo": pl.Int8,
    "HinhThucNhanKetQua": pl.Int8,
    "DuocThanhToanTrucTuyen": pl.Int8,
    "HoSoCoThanhPhanSoHoa": pl.Int8,
    "DanhGia": pl.Int8,
}
TS_FIELDS = (
    "NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "NgayTuChoi",
    "NgayCapNhat",
)  # fmt: skip
LIST_FIELDS = {
    "DanhSachLePhi": FEE,
    "DanhSachHoSoBoSung": SUPPLEMENT,
    "DanhSachGiayToKetQua": RESULT_DOCUMENT,
    "TaiLieuNop": SUBMITTED_DOCUMENT,
}
# MaDonViTiepNhan (optional, reorganisation.md): the receiving desk, kept as delivered with
# no door rule. A code unknown to don_vi.csv does not hold the dossier back (its handling
# agency, MaCoQuan, is what the figures count); it is a warning computed in dbt from the
# current reference (int_dossiers__unknown_receiving_agencies), so that a corrected don_vi.csv
# clears it without reloading the extracts.
STRING_FIELDS = ("MaHoSo", "MaTTHC", "MaCoQuan", "MaDonViTiepNhan", *PERSONAL_FIELDS)
# Events that cannot lie after the file's day; the appointment dates (NgayHenTra,
# NgayHenTraTruoc, NgayHenTraMoi) are in the future by nature. NgayCapNhat has its own rule.
EVENT_FIELDS = ("NgayNopHoSo", "NgayTiepNhan", "NgayKetThucXuLy", "NgayTra", "NgayTuChoi")
NESTED_EVENT_FIELDS = ("NgayBoSung", "NgayTiepNhanBoSung")

# Statuses that require a timestamp (sources.md §1).
REQUIRED_TS_FOR_STATUS = {
    "NgayTiepNhan": (2, 4, 5, 6, 8, 9, 10),
    "NgayKetThucXuLy": (7, 8, 9, 10),
    "NgayTra": (10,),
    "NgayTuChoi": (3,),
}

PATTERNS = {"MaHoSo": DOSSIER_CODE, "MaTTHC": PROCEDURE_CODE, "MaCoQuan": AGENCY_CODE}
LINE_TOO_LONG = "line_too_long"
# Distinct unknown field names remembered for the drift warning: a file whose every line
# carries another key (a citizen ID as a key) must not grow a set with the file.
MAX_UNKNOWN_NAMES = 10_000
EMPTY_LOADED = pl.DataFrame(schema=DOSSIER_VERSIONS)
EMPTY_QUARANTINE = pl.DataFrame(schema=QUARANTINE)


def _string_struct(dtype: pl.Struct) -> pl.Struct:
    return pl.Struct({f.name: pl.String for f in dtype.fields})


# Decode everything as strings first (numbers may arrive as strings), then cast.
DECODE_DTYPE = pl.Struct(
    {name: pl.String for name in (*STRING_FIELDS, *INT_FIELDS, *TS_FIELDS)}
    | {name: pl.List(_string_struct(dtype)) for name, dtype in LIST_FIELDS.items()}
)
KNOWN_KEYS = set(DECODE_DTYPE.to_schema()) | {
    f.name for dtype in LIST_FIELDS.values() for f in dtype.fields
}

# The order in which rules are reported: the first failing one is the row's reason.
DOSSIER_RULE_ORDER = [
    f"{LINE_TOO_LONG} (longer than {MAX_LINE_BYTES // 1024**2} MiB: never decoded)",
    "invalid_json (or wrong_type:<field> when a field's JSON shape is wrong)",
    *(f"missing_field:{f}" for f in REQUIRED),
    "wrong_type:<field>",
    *(f"bad_pattern:{f}" for f in PATTERNS),
    "unknown_procedure",
    "unknown_agency",
    "unknown_status",
    "unknown_channel",
    "bad_timestamp:<field>",
    *(f"missing_timestamp_for_status:{f}" for f in REQUIRED_TS_FOR_STATUS),
    "received_before_submitted",
    "received_after_ended",
    "updated_not_on_file_day",
    *(f"event_after_file_day:{f}" for f in (*EVENT_FIELDS, *NESTED_EVENT_FIELDS)),
]


def _nested_field(list_col: str, field: str) -> pl.Expr:
    return pl.col(list_col).list.eval(null_if_empty(pl.element().struct.field(field)))


def _nested_any(list_col: str, predicate) -> pl.Expr:
    """True when any element of the list satisfies predicate(element field expr...)."""
    return pl.col(list_col).list.eval(predicate(pl.element())).list.any().fill_null(False)


def _typed_list(list_col: str, dtype: pl.Struct) -> pl.Expr:
    fields = []
    for f in dtype.fields:
        raw = null_if_empty(pl.element().struct.field(f.name))
        if f.dtype == pl.Datetime("us"):
            fields.append(parse_compact_ts(raw).alias(f.name))
        elif f.dtype == pl.String:
            fields.append(raw.alias(f.name))
        else:
            fields.append(to_int(raw, f.dtype).alias(f.name))
    return pl.col(list_col).list.eval(pl.struct(fields)).cast(pl.List(dtype)).alias(list_col)


def _rules(day: dt.date, procedures: pl.Series, agencies: pl.Series) -> list[tuple[str, pl.Expr]]:
    """(reason code, condition) in report order, on the decoded string columns ``<f>`` and
    the typed columns ``_t_<f>``."""
    # invalid_json, or wrong_type:<field> for a field whose JSON shape does not decode
    rules: list[tuple[str | pl.Expr, pl.Expr]] = [
        (pl.col("_decode_reason"), pl.col("_decode_reason").is_not_null())
    ]
    rules += [(f"missing_field:{f}", pl.col(f).is_null()) for f in REQUIRED]
    # wrong types: top-level ints, then nested ints and list shapes
    for name in INT_FIELDS:
        rules.append((f"wrong_type:{name}", bad_cast(pl.col(name), pl.col(f"_t_{name}"))))
    for list_col, dtype in LIST_FIELDS.items():
        for f in dtype.fields:
            if f.dtype in (pl.Int8, pl.Int64):
                rules.append(
                    (
                        f"wrong_type:{list_col}.{f.name}",
                        _nested_any(
                            list_col,
                            lambda e, n=f.name, t=f.dtype: (
                                null_if_empty(e.struct.field(n)).is_not_null()
                                & to_int(null_if_empty(e.struct.field(n)), t).is_null()
                            ),
                        ),
                    )
                )
    rules += [
        (f"bad_pattern:{f}", ~pl.col(f).str.contains(pattern)) for f, pattern in PATTERNS.items()
    ]
    rules.append(("unknown_procedure", ~pl.col("MaTTHC").is_in(procedures.implode())))
    rules.append(("unknown_agency", ~pl.col("MaCoQuan").is_in(agencies.implode())))
    rules.append(("unknown_status", ~pl.col("_t_TrangThaiHoSo").is_between(1, 10)))
    rules.append(("unknown_channel", ~pl.col("_t_KenhThucHien").is_between(1, 3)))
    for name in TS_FIELDS:
        rules.append((f"bad_timestamp:{name}", bad_cast(pl.col(name), pl.col(f"_t_{name}"))))
    for list_col, dtype in LIST_FIELDS.items():
        for f in dtype.fields:
            if f.dtype == pl.Datetime("us"):
                rules.append(
                    (
                        f"bad_timestamp:{f.name}",
                        _nested_any(
                            list_col,
                            lambda e, n=f.name: (
                                null_if_empty(e.struct.field(n)).is_not_null()
                                & parse_compact_ts(null_if_empty(e.struct.field(n))).is_null()
                            ),
                        ),
                    )
                )
    status = pl.col("_t_TrangThaiHoSo")
    for name, statuses in REQUIRED_TS_FOR_STATUS.items():
        rules.append(
            (
                f"missing_timestamp_for_status:{name}",
                status.is_in(list(statuses)) & pl.col(f"_t_{name}").is_null(),
            )
        )
    rules.append(
        ("received_before_submitted", pl.col("_t_NgayTiepNhan") < pl.col("_t_NgayNopHoSo"))
    )
    rules.append(("received_after_ended", pl.col("_t_NgayTiepNhan") > pl.col("_t_NgayKetThucXuLy")))
    rules.append(("updated_not_on_file_day", pl.col("_t_NgayCapNhat").dt.date() != pl.lit(day)))
    end_of_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    for name in EVENT_FIELDS:
        rules.append((f"event_after_file_day:{name}", pl.col(f"_t_{name}") >= end_of_day))
    for name in NESTED_EVENT_FIELDS:
        rules.append(
            (
                f"event_after_file_day:{name}",
                pl.col("_t_DanhSachHoSoBoSung")
                .list.eval(pl.element().struct.field(name) >= end_of_day)
                .list.any()
                .fill_null(False),
            )
        )
    return rules


@dataclass
class DossierBatch:
    loaded: pl.DataFrame  # raw schema
    quarantined: pl.DataFrame  # quarantine schema
    unknown_fields: set[str]
    blank_lines: int = 0


def read_dossier_batches(
    path: Path,
    rel: str,
    day: dt.date,
    pii_key: bytes,
    procedures: pl.Series,
    agencies: pl.Series,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[DossierBatch]:
    """The file's lines in batches of at most ``limits.batch_lines`` lines (and about
    ``limits.batch_bytes``), in file order, each checked by the rules alone: no rule looks
    across lines, so the batches give the rows that one batch would.

    Raises FileRejected when the file as a whole cannot be read, possibly after some batches.
    """
    for item in iter_line_chunks(path, limits):
        if isinstance(item, LongLine):
            yield DossierBatch(EMPTY_LOADED, _long_line_quarantine(item, rel), set())
            continue
        lines = lines_frame(item)
        blank = lines.get_column("raw_text").is_null()
        blank_lines = int(blank.sum())
        lines = lines.filter(~blank)  # blank lines carry nothing: counted, not loaded
        for start in range(0, max(lines.height, 1), limits.batch_lines):
            part = lines.slice(start, limits.batch_lines)
            yield DossierBatch(
                *validate_lines(part, rel, day, pii_key, procedures, agencies), blank_lines
            )
            blank_lines = 0


def _long_line_quarantine(line: LongLine, rel: str) -> pl.DataFrame:
    return quarantine_frame(
        SOURCE,
        rel,
        pl.Series([line.line]),
        pl.Series([LINE_TOO_LONG]),
        pl.Series([line.prefix]),
    )


def validate_lines(
    lines: pl.DataFrame,
    rel: str,
    day: dt.date,
    pii_key: bytes,
    procedures: pl.Series,
    agencies: pl.Series,
) -> tuple[pl.DataFrame, pl.DataFrame, set[str]]:
    """(loaded rows in the raw schema, quarantine rows, unknown field names) of non-blank
    lines (``_line_number``, ``raw_text``)."""
    if lines.height == 0:
        return EMPTY_LOADED, EMPTY_QUARANTINE, set()
    decoded, decode_reasons = decode_lines(lines.get_column("raw_text"), DECODE_DTYPE)
    unknown = (
        key_names(surplus_key_lines(lines.get_column("raw_text"), decoded, DECODE_DTYPE))
        - KNOWN_KEYS
    )
    frame = (
        pl.DataFrame([decoded.alias("_d")])
        .unnest("_d")
        .with_columns(
            lines.get_column("raw_text"),
            lines.get_column("_line_number"),
            decode_reasons.alias("_decode_reason"),
        )
        .with_columns(
            [null_if_empty(pl.col(n)).alias(n) for n in (*STRING_FIELDS, *INT_FIELDS, *TS_FIELDS)]
        )
        .with_columns(
            [
                to_int(pl.col(n), pl.Int64).alias(f"_t_{n}")
                for n in ("KenhThucHien", "TrangThaiHoSo")
            ]
            + [
                to_int(pl.col(n), t).alias(f"_t_{n}")
                for n, t in INT_FIELDS.items()
                if n not in ("KenhThucHien", "TrangThaiHoSo")
            ]
            + [parse_compact_ts(pl.col(n)).alias(f"_t_{n}") for n in TS_FIELDS]
            + [_typed_list(n, dtype).alias(f"_t_{n}") for n, dtype in LIST_FIELDS.items()]
        )
    )
    frame = frame.with_columns(first_reason(_rules(day, procedures, agencies)))

    bad = frame.filter(pl.col("reason").is_not_null())
    quarantined = quarantine_frame(
        SOURCE,
        rel,
        bad.get_column("_line_number"),
        bad.get_column("reason"),
        bad.get_column("raw_text"),
    )
    good = frame.filter(pl.col("reason").is_null())
    good = good.with_columns(
        applicant_keys(good.get_column("SoGiayToChuHoSo"), pii_key),
        pl.lit(day, dtype=pl.Date).alias("_file_date"),
        pl.lit(rel, dtype=pl.String).alias("_source_file"),
        *[pl.col(f"_t_{n}").alias(n) for n in (*INT_FIELDS, *TS_FIELDS, *LIST_FIELDS)],
    )
    return conform(good, DOSSIER_VERSIONS), quarantined, unknown


def load_dossier_day(
    landing_dir: Path,
    warehouse_dir: Path,
    day: str,
    pii_key: bytes,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_line_bytes: int = MAX_LINE_BYTES,
    batch_lines: int = BATCH_LINES,
    batch_bytes: int = BATCH_BYTES,
) -> LoadResult:
    """Load the extract of one day into ``raw/dossier_versions/<day>.parquet``, batch by
    batch (memory does not grow with the file)."""
    warehouse_dir = Path(warehouse_dir)
    raw_path = partition_path(warehouse_dir, TABLE, day)  # validates the key
    day_date = dt.date.fromisoformat(day)
    if not pii_key:
        raise ValueError("TTHC_PII_KEY is not set: the dossier extracts cannot be pseudonymised")
    landed, problem = find_landed_file(Path(landing_dir), TABLE, day)
    if landed is None:
        rel, why = problem
        return LoadResult(TABLE, day, rel, rejected=rejected_message(rel, why, raw_path))
    result = LoadResult(TABLE, day, landed.path, file_sha256=landed.sha256)
    try:
        procedures = known_codes(warehouse_dir, "tthc", "ma_tthc")
        agencies = known_codes(warehouse_dir, "don_vi", "ma_don_vi")
    except ReferenceMissing as exc:
        result.rejected = rejected_message(landed.path, f"cannot validate: {exc}", raw_path)
        return result
    batches = read_dossier_batches(
        Path(landing_dir) / landed.path, landed.path, day_date, pii_key, procedures, agencies,
        ReadLimits(max_unpacked_bytes, max_line_bytes, batch_lines, batch_bytes),
    )  # fmt: skip
    try:
        _write_batches(result, warehouse_dir, batches, raw_path)
    except FileRejected as exc:
        result.rejected = rejected_message(landed.path, str(exc), raw_path)
        return result
    result.checks["quarantine_rate"] = {
        "passed": not result.over_quarantine_limit,
        "details": {"rate": round(result.quarantine_rate, 6), "max": MAX_QUARANTINE_RATE},
    }
    return result


def _write_batches(
    result: LoadResult, warehouse_dir: Path, batches: Iterator[DossierBatch], raw_path: Path
) -> None:
    """Write every batch, then replace the partition; nothing is replaced when reading the
    file fails half-way (FileRejected)."""
    blank_lines, unknown = 0, set()
    quarantine = quarantine_path(warehouse_dir, TABLE, result.partition_key)
    with PartitionWriter(raw_path, quarantine, DOSSIER_VERSIONS) as writer:
        for batch in batches:
            writer.write(batch.loaded, batch.quarantined)
            blank_lines += batch.blank_lines
            if len(unknown) < MAX_UNKNOWN_NAMES:
                unknown |= batch.unknown_fields
        if writer.rows_loaded + writer.rows_quarantined == 0:
            raise FileRejected("empty file (no data lines)" if blank_lines else "empty file")
        ensure_layout(warehouse_dir)
        writer.commit(result)
    if blank_lines:
        result.warnings.append(f"{result.file}: {blank_lines} blank line(s) ignored")
    if unknown:
        capped = len(unknown) >= MAX_UNKNOWN_NAMES
        result.warnings.append(f"{result.file}: {describe_unknown_fields(unknown, capped)}")
