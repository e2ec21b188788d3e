"""Row rules as polars expressions, evaluated all at once, reported in a fixed order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

TS_FORMAT = "%Y%m%d%H%M%S"


def first_reason(rules: Sequence[tuple[str | pl.Expr, pl.Expr]]) -> pl.Expr:
    """The code of the first rule (in the given order) whose condition is true, else null.

    A null condition (a comparison with a missing value) counts as "rule holds". A code may
    be an expression (a reason computed earlier, e.g. while decoding JSON).
    """
    if not rules:
        return pl.lit(None, dtype=pl.String).alias("reason")
    return pl.coalesce(
        [
            pl.when(cond.fill_null(False)).then(code if isinstance(code, pl.Expr) else pl.lit(code))
            for code, cond in rules
        ]
    ).alias("reason")


def null_if_empty(expr: pl.Expr) -> pl.Expr:
    """Empty (or blank) string = null, as sources.md says for the dossier system."""
    return pl.when(expr.str.strip_chars() == "").then(None).otherwise(expr)


def parse_compact_ts(expr: pl.Expr) -> pl.Expr:
    """``yyyyMMddHHmmss`` -> naive Datetime(us); anything else -> null (check with ``bad``)."""
    return (
        pl.when(expr.str.contains(r"^[0-9]{14}$"))
        .then(expr.str.strptime(pl.Datetime("us"), TS_FORMAT, strict=False))
        .otherwise(None)
    )


def to_int(expr: pl.Expr, dtype: pl.DataType = pl.Int64) -> pl.Expr:
    return expr.str.strip_chars().cast(dtype, strict=False)


def bad_cast(raw: pl.Expr, typed: pl.Expr) -> pl.Expr:
    """A value was given but did not convert."""
    return raw.is_not_null() & typed.is_null()


def reason_counts(reasons: pl.Series) -> dict[str, int]:
    """Reason -> rows, most frequent first, ties by name: the same input gives the same
    dict, in the same order (load records are compared between runs)."""
    return ordered_counts(dict(reasons.drop_nulls().value_counts().iter_rows()))


def ordered_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """The order of ``reason_counts``, for counts summed over batches."""
    rows = sorted(counts.items(), key=lambda row: (-row[1], row[0]))
    return {reason: int(n) for reason, n in rows}
