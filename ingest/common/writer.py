"""Writing a partition and its quarantine: both replaced as a whole, each atomically."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingest import raw_layer
from ingest.raw_layer import QUARANTINE, write_parquet_atomically


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


def write_outputs(
    loaded: pl.DataFrame, quarantined: pl.DataFrame, raw_path: Path, quarantine_path: Path
) -> None:
    """Replace the partition and its quarantine. A load without quarantined rows removes
    the quarantine of an earlier delivery, so a corrected re-delivery leaves no stale rows."""
    write_parquet_atomically(loaded, raw_path)
    if quarantined.height:
        write_parquet_atomically(quarantined, quarantine_path)
    else:
        Path(quarantine_path).unlink(missing_ok=True)


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
    from ingest.common.rules import reason_counts

    ensure_layout(warehouse_dir)
    write_outputs(loaded, quarantined, raw_path, quarantine_path)
    result.rows_read = rows_read
    result.rows_loaded = loaded.height
    result.rows_quarantined = quarantined.height
    result.quarantine_reasons = reason_counts(quarantined.get_column("reason"))
