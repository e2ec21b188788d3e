"""JSON Lines decoding with polars, one verdict per line.

polars decodes a whole column at once and fails the whole column on one bad line. Lines
are decoded in chunks of ``CHUNK``; a chunk that fails is halved until its failing lines are
isolated (a bad line costs about 2·CHUNK lines of extra decoding), and only those few lines
are looked at one by one to tell ``invalid_json`` from ``wrong_type:<field>``.
"""

from __future__ import annotations

import re

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


# polars decodes a column of ~1,000 lines 2-3x faster per line than one of 100,000
# (measured: 100k dossier lines in 1.4 s by chunks of 1,024, 3.4 s at once), and a bad line
# then costs only the halving of its own chunk.
CHUNK = 1024


def decode_lines(lines: pl.Series, dtype: pl.Struct) -> tuple[pl.Series, pl.Series]:
    """(decoded struct column, reason column): reason is set where a line did not decode
    (its struct is then null); a line holding JSON ``null`` or a non-object is also
    ``invalid_json``."""
    bad: list[int] = []
    reasons = pl.Series("reason", [None] * lines.len(), dtype=pl.String)
    parts = []
    for start in range(0, lines.len(), CHUNK):
        chunk = lines.slice(start, CHUNK)
        try:
            parts.append(chunk.str.json_decode(dtype))
        except _DECODE_ERRORS:
            found: list[int] = []
            _find_bad(chunk, dtype, 0, found)
            bad += [start + i for i in found]
            idx = pl.Series(found, dtype=pl.UInt32)
            parts.append(chunk.scatter(idx, "null").str.json_decode(dtype))
    decoded = pl.concat(parts) if parts else lines.str.json_decode(dtype)
    if bad:
        idx = pl.Series(bad, dtype=pl.UInt32)
        reasons = reasons.scatter(idx, [classify_bad_line(lines[i], dtype) for i in bad])
    reasons = (
        pl.DataFrame({"r": reasons, "d": decoded})
        .select(
            pl.when(pl.col("d").is_null() & pl.col("r").is_null())
            .then(pl.lit("invalid_json"))
            .otherwise(pl.col("r"))
        )
        .to_series()
        .alias("reason")
    )
    return decoded, reasons


def key_names(lines: pl.Series) -> set[str]:
    """Every object key in the lines (any depth), as written (escapes kept), for
    schema-drift reports.

    The pattern matches a JSON string followed by ``:``, which in valid JSON is always a
    key, never a value. A key is still not safe to show: it can be anything, a citizen ID
    included (see ``describe_unknown_fields``).
    """
    if lines.len() == 0:
        return set()
    found = (
        lines.str.extract_all(r'"(?:[^"\\]|\\.)*"\s*:')
        .explode()
        .drop_nulls()
        .str.extract(r'^"((?:[^"\\]|\\.)*)"', 1)
        .unique()
    )
    return set(found.drop_nulls().to_list())


# A name shown in a warning (Dagster UI, published data_quality): letters and underscores,
# like the contract's own names (NgayCapNhat). A digit, a space, a diacritic or a long name
# may be a personal value sent as a key (a citizen ID, a name), so such names are counted only.
_SHOWABLE_NAME = re.compile(r"[A-Za-z][A-Za-z_]{0,39}")


def describe_unknown_fields(names: set[str], at_least: bool = False) -> str:
    """``schema drift: N unknown field(s) dropped: A, B; M other name(s) not shown``
    (``at least N`` when the caller stopped collecting names)."""
    shown = sorted(n for n in names if _SHOWABLE_NAME.fullmatch(n))
    count = f"at least {len(names)}" if at_least else str(len(names))
    text = f"schema drift: {count} unknown field(s) dropped"
    if shown:
        text += ": " + ", ".join(shown)
    if len(names) > len(shown):
        text += f"; {len(names) - len(shown)} other name(s) not shown"
    return text


def max_key_count(decoded: pl.Expr, dtype: pl.Struct) -> pl.Expr:
    """The most keys a line can hold under the known schema (lists counted by length)."""
    total = pl.lit(len(dtype.fields), dtype=pl.Int64)
    for fld in dtype.fields:
        if isinstance(fld.dtype, pl.List) and isinstance(fld.dtype.inner, pl.Struct):
            n = len(fld.dtype.inner.fields)
            total = (
                total + decoded.struct.field(fld.name).list.len().fill_null(0).cast(pl.Int64) * n
            )
    return total


def surplus_key_lines(lines: pl.Series, decoded: pl.Series, dtype: pl.Struct) -> pl.Series:
    """Lines holding more ``":`` than the known schema allows: the only ones that can carry
    an unknown field. Counting a literal is ~8x cheaper than extracting every key of every
    line; serialisers write ``"key":`` with no space before the colon."""
    frame = pl.DataFrame([lines.alias("l"), decoded.alias("d")])
    return frame.filter(
        pl.col("l").str.count_matches('":', literal=True) > max_key_count(pl.col("d"), dtype)
    ).get_column("l")
