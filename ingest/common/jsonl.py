"""JSON Lines decoding with polars, one verdict per line.

polars decodes a whole column at once and fails the whole column on one bad line. The
column is decoded in one go when it is clean (the usual case); when it is not, it is split
in halves until the failing lines are isolated (k bad lines cost about k·log2(n) small
decodes), and only those few lines are looked at one by one to tell ``invalid_json`` from
``wrong_type:<field>``.
"""

from __future__ import annotations

import polars as pl

_DECODE_ERRORS = (pl.exceptions.ComputeError, pl.exceptions.PolarsError)


def _decodes(lines: pl.Series, dtype: pl.DataType) -> bool:
    try:
        lines.str.json_decode(dtype)
    except _DECODE_ERRORS:
        return False
    return True


def _find_bad(lines: pl.Series, dtype: pl.DataType, offset: int, bad: list[int]) -> None:
    if _decodes(lines, dtype):
        return
    if lines.len() == 1:
        bad.append(offset)
        return
    mid = lines.len() // 2
    _find_bad(lines.slice(0, mid), dtype, offset, bad)
    _find_bad(lines.slice(mid), dtype, offset + mid, bad)


def classify_bad_line(line: str, dtype: pl.Struct) -> str:
    """Why one line does not decode: not a JSON object, or a field of the wrong shape."""
    single = pl.Series([line])
    try:
        inferred = single.str.json_decode(infer_schema_length=None)
    except _DECODE_ERRORS:
        return "invalid_json"
    if not isinstance(inferred.dtype, pl.Struct):
        return "invalid_json"
    for fld in dtype.fields:
        if not _decodes(single, pl.Struct([fld])):
            return f"wrong_type:{fld.name}"
    return "invalid_json"


def decode_lines(lines: pl.Series, dtype: pl.Struct) -> tuple[pl.Series, pl.Series]:
    """(decoded struct column, reason column): reason is set where a line did not decode
    (its struct is then null); a line holding JSON ``null`` or a non-object is also
    ``invalid_json``."""
    bad: list[int] = []
    _find_bad(lines, dtype, 0, bad)
    reasons = pl.Series("reason", [None] * lines.len(), dtype=pl.String)
    if bad:
        idx = pl.Series(bad, dtype=pl.UInt32)
        reasons = reasons.scatter(idx, [classify_bad_line(lines[i], dtype) for i in bad])
        lines = lines.scatter(idx, "null")
    decoded = lines.str.json_decode(dtype)
    reasons = (
        pl.DataFrame({"r": reasons, "d": decoded})
        .select(pl.when(pl.col("d").is_null() & pl.col("r").is_null()).then(pl.lit("invalid_json")).otherwise(pl.col("r")))
        .to_series()
        .alias("reason")
    )
    return decoded, reasons


def key_names(lines: pl.Series) -> set[str]:
    """Every object key in the lines (any depth), for schema-drift reports.

    The pattern matches a quoted word followed by ``:``, which in valid JSON is always a
    key, never a value: so the report can hold field names only, never personal values.
    """
    found = (
        lines.str.extract_all(r'"(\w+)"\s*:')
        .explode()
        .drop_nulls()
        .str.extract(r'"(\w+)"', 1)
        .unique()
    )
    return set(found.drop_nulls().to_list())
