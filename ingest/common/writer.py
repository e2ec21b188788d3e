"""Writing a partition and its quarantine: both replaced as a whole, each atomically.

``PartitionWriter`` takes them batch by batch (the dossier extracts are read in batches, so
memory does not grow with the file), into temporary files in the target folders that are
renamed into place only when the whole file has been read: a reader (dbt, a killed run's
successor) sees the old files or the new ones, never half of them, and a file rejected
half-way leaves the earlier delivery untouched.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from pathlib import Path
from typing import Self

import polars as pl
import pyarrow.parquet as pq

from ingest import raw_layer
from ingest.common.rules import ordered_counts
from ingest.raw_layer import QUARANTINE, RESTRICTED_FILE_MODE, make_restricted_folder


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Exactly the raw-layer schema: its columns, its order, its types."""
    return frame.select([pl.col(name).cast(dtype) for name, dtype in schema.items()])


def quarantine_frame(
    source: str, file: str, lines: pl.Series, reasons: pl.Series, raw_texts: pl.Series
) -> pl.DataFrame:
    return conform(
        pl.DataFrame(
            {
                "source": pl.Series([source] * len(lines), dtype=pl.String),
                "file": pl.Series([file] * len(lines), dtype=pl.String),
                "line": lines.cast(pl.Int64),
                "reason": reasons.cast(pl.String),
                "raw_text": raw_texts.cast(pl.String),
            }
        ),
        QUARANTINE,
    )


def _arrow(frame: pl.DataFrame):
    # the oldest Arrow types (large_string, large_list): what polars' own Parquet writer stores
    return frame.to_arrow(compat_level=pl.CompatLevel.oldest())


class _ParquetPart:
    """One Parquet file written batch by batch under a temporary name. ``restricted``: a
    quarantine file (raw lines, personal data): folders 0700 and the file 0600 before the
    first row is written (raw_layer.write_quarantine_atomically's rule)."""

    def __init__(self, path: Path, schema: pl.Schema, restricted: bool = False):
        self.path = Path(path)
        self.tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        self.schema = _arrow(pl.DataFrame(schema=schema)).schema
        if restricted:
            make_restricted_folder(self.path.parent)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(
            self.tmp, self.schema, compression="zstd", write_statistics=True
        )
        if restricted:
            self.tmp.chmod(RESTRICTED_FILE_MODE)

    def write(self, frame: pl.DataFrame) -> None:
        self.writer.write_table(_arrow(frame).cast(self.schema))

    def commit(self) -> None:
        self.writer.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.writer.close()
        self.tmp.unlink(missing_ok=True)


class PartitionWriter:
    """Loaded and quarantined rows of one landed file, batch by batch; ``commit`` replaces
    the partition and its quarantine and accounts for every row in the LoadResult (rows
    read = loaded + quarantined). Leaving the ``with`` block without ``commit`` (a file
    rejected half-way, an error) removes the temporary files and touches nothing else."""

    def __init__(self, raw_path: Path, quarantine_path: Path, raw_schema: pl.Schema):
        self.raw_path = Path(raw_path)
        self.quarantine_path = Path(quarantine_path)
        self.raw = _ParquetPart(self.raw_path, raw_schema)
        self.quarantine: _ParquetPart | None = None  # opened with the first held-back row
        self.rows_loaded = 0
        self.rows_quarantined = 0
        self.reasons: Counter[str] = Counter()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        for part in (self.raw, self.quarantine):
            if part is not None and part.tmp.exists():
                part.discard()

    def write(self, loaded: pl.DataFrame, quarantined: pl.DataFrame) -> None:
        if loaded.height:
            self.raw.write(loaded)
        if quarantined.height:
            if self.quarantine is None:
                self.quarantine = _ParquetPart(self.quarantine_path, QUARANTINE, restricted=True)
            self.quarantine.write(quarantined)
        self.rows_loaded += loaded.height
        self.rows_quarantined += quarantined.height
        self.reasons.update(dict(quarantined.get_column("reason").value_counts().iter_rows()))

    def commit(self, result) -> None:
        """A load without held-back rows removes the quarantine of an earlier delivery, so
        a corrected re-delivery leaves no stale rows."""
        self.raw.commit()
        if self.quarantine is not None:
            self.quarantine.commit()
        else:
            self.quarantine_path.unlink(missing_ok=True)
        result.rows_read = self.rows_loaded + self.rows_quarantined
        result.rows_loaded = self.rows_loaded
        result.rows_quarantined = self.rows_quarantined
        result.quarantine_reasons = ordered_counts(self.reasons)


def rejected_message(rel: str, problem: str, raw_path: Path | None) -> str:
    kept = (
        "the raw partition of the earlier delivery is left untouched"
        if raw_path is not None and Path(raw_path).exists()
        else "nothing was loaded for this partition"
    )
    return f"{rel}: rejected: {problem}; {kept}"


def ensure_layout(warehouse_dir: Path) -> None:
    raw_layer.ensure_schema_files(Path(warehouse_dir))


def record_load(
    result,
    warehouse_dir: Path,
    loaded: pl.DataFrame,
    quarantined: pl.DataFrame,
    rows_read: int,
    raw_path: Path,
    quarantine_path: Path,
) -> None:
    """Write a partition's loaded and quarantined rows, and account for every row read in
    its LoadResult (rows read = loaded + quarantined, reasons counted): the same last step
    for every source."""
    ensure_layout(warehouse_dir)
    with PartitionWriter(raw_path, quarantine_path, loaded.schema) as writer:
        writer.write(loaded, quarantined)
        writer.commit(result)
    result.rows_read = rows_read
