"""Vietnamese number format of the portal's reports: ``1.234`` = 1234 (``.`` groups
thousands), ``14,2`` = 14.2 (``,`` is the decimal mark), ``78,6%`` = 0.786, blank = null.

``parse_vietnamese_number`` is the definition (pure, unit-tested); ``vietnamese_number``
is the same rule as a polars expression for whole columns, tested against it. Percentages
are shifted in the text (``78,6%`` -> ``78.6e-2``) rather than divided by 100, so the float
is the one nearest to 0.786 (78.6 / 100 would give 0.7859999999999999).
"""

from __future__ import annotations

import re

import polars as pl

# optional sign; digits, or 1-3 digits then groups of exactly three; optional ,fraction; %
# ([0-9], not \d: \d accepts any script's digits, which the float cast then cannot read)
VIETNAMESE_NUMBER = r"^-?([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)(,[0-9]+)?%?$"
_PATTERN = re.compile(VIETNAMESE_NUMBER)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class NotANumber(ValueError):
    pass


def parse_vietnamese_number(text: str | float | None) -> float | int | None:
    """Parse one cell. Integers stay int; a decimal or a percentage gives a float.

    Raises NotANumber for text that is not a number in this format (e.g. ``17.43``, which
    is neither a thousands grouping nor a Vietnamese decimal).
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise NotANumber(f"not a number: {text!r}")
    if isinstance(text, int | float):
        return text
    cleaned = _SPACES.sub("", text)
    if cleaned == "":
        return None
    if not _PATTERN.match(cleaned):
        raise NotANumber("not a number in Vietnamese format")
    percent = cleaned.endswith("%")
    body = cleaned.removesuffix("%").replace(".", "").replace(",", ".")
    if percent:
        return float(f"{body}e-2")
    if "." in body:
        return float(body)
    return int(body)


def _clean(expr: pl.Expr) -> pl.Expr:
    cleaned = expr.str.replace_all(r"[\s\u00a0\u202f]+", "")
    return pl.when(cleaned == "").then(None).otherwise(cleaned)


def vietnamese_number(expr: pl.Expr) -> pl.Expr:
    """Float64 column of the parsed texts; null for blanks and for invalid texts (find
    those with ``vietnamese_number_invalid``)."""
    cleaned = _clean(expr)
    body = (
        cleaned.str.strip_suffix("%")
        .str.replace_all(".", "", literal=True)
        .str.replace(",", ".", literal=True)
    )
    text = pl.when(cleaned.str.ends_with("%")).then(body + "e-2").otherwise(body)
    return pl.when(cleaned.str.contains(VIETNAMESE_NUMBER)).then(
        text.cast(pl.Float64, strict=False)
    )


def vietnamese_number_invalid(expr: pl.Expr) -> pl.Expr:
    cleaned = _clean(expr)
    return cleaned.is_not_null() & ~cleaned.str.contains(VIETNAMESE_NUMBER)
