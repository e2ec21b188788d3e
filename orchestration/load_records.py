"""Load records: what each load of a landing file did (rows read, loaded, quarantined).

Written by the ingest assets under ``<warehouse>/loads/``; read by the publication gate,
the catch-up planner (which files changed since they were loaded) and ``publication.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.raw_layer import load_record_path, write_text_atomically

REFERENCE_RECORDS = "reference.json"


def save_partition_record(warehouse_dir: Path, table: str, partition_key: str, record: dict) -> None:
    path = load_record_path(warehouse_dir, table, partition_key)
    write_text_atomically(json.dumps(record, ensure_ascii=False, sort_keys=True), path)


def save_reference_records(warehouse_dir: Path, records: list[dict]) -> None:
    path = Path(warehouse_dir) / "loads" / REFERENCE_RECORDS
    write_text_atomically(json.dumps(records, ensure_ascii=False, sort_keys=True), path)


def read_partition_record(warehouse_dir: Path, table: str, partition_key: str) -> dict | None:
    path = load_record_path(warehouse_dir, table, partition_key)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def read_reference_records(warehouse_dir: Path) -> list[dict]:
    path = Path(warehouse_dir) / "loads" / REFERENCE_RECORDS
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def read_all_records(warehouse_dir: Path) -> list[dict]:
    """Every current load record: one per raw partition, plus the reference files."""
    loads = Path(warehouse_dir) / "loads"
    records: list[dict] = []
    if not loads.is_dir():
        return records
    for path in sorted(loads.glob("*/*.json")):
        records.append(json.loads(path.read_text(encoding="utf-8")))
    records.extend(read_reference_records(warehouse_dir))
    return records
