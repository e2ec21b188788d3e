"""CSV reading: every column as a string first (codes keep their leading zeros), then the
readers cast. Adds ``_line_number`` (line in the file) and ``_raw_text`` (the row as
delivered, for the quarantine)."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import Counter

import polars as pl

from ingest.common.files import FileRejected


def normalise_header(name: str) -> str:
    # Vietnamese headers may arrive decomposed (NFD) from some exports; compare them in NFC.
    return unicodedata.normalize("NFC", name.replace("\ufeff", "")).strip()


def check_header(text: str, separator: str) -> None:
    """Refuse a CSV whose header row names a column twice (see ``check_unique_headers``)."""
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    try:
        header = next(csv.reader([first_line], delimiter=separator), [])
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KiB limit
        raise FileRejected(f"malformed CSV header ({exc})") from exc
    check_unique_headers(header)


def check_unique_headers(names: list[str]) -> None:
    """A header naming a column twice (also once composed, once decomposed) is refused:
    which of the two holds the values is not for the loader to guess. Blank names are
    columns without a header, dropped later."""
    counts = Counter(normalise_header(name) for name in names)
    twice = [name for name, n in counts.items() if n > 1 and name]
    if twice:
        raise FileRejected(f"duplicated column(s) in the header: {', '.join(twice)}")


def read_csv_text(text: str, separator: str) -> pl.DataFrame:
    check_header(text, separator)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=separator,
            infer_schema=False,
            has_header=True,
        )
    except pl.exceptions.PolarsError as exc:
        raise FileRejected(f"malformed CSV ({str(exc).splitlines()[0]})") from exc
    frame = frame.rename({c: normalise_header(c) for c in frame.columns})
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    data_lines = [(i, line) for i, line in enumerate(lines[1:], start=2) if line.strip()]
    if len(data_lines) == frame.height:
        numbers = [i for i, _ in data_lines]
        raws = [line for _, line in data_lines]
    else:  # quoted fields spanning lines: fall back to record numbers and joined fields
        numbers = list(range(2, frame.height + 2))
        raws = (
            frame.select(pl.concat_str(pl.all().fill_null(""), separator=separator))
            .to_series()
            .to_list()
        )
    return frame.with_columns(
        pl.Series("_line_number", numbers, dtype=pl.Int64),
        pl.Series("_raw_text", raws, dtype=pl.String),
    )


def check_columns(frame: pl.DataFrame, required: list[str]) -> list[str]:
    """Raise FileRejected on missing columns; return the unknown extra ones (schema drift)."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise FileRejected(f"missing required column(s): {', '.join(missing)}")
    return [c for c in frame.columns if c not in required and not c.startswith("_")]
