"""Read, validate and load the monthly 766 report ``dvcqg_766_YYYY-MM.xlsx`` (or ``.csv``).

xlsx: sheet ``TongHop``, a title block, then the header row (the first row whose first
cell is ``STT``), one row per agency, and a ``Tổng cộng`` row. Cells hold numbers or
Vietnamese-formatted text, mixed within a column, so the workbook is read with openpyxl
(cell types kept: a numeric cell 17.43 is 17.43, while the text ``17.43`` is invalid)
and every cell is turned into Vietnamese text, then parsed by one rule for both variants.

The ``Tổng cộng`` row is not a data row: it is neither loaded into ``portal_766`` nor
quarantined, so ``rows read = loaded + quarantined`` counts agency rows only. Its count cells
are sums, checked against the agency rows (``checks["total_row"]``). Its ``Điểm …`` cells are
the province's own published scores (sources.md 2a, portal_766.md): they go to the raw table
``portal_766_totals`` (raw_layer.PORTAL_766_TOTALS), written by this same load into the same
month partition: one row per report, zero rows when the report has no ``Tổng cộng`` row, so
that a re-delivery replaces the month's scores as a whole, like the agency rows.
Why a table of its own rather than the row kept in ``portal_766`` with a flag: the agency
table keeps its grain (one row per agency, ``ma_don_vi`` not null and unique, checked by its
GX suite), its door rules and its count identity unchanged, and no reader of it has to
filter the total out. The totals row never holds back an agency row: no row, several rows
(the first is checked and kept) or a score cell that is not a number in [0, 100] (kept
blank) are warnings on the file, nothing more.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from ingest.common.csvfile import (
    check_columns,
    check_unique_headers,
    normalise_header,
    read_csv_text,
)
from ingest.common.files import (
    MAX_TABLE_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    FileRejected,
    find_landed_file,
    open_landed,
    read_text,
    size_text,
)
from ingest.common.rules import first_reason
from ingest.common.writer import (
    conform,
    quarantine_frame,
    record_load,
    rejected_message,
)
from ingest.dvc_portal.numbers import vietnamese_number, vietnamese_number_invalid
from ingest.load_result import LoadResult
from ingest.raw_layer import (
    AGENCY_CODE,
    PORTAL_766,
    PORTAL_766_COUNTS,
    PORTAL_766_HEADERS,
    PORTAL_766_SCORES,
    PORTAL_766_TOTALS,
    partition_path,
    quarantine_path,
    write_parquet_atomically,
)
from ingest.reference.lookup import ReferenceMissing, known_codes

TABLE = "portal_766"
TOTALS_TABLE = "portal_766_totals"
MAX_SCORE = 100.0  # Tổng điểm's maximum; no group's score is above it either
SOURCE = "dvc_portal"
SHEET = "TongHop"
TOTAL_LABEL = "tổng cộng"
NUMERIC = ["stt", *PORTAL_766_COUNTS, *PORTAL_766_SCORES]
INTEGRAL = ["stt", *PORTAL_766_COUNTS]
PORTAL_766_RULE_ORDER = [
    "missing_field:ma_don_vi",
    "bad_pattern:ma_don_vi",
    "bad_number:<column>",
    "wrong_type:<column>",
    "negative_count:<column>",
    "unknown_agency",
    "duplicate_key",
]


def _cell_text(value) -> str | None:
    """A cell as Vietnamese text: the numbers of xlsx cells and the texts of csv cells then
    go through the same parser and give the same floats."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.17f}".rstrip("0")
        return text.replace(".", ",")
    return str(value)


def _read_xlsx(path: Path, max_unpacked_bytes: int) -> tuple[pl.DataFrame, list[str]]:
    with open_landed(path) as handle:
        _check_unpacked_size(handle, min(max_unpacked_bytes, MAX_TABLE_FILE_BYTES))
        return _sheet_frame(_sheet_rows(handle))


