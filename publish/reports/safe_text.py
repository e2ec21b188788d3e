"""Text from the data (agency, district and field names, codes, messages) written into a report
shows as text: never as a spreadsheet formula, never as markup or a link.

A name is whatever the source systems typed; ``=HYPERLINK("http://x","y")`` in a Biểu 06 cell or
a CSV field is a live formula when Excel or LibreOffice opens the file, and ``<a href=...>`` in a
plotly label is a live link in the dashboard (plotly renders a subset of HTML in its SVG text).
"""

from __future__ import annotations

import html

import polars as pl

# Excel and LibreOffice read a field starting with one of these as a formula (OWASP, "CSV
# injection"); tab and carriage return can hide the formula behind a leading blank.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_PREFIX = "'"


def neutralise_cell(value):
    """A string starting with a formula character, prefixed with ``'``; anything else as is.

    Only text is touched: a number (even a negative one) stays a number. The prefixed string
    no longer starts with ``=``, so openpyxl stores it as a string cell, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return TEXT_PREFIX + value
    return value


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """neutralise_cell on every string column of ``frame`` (the CSV writers' form of it)."""
    return frame.with_columns(
        pl.when(pl.any_horizontal(pl.col(name).str.starts_with(start) for start in FORMULA_STARTS))
        .then(pl.lit(TEXT_PREFIX) + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def plot_text(value):
    """A string for a plotly trace (labels, categories, hover text), shown as text.

    plotly turns ``<a href>``, ``<b>``, ``<br>``, ``<span style>`` in its text into SVG markup
    and decodes ``&lt;``, ``&gt;``, ``&amp;``; escaping those three is enough. Not quotes:
    plotly decodes only a few named entities, so ``&quot;`` would show as typed.
    """
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


def plot_texts(values: list) -> list:
    return [plot_text(value) for value in values]
