"""Read, validate and load the monthly 766 report ``dvcqg_766_YYYY-MM.xlsx`` (or ``.csv``).

xlsx: sheet ``TongHop``, a title block, then the header row (the first row whose first
cell is ``STT``), one row per agency, and a ``Tổng cộng`` row. Cells hold numbers or
Vietnamese-formatted text, mixed within a column, so the workbook is read with openpyxl
(cell types kept: a numeric cell 17.43 is 17.43, while the text ``17.43`` is invalid)
and every cell is turned into Vietnamese text, then parsed by one rule for both variants.
The ``Tổng cộng`` row is checked against the sum of the agency rows, then set aside.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zipfile
from pathlib import Path

import polars as pl

from ingest.common.csvfile import check_columns, normalise_header, read_csv_text
from ingest.common.files import FileRejected, read_text
from ingest.common.rules import first_reason
from ingest.common.writer import (
    conform,
    quarantine_frame,
    record_load,
    rejected_message,
)
from ingest.dvc_portal.numbers import vietnamese_number, vietnamese_number_invalid
from ingest.landing import find_partition_file
from ingest.load_result import LoadResult
from ingest.raw_layer import (
    PORTAL_766,
    PORTAL_766_COUNTS,
    PORTAL_766_HEADERS,
    PORTAL_766_SCORES,
    partition_path,
    quarantine_path,
)
from ingest.reference.lookup import ReferenceMissing, known_codes

TABLE = "portal_766"
SOURCE = "dvc_portal"
SHEET = "TongHop"
TOTAL_LABEL = "tổng cộng"
AGENCY = r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}$"
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


def _read_xlsx(path: Path) -> tuple[pl.DataFrame, list[str]]:
    import openpyxl  # loaded only for the xlsx variant

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileRejected(f"not a readable xlsx workbook ({type(exc).__name__})") from exc
    try:
        if SHEET not in workbook.sheetnames:
            raise FileRejected(
                f"sheet {SHEET} not found (sheets: {', '.join(workbook.sheetnames)})"
            )
        rows = list(workbook[SHEET].iter_rows(values_only=True))
    finally:
        workbook.close()
    warnings = []
    header_at = next(
        (
            i
            for i, row in enumerate(rows)
            if row and isinstance(row[0], str) and row[0].strip() == "STT"
        ),
        None,
    )
    if header_at is None:
        raise FileRejected("header row not found (no row whose first cell is STT)")
    title = " ".join(str(c) for row in rows[:header_at] for c in row if c is not None)
    headers = [
        normalise_header(str(c)) if c is not None else f"_blank_{i}"
        for i, c in enumerate(rows[header_at])
    ]
    width = len(headers)
    records = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        cells = [_cell_text(c) for c in (list(row) + [None] * width)[:width]]
        if all(c is None or c.strip() == "" for c in cells):
            continue  # an empty row carries nothing
        records.append((offset, cells))
    data = {
        h: [r[1][i] for r in records] for i, h in enumerate(headers) if not h.startswith("_blank_")
    }
    frame = pl.DataFrame(data, schema={h: pl.String for h in data})
    frame = frame.with_columns(
        pl.Series("_line_number", [r[0] for r in records], dtype=pl.Int64),
        pl.Series("_raw_text", [";".join(c or "" for c in r[1]) for r in records], dtype=pl.String),
    )
    return frame, [title] + warnings


def _read_csv(path: Path) -> pl.DataFrame:
    frame = read_csv_text(read_text(path), ";")
    if "STT" not in frame.columns:
        raise FileRejected("header row not found (the first line must start with STT)")
    return frame


def read_report_766(path: Path, rel: str, month: str, agencies: pl.Series | None):
    """(loaded rows, quarantine rows, rows read, warnings, checks). Raises FileRejected."""
    warnings: list[str] = []
    if path.name.endswith(".xlsx"):
        frame, (title, *more) = _read_xlsx(path)
        warnings += more
        found = re.search(r"(\d{1,2})/(\d{4})", title)
        if found and f"{found.group(2)}-{int(found.group(1)):02d}" != month:
            warnings.append(
                f"{rel}: the title block names the period {found.group(1)}/{found.group(2)}, "
                f"not the folder's month {month}"
            )
    else:
        frame = _read_csv(path)
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
        ("bad_pattern:ma_don_vi", ~pl.col("ma_don_vi").str.contains(AGENCY)),
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
    return conform(good, PORTAL_766), quarantined, rows.height, warnings, checks


def _check_total(rows: pl.DataFrame, totals: pl.DataFrame, rel: str, warnings: list[str]) -> dict:
    if totals.height == 0:
        warnings.append(f"{rel}: no Tổng cộng row: the province totals could not be checked")
        return {"passed": False, "details": {"problem": "no Tổng cộng row"}}
    if totals.height > 1:
        warnings.append(f"{rel}: {totals.height} Tổng cộng rows; the first one is checked")
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


def load_report_766(landing_dir: Path, warehouse_dir: Path, month: str) -> LoadResult:
    warehouse_dir = Path(warehouse_dir)
    raw_path = partition_path(warehouse_dir, TABLE, month)
    landed, problem = find_partition_file(Path(landing_dir), TABLE, month)
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
        loaded, quarantined, rows_read, warnings, checks = read_report_766(
            Path(landing_dir) / landed.path, landed.path, month, agencies
        )
    except FileRejected as exc:
        result.rejected = rejected_message(landed.path, str(exc), raw_path)
        return result
    record_load(
        result, warehouse_dir, loaded, quarantined, rows_read,
        raw_path, quarantine_path(warehouse_dir, TABLE, month),
    )  # fmt: skip
    result.warnings += warnings
    result.checks = checks
    return result