def _check_unpacked_size(handle, limit: int) -> None:
    """A zip states what each part unpacks to, and Python's zipfile never unpacks more than
    stated: the sum is a bound on what reading the workbook can take."""
    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRejected(f"not a readable xlsx workbook ({_xlsx_problem(exc)})") from exc
    if unpacked > limit:
        raise FileRejected(f"the workbook unpacks to more than {size_text(limit)}")
    handle.seek(0)


def _xlsx_problem(exc: Exception) -> str:
    name = type(exc).__name__
    if isinstance(exc, zipfile.BadZipFile | EOFError | zlib.error):
        return f"truncated or corrupt zip: {name}"
    if isinstance(exc, SyntaxError):  # ElementTree's ParseError (lxml's too)
        return f"truncated or corrupt sheet XML: {name}"
    if isinstance(exc, KeyError):
        return f"a part of the workbook is missing: {name}"
    return name


def _sheet_rows(handle) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the rows that hold cells, read from the cells themselves.
    openpyxl's read-only mode pads every row to the dimension the sheet declares: a sheet
    declaring A1:XFD1048576 would give a million rows of 16,384 cells. Without it, a row is
    as wide as its last cell, and only rows present in the sheet are read."""
    import openpyxl  # loaded only for the xlsx variant

    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            if SHEET not in workbook.sheetnames:
                raise FileRejected(
                    f"sheet {SHEET} not found (sheets: {', '.join(workbook.sheetnames)})"
                )
            sheet = workbook[SHEET]
            sheet.reset_dimensions()
            for row in sheet.iter_rows():
                cells = [c for c in row if c.value is not None]
                if cells:
                    yield cells[0].row, _values(cells)
        finally:
            workbook.close()
    except FileRejected:
        raise
    except Exception as exc:
        # openpyxl parses a file from outside: whatever it raises on a cut zip, a cut sheet
        # XML or a missing part means that the workbook cannot be read, and must not stop
        # the build. The type names the problem; a message could quote a cell.
        raise FileRejected(f"not a readable xlsx workbook ({_xlsx_problem(exc)})") from exc


def _values(cells) -> tuple:
    """The row's values by column, from column A to its last non-empty cell."""
    values = [None] * cells[-1].column
    for cell in cells:
        values[cell.column - 1] = cell.value
    return tuple(values)


def _sheet_frame(rows: Iterator[tuple[int, tuple]]) -> tuple[pl.DataFrame, list[str]]:
    """The data rows under the header row (the first whose first cell is ``STT``), read
    as they stream by: the title block is kept as text, each row cut to the header's width."""
    title: list[str] = []
    headers = None
    records = []
    for number, row in rows:
        if headers is None:
            if row and isinstance(row[0], str) and row[0].strip() == "STT":
                check_unique_headers([str(c) for c in row if c is not None])
                headers = [
                    normalise_header(str(c)) if c is not None else f"_blank_{i}"
                    for i, c in enumerate(row)
                ]
            else:
                title += [str(c) for c in row if c is not None]
            continue
        width = len(headers)
        cells = [_cell_text(c) for c in (list(row[:width]) + [None] * width)[:width]]
        if all(c is None or c.strip() == "" for c in cells):
            continue  # an empty row carries nothing
        records.append((number, cells))
    if headers is None:
        raise FileRejected("header row not found (no row whose first cell is STT)")
    data = {
        h: [r[1][i] for r in records] for i, h in enumerate(headers) if not h.startswith("_blank_")
    }
    frame = pl.DataFrame(data, schema={h: pl.String for h in data})
    frame = frame.with_columns(
        pl.Series("_line_number", [r[0] for r in records], dtype=pl.Int64),
        pl.Series("_raw_text", [";".join(c or "" for c in r[1]) for r in records], dtype=pl.String),
    )
    return frame, [" ".join(title)]


