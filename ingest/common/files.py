"""Reading a landed file into text, or refusing it as a whole with a clear message."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import polars as pl


class FileRejected(Exception):
    """The whole file cannot be read; the message names the problem (not the file)."""


def read_bytes(path: Path) -> bytes:
    data = Path(path).read_bytes()
    if path.name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError, zlib.error) as exc:
            raise FileRejected(f"truncated or corrupt gzip ({exc})") from exc
    return data


def read_lines(path: Path) -> pl.DataFrame:
    """The lines of a landed text file: ``_line_number`` (1-based) and ``raw_text``
    (null for a blank line), the trailing newline not counted as a line.

    polars' CSV reader with a separator and quote that cannot occur in valid JSON text is
    ~5x faster than splitting a Python string; if anything unexpected happens (a control
    character in a line), the plain split gives the same result.
    """
    data = read_bytes(path)
    if not data:
        raise FileRejected("empty file")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    data = data.removeprefix(b"\xef\xbb\xbf")
    expected = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    lines = None
    if b"\x1f" not in data:
        try:
            lines = pl.read_csv(
                io.BytesIO(data),
                has_header=False,
                separator="\x1f",
                quote_char=None,
                infer_schema=False,
                new_columns=["raw_text"],
                encoding="utf8",
            ).get_column("raw_text")
        except pl.exceptions.PolarsError:
            lines = None
        if lines is not None and lines.len() != expected:
            lines = None
    if lines is None:
        text = data.decode("utf-8").removesuffix("\n")
        lines = pl.Series("raw_text", [line.removesuffix("\r") for line in text.split("\n")])
    lines = lines.alias("raw_text")
    frame = (
        pl.DataFrame([lines])
        .with_row_index("_line_number", offset=1)
        .with_columns(
            pl.col("_line_number").cast(pl.Int64),
            pl.when(pl.col("raw_text").str.contains(r"^\s*$"))
            .then(None)
            .otherwise(pl.col("raw_text"))
            .alias("raw_text"),
        )
    )
    return frame


def read_text(path: Path) -> str:
    """UTF-8 text of a landed file (gzip undone, byte-order mark dropped)."""
    data = read_bytes(path)
    if not data.strip():
        raise FileRejected("empty file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FileRejected("empty file")
    return text
