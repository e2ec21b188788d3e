"""Reading a landed file, bounded in memory, or refusing it as a whole with a clear message.

Every reader opens its file here, so that no file can stop a build (sources.md, "Deliveries
as they really arrive"): whatever goes wrong while opening or reading it (no permission, not
a regular file, a truncated gzip, an I/O error, more bytes than allowed) becomes a
``FileRejected`` that the loader turns into a rejection naming the file.

Two ways to read:
- ``iter_line_chunks``: the daily dossier extracts (100 MB+ a day at province scale), as runs
  of whole lines of at most ``batch_bytes``, so memory does not grow with the file; a line
  longer than ``max_line_bytes`` is skipped to its end and handed over as a ``LongLine``.
- ``read_text``: the portal, VNeID and reference CSV files (a few thousand rows), read whole
  but refused beyond ``MAX_TABLE_FILE_BYTES``.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from ingest.landing import TABLE_SOURCE, LandingFile, find_partition_file

MiB = 1024**2
# Default of TTHC_MAX_UNPACKED_BYTES (orchestration/settings.py parses the setting).
MAX_UNPACKED_BYTES = 4 * 1024**3
# sources.md: a longer line is quarantined as line_too_long; no dossier comes near it (~1 KB).
MAX_LINE_BYTES = 16 * MiB
# The quarantine keeps only this much of a line_too_long: enough to see what the line was,
# while the whole line (up to gigabytes) would have to be held in memory and in one cell.
KEPT_LINE_BYTES = 1 * MiB
# The files read whole (CSV, and the 766 workbook unpacked): the largest kind, a province's
# monthly synced list, is tens of thousands of rows of ~120 bytes, a few MB; 256 MiB leaves
# a wide margin while bounding what one file can take.
MAX_TABLE_FILE_BYTES = 256 * MiB
# A run of lines handed to the dossier rules at once (~30k dossiers of ~1 KB). Peak RSS of
# loading a 200 MB day (benchmarks/ingest_memory.py): 360 MiB with batches of 16 MiB, 420 MiB
# of 32, 600 MiB of 64, at the same speed; 710 MiB when the file was read whole, 1.2 GiB for
# 400 MB. BATCH_LINES bounds a batch of very short lines.
BATCH_LINES = 100_000
BATCH_BYTES = 32 * MiB
READ_BLOCK = 1 * MiB
_BOM = codecs.BOM_UTF8


class FileRejected(Exception):
    """The whole file cannot be read; the message names the problem (not the file)."""


@dataclass(frozen=True)
class ReadLimits:
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_line_bytes: int = MAX_LINE_BYTES
    batch_lines: int = BATCH_LINES
    batch_bytes: int = BATCH_BYTES


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True)
class LineChunk:
    first_line: int  # 1-based number of the first line in ``data``
    data: bytes  # whole lines, each ending with b"\n" (the file's last one may not)


@dataclass(frozen=True)
class LongLine:
    line: int
    length: int  # bytes, newline excluded
    prefix: str  # its first KEPT_LINE_BYTES, decoded


def size_text(n: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", MiB), ("KiB", 1024)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} bytes"


def find_landed_file(
    landing_dir: Path, table: str, partition_key: str
) -> tuple[LandingFile | None, tuple[str, str] | None]:
    """``landing.find_partition_file``, with an unreadable folder or file (hashed there) turned
    into a problem to report instead of an exception that would stop the build."""
    try:
        return find_partition_file(Path(landing_dir), table, partition_key)
    except OSError as exc:
        folder = f"{TABLE_SOURCE[table]}/{partition_key}/"
        return None, (folder, f"cannot read the landed file ({_os_problem(exc)})")


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "no read permission"
    return exc.strerror or type(exc).__name__


def open_landed(path: Path) -> BinaryIO:
    """A binary handle on a regular file. O_NONBLOCK: opening a FIFO for reading would wait
    for a writer forever; checking the type on the opened descriptor (fstat), not the name,
    leaves no window for the file to be swapped between the check and the read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as exc:
        raise FileRejected("file not found (removed while loading)") from exc
    except OSError as exc:
        raise FileRejected(f"cannot open ({_os_problem(exc)})") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileRejected("not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def sha256_or_none(path: Path) -> str | None:
    """The fingerprint of a file as delivered, also of one that is then rejected; None when
    it cannot be read at all (the rejection says why). Opened like every landed file: a FIFO
    is never waited on."""
    digest = hashlib.sha256()
    try:
        with open_landed(path) as handle:
            while block := handle.read(READ_BLOCK):
                digest.update(block)
    except (FileRejected, OSError):
        return None
    return digest.hexdigest()


def _read(stream: BinaryIO, size: int) -> bytes:
    try:
        return stream.read(size)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise FileRejected(f"truncated or corrupt gzip ({exc})") from exc
    except OSError as exc:
        raise FileRejected(f"read error ({_os_problem(exc)})") from exc


def iter_unpacked(
    path: Path, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, block_size: int = READ_BLOCK
) -> Iterator[bytes]:
    """The bytes of a landed file, gzip undone, block by block. A ``.gz`` that unpacks to
    more than ``max_unpacked_bytes`` is refused as soon as it passes the limit (a small file
    can unpack to terabytes)."""
    packed = Path(path).name.endswith(".gz")
    with open_landed(path) as raw:
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if packed else raw
        total = 0
        while block := _read(stream, block_size):
            total += len(block)
            if packed and total > max_unpacked_bytes:
                raise FileRejected(
                    f"unpacks to more than {size_text(max_unpacked_bytes)} "
                    "(TTHC_MAX_UNPACKED_BYTES)"
                )
            yield block


def _utf8_checked(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """The blocks unchanged; FileRejected at the first byte that is not UTF-8 (its offset in
    the unpacked file). A character may be split between two blocks: the incremental decoder
    holds its first bytes back until the next block."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    for block in blocks:
        _decode(decoder, block, offset, final=False)
        offset += len(block)
        yield block
    _decode(decoder, b"", offset, final=True)


def _decode(decoder, block: bytes, offset: int, final: bool) -> None:
    held = len(decoder.getstate()[0])
    try:
        decoder.decode(block, final)
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"not UTF-8 (invalid byte 0x{exc.object[exc.start]:02x} "
            f"at offset {offset - held + exc.start})"
        ) from exc


def _without_bom(blocks: Iterable[bytes]) -> Iterator[bytes]:
    head: bytes | None = b""
    for block in blocks:
        if head is None:
            yield block
            continue
        head += block
        if len(head) < len(_BOM) and _BOM.startswith(head):
            continue  # the first block was too short to tell
        yield head.removeprefix(_BOM)
        head = None
    if head:
        yield head


class _LineSplitter:
    """Cuts blocks into runs of whole lines. A line is held in memory only up to
    ``max_line_bytes``; past that, only its first KEPT_LINE_BYTES are kept and the rest is
    counted while skipped."""

    def __init__(self, max_line_bytes: int, chunk_bytes: int):
        self.max_line_bytes = max_line_bytes
        self.chunk_bytes = chunk_bytes
        self.next_line = 1  # number of the line being read
        self.chunk: list[bytes] = []
        self.chunk_len = 0
        self.chunk_first = 1
        self.current: list[bytes] = []  # the line being read, so far
        self.current_len = 0
        self.kept: bytes | None = None  # set once the current line is too long

    def feed(self, block: bytes) -> Iterator[LineChunk | LongLine]:
        first = block.find(b"\n")
        if first < 0:
            self._grow(block)
            return
        self._grow(block[:first])
        yield from self._end_line(b"\n")
        last = block.rfind(b"\n")
        if last > first:
            # lines wholly inside one block are shorter than the block, so never too long
            self._add(block[first + 1 : last + 1], block.count(b"\n", first + 1, last + 1))
        self._grow(block[last + 1 :])
        if self.chunk_len >= self.chunk_bytes:
            yield self._flush()

    def end(self) -> Iterator[LineChunk | LongLine]:
        if self.current_len or self.kept is not None:  # a last line without its newline
            yield from self._end_line(b"")
        if self.chunk:
            yield self._flush()

    def _grow(self, piece: bytes) -> None:
        self.current_len += len(piece)
        if self.kept is not None:
            return
        self.current.append(piece)
        if self.current_len > self.max_line_bytes:
            self.kept = b"".join(self.current)[:KEPT_LINE_BYTES]
            self.current = []

    def _end_line(self, newline: bytes) -> Iterator[LineChunk | LongLine]:
        if self.kept is not None:
            if self.chunk:
                yield self._flush()  # keeps the file's line order
            prefix = self.kept.decode("utf-8", "ignore")  # the cut may split a character
            yield LongLine(self.next_line, self.current_len, prefix)
            self.next_line += 1
        else:
            self._add(b"".join(self.current) + newline, 1)
        self.current, self.current_len, self.kept = [], 0, None

    def _add(self, data: bytes, lines: int) -> None:
        if not self.chunk:
            self.chunk_first = self.next_line
        self.chunk.append(data)
        self.chunk_len += len(data)
        self.next_line += lines

    def _flush(self) -> LineChunk:
        chunk = LineChunk(self.chunk_first, b"".join(self.chunk))
        self.chunk, self.chunk_len = [], 0
        return chunk


def iter_line_chunks(
    path: Path, limits: ReadLimits = DEFAULT_LIMITS
) -> Iterator[LineChunk | LongLine]:
    """The lines of a UTF-8 text file (gzip undone, byte-order mark dropped), in file order:
    runs of whole lines of about ``limits.batch_bytes``, and each line longer than
    ``limits.max_line_bytes`` on its own. Raises FileRejected (possibly after some chunks)."""
    # Blocks no longer than a line may be: a line found whole inside one block is then
    # within the limit, and only the line crossing blocks needs counting.
    block_size = max(1, min(READ_BLOCK, limits.max_line_bytes, limits.batch_bytes))
    blocks = _without_bom(_utf8_checked(iter_unpacked(path, limits.max_unpacked_bytes, block_size)))
    splitter = _LineSplitter(limits.max_line_bytes, limits.batch_bytes)
    for block in blocks:
        yield from splitter.feed(block)
    yield from splitter.end()


def lines_frame(chunk: LineChunk) -> pl.DataFrame:
    """``_line_number`` (1-based) and ``raw_text`` (null for a blank line) of a run of lines.

    polars' CSV reader with a separator and quote that cannot occur in valid JSON text is
    ~5x faster than splitting a Python string; if anything unexpected happens (a control
    character in a line), the plain split gives the same result.
    """
    data = chunk.data
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
    return (
        pl.DataFrame([lines.alias("raw_text")])
        .with_row_index("_line_number", offset=chunk.first_line)
        .with_columns(
            pl.col("_line_number").cast(pl.Int64),
            pl.when(pl.col("raw_text").str.contains(r"^\s*$"))
            .then(None)
            .otherwise(pl.col("raw_text"))
            .alias("raw_text"),
        )
    )


def read_lines(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> pl.DataFrame:
    """The whole file as one frame of ``lines_frame``; a too-long line as its kept prefix.
    For small files and tests: the loaders read ``iter_line_chunks`` batch by batch."""
    frames = []
    for item in iter_line_chunks(path, limits):
        if isinstance(item, LongLine):
            item = LineChunk(item.line, item.prefix.encode("utf-8"))
        frames.append(lines_frame(item))
    if not frames:
        raise FileRejected("empty file")
    return pl.concat(frames)


def read_bytes(
    path: Path,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_bytes: int = MAX_UNPACKED_BYTES,
) -> bytes:
    """The whole unpacked file; refused beyond ``max_bytes``."""
    blocks, total = [], 0
    for block in iter_unpacked(path, max_unpacked_bytes):
        total += len(block)
        if total > max_bytes:
            raise FileRejected(
                f"larger than {size_text(max_bytes)}, more than a file of this kind can hold"
            )
        blocks.append(block)
    return b"".join(blocks)


def read_text(path: Path, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> str:
    """UTF-8 text of a landed CSV file (gzip undone, byte-order mark dropped)."""
    data = read_bytes(path, max_unpacked_bytes, MAX_TABLE_FILE_BYTES)
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