def _read_csv(path: Path, max_unpacked_bytes: int) -> pl.DataFrame:
    frame = read_csv_text(read_text(path, max_unpacked_bytes), ";")
    if "STT" not in frame.columns:
        raise FileRejected("header row not found (the first line must start with STT)")
    return frame


def read_report_766(
    path: Path,
    rel: str,
    month: str,
    agencies: pl.Series | None,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
):
    """(loaded rows, quarantine rows, rows read, warnings, checks, totals row). The totals
    row: the ``Điểm …`` cells of the ``Tổng cộng`` row (PORTAL_766_TOTALS, 0 or 1 row).
    Raises FileRejected."""
    warnings: list[str] = []
    if path.name.endswith(".xlsx"):
        frame, (title, *more) = _read_xlsx(path, max_unpacked_bytes)
        warnings += more
        found = re.search(r"([0-9]{1,2})/([0-9]{4})", title)
        if found and f"{found.group(2)}-{int(found.group(1)):02d}" != month:
            warnings.append(
                f"{rel}: the title block names the period {found.group(1)}/{found.group(2)}, "
                f"not the folder's month {month}"
            )
    else:
        frame = _read_csv(path, max_unpacked_bytes)
    extra = check_columns(frame, list(PORTAL_766_HEADERS))
    if extra:
        warnings.append(f"{rel}: schema drift: unknown column(s) dropped: {', '.join(extra)}")
    frame = (
        frame.rename(PORTAL_766_HEADERS)
        .with_columns([pl.col(c).str.strip_chars() for c in PORTAL_766_HEADERS.values()])
        .with_columns(
            [
                pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
                for c in PORTAL_766_HEADERS.values()
            ]
        )
    )
    label = (
        pl.concat_str(
            [pl.col(c).fill_null("") for c in ("stt", "ma_don_vi", "ten_don_vi")], separator=" "
        )
        .str.strip_chars()
        .str.to_lowercase()
    )
    frame = frame.with_columns(label.alias("_label"))
    # the label may come composed (NFC) or decomposed (NFD) depending on the exporting tool
    is_total = pl.col("_label").is_in(
        [unicodedata.normalize(form, TOTAL_LABEL) for form in ("NFC", "NFD")]
    )
    frame = frame.with_columns([vietnamese_number(pl.col(c)).alias(f"_n_{c}") for c in NUMERIC])
    totals = frame.filter(is_total)
    rows = frame.filter(~is_total)

    rules: list[tuple[str, pl.Expr]] = [
        ("missing_field:ma_don_vi", pl.col("ma_don_vi").is_null()),
        ("bad_pattern:ma_don_vi", ~pl.col("ma_don_vi").str.contains(AGENCY_CODE)),
    ]
    rules += [(f"bad_number:{c}", vietnamese_number_invalid(pl.col(c))) for c in NUMERIC]
    rules += [
        (f"wrong_type:{c}", pl.col(f"_n_{c}") != pl.col(f"_n_{c}").round(0)) for c in INTEGRAL
    ]
    rules += [(f"negative_count:{c}", pl.col(f"_n_{c}") < 0) for c in PORTAL_766_COUNTS]
    if agencies is not None:
        rules.append(("unknown_agency", ~pl.col("ma_don_vi").is_in(agencies.implode())))
    rows = rows.with_columns(first_reason(rules))
    passed = pl.col("reason").is_null()
    rows = rows.with_columns(
        pl.when(passed & (passed.cast(pl.Int32).sum().over("ma_don_vi") > 1))
        .then(pl.lit("duplicate_key"))
        .otherwise(pl.col("reason"))
        .alias("reason")
    )

    checks = {"total_row": _check_total(rows, totals, rel, warnings)}
    province_scores = _province_scores(totals, month, rel, warnings)
    good = rows.filter(pl.col("reason").is_null()).with_columns(
        [pl.col(f"_n_{c}").cast(pl.Int64).alias(c) for c in INTEGRAL]
        + [pl.col(f"_n_{c}").alias(c) for c in PORTAL_766_SCORES]
        + [pl.lit(month).alias("_report_month"), pl.lit(rel).alias("_source_file")]
    )
    bad = rows.filter(pl.col("reason").is_not_null())
    quarantined = quarantine_frame(
        SOURCE,
        rel,
        bad.get_column("_line_number"),
        bad.get_column("reason"),
        bad.get_column("_raw_text"),
    )
    return conform(good, PORTAL_766), quarantined, rows.height, warnings, checks, province_scores


