"""Reading a landed file into text, or refusing it as a whole with a clear message."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path


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
