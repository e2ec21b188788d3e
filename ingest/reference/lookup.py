"""Codes known to the loaded reference files, for the unknown-code rules of the sources."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingest.raw_layer import reference_path


class ReferenceMissing(Exception):
    pass


def known_codes(warehouse_dir: Path, name: str, column: str) -> pl.Series:
    """Distinct codes of one reference file (any validity period)."""
    path = reference_path(Path(warehouse_dir), name)
    if not path.exists():
        raise ReferenceMissing(f"reference file {name} is not loaded yet (load reference/ first)")
    return pl.read_parquet(path, columns=[column]).get_column(column).drop_nulls().unique()
