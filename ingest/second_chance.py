"""Second chance for rows held back only because the reference files did not know a code.

A new procedure or agency often reaches the dossier system before the reference files. Rows
quarantined as ``unknown_procedure`` / ``unknown_agency`` / ``unknown_unit`` deserve a reload
once the reference files change: reloading the partition from its landed file re-applies
every rule, so a row comes back only if it now passes all of them.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingest.load_result import LoadResult
from ingest.raw_layer import PARTITION_KEY, PARTITIONED_TABLES

# reason -> the reference file that may learn the code; the planner reloads a partition
# holding such rows when one of these files changes (orchestration/catch_up.py)
REFERENCE_OF_REASON = {"unknown_procedure": "tthc", "unknown_agency": "don_vi", "unknown_unit": "dvhc"}
REFERENCE_REASONS = frozenset(REFERENCE_OF_REASON)


def reasons_needing_reference(result: LoadResult) -> dict[str, int]:
    """The quarantine reasons of a load that a reference change could clear."""
    return {r: n for r, n in result.quarantine_reasons.items() if r in REFERENCE_REASONS}


def partitions_needing_reference(warehouse_dir: Path) -> list[tuple[str, str]]:
    """(table, partition key) of every partition whose quarantine holds such rows."""
    found = []
    for table in PARTITIONED_TABLES:
        folder = Path(warehouse_dir) / "quarantine" / table
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.parquet")):
            if not PARTITION_KEY.match(path.stem):
                continue
            reasons = pl.read_parquet(path, columns=["reason"]).get_column("reason")
            if reasons.is_in(list(REFERENCE_REASONS)).any():
                found.append((table, path.stem))
    return found