def _province_scores(
    totals: pl.DataFrame, month: str, rel: str, warnings: list[str]
) -> pl.DataFrame:
    """The first ``Tổng cộng`` row's ``Điểm …`` cells (the one _check_total checks). A cell
    that is not a Vietnamese number, or lies outside [0, 100], is kept blank with a warning
    (names only): the province's score is then ``no_portal_value``, never a wrong number."""
    first = totals.head(1)
    unusable = [
        c
        for c in PORTAL_766_SCORES
        if first.height
        and (
            first.select(vietnamese_number_invalid(pl.col(c))).item()
            or not 0 <= (first.get_column(f"_n_{c}").item() or 0) <= MAX_SCORE
        )
    ]
    if unusable:
        warnings.append(
            f"{rel}: the Tổng cộng row's score cell(s) {', '.join(unusable)} are not numbers in "
            f"[0, {MAX_SCORE:g}]: kept blank"
        )
    scores = first.with_columns(
        [
            (pl.lit(None, pl.Float64) if c in unusable else pl.col(f"_n_{c}")).alias(c)
            for c in PORTAL_766_SCORES
        ]
        + [pl.lit(month).alias("_report_month"), pl.lit(rel).alias("_source_file")]
    )
    return conform(scores, PORTAL_766_TOTALS)


def _check_total(rows: pl.DataFrame, totals: pl.DataFrame, rel: str, warnings: list[str]) -> dict:
    if totals.height == 0:
        warnings.append(f"{rel}: no Tổng cộng row: the province totals could not be checked")
        return {"passed": False, "details": {"problem": "no Tổng cộng row"}}
    if totals.height > 1:
        warnings.append(f"{rel}: {totals.height} Tổng cộng rows; the first one is checked and kept")
    sums = rows.select([pl.col(f"_n_{c}").sum().alias(c) for c in PORTAL_766_COUNTS]).row(
        0, named=True
    )
    stated = totals.row(0, named=True)
    mismatches = {}
    for c in PORTAL_766_COUNTS:
        total = stated[f"_n_{c}"]
        if total is not None and abs(total - (sums[c] or 0)) > 1e-9:
            mismatches[c] = {"total_row": total, "sum_of_agencies": sums[c]}
    if mismatches:
        listed = ", ".join(
            f"{c} (Tổng cộng {v['total_row']:g}, sum {v['sum_of_agencies']:g})"
            for c, v in mismatches.items()
        )
        warnings.append(
            f"{rel}: the Tổng cộng row does not match the sum of the agency rows: {listed}"
        )
    return {"passed": not mismatches, "details": {"mismatches": mismatches}}


def load_report_766(
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
        loaded, quarantined, rows_read, warnings, checks, province_scores = read_report_766(
            Path(landing_dir) / landed.path, landed.path, month, agencies, max_unpacked_bytes
        )
    except FileRejected as exc:
        result.rejected = rejected_message(landed.path, str(exc), raw_path)
        return result
    # before the agency rows; a load stopped between the two saves no load record for this
    # delivery, so the next build loads the file again (catch_up.is_stale)
    write_parquet_atomically(province_scores, partition_path(warehouse_dir, TOTALS_TABLE, month))
    record_load(
        result, warehouse_dir, loaded, quarantined, rows_read,
        raw_path, quarantine_path(warehouse_dir, TABLE, month),
    )  # fmt: skip
    result.warnings += warnings
    result.checks = checks
    return result
