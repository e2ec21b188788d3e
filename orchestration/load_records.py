"""Load records: what each load of a landing file did (rows read, loaded, quarantined).

Written by the ingest assets under ``<warehouse>/loads/``; read by the publication gate,
the catch-up planner (which files changed since they were loaded) and ``publication.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.raw_layer import (
    load_record_path,
    partition_path,
    quarantine_path,
    write_text_atomically,
)

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


def record_in_force(new: dict, previous: dict | None, warehouse_dir: Path) -> dict:
    """The record to keep for a partition after a load (sources.md, "Deliveries as they
    really arrive").

    A rejected re-delivery (empty, not UTF-8, ambiguous, unreadable) changes nothing but the
    report: the last accepted delivery stays in force with its rows and its status, so a day
    held back for more than 5% quarantined stays held back until a good re-delivery, instead
    of being published in part. The rejection is kept beside it (``rejected_redelivery``),
    and ``delivery_fingerprint`` follows the landing zone, so the same bad file is not
    loaded again every night.
    """
    if not new.get("rejected") or previous is None:
        return new
    if previous.get("rejected"):  # nothing accepted before: the partition is a gap
        return new
    if new["table"] == "dossier_versions" and previous.get("pii_key_id") != new.get("pii_key_id"):
        # the accepted rows carry applicant keys of another TTHC_PII_KEY and cannot be
        # rehashed without a readable file: a gap, never a mix of two keys
        table, key = new["table"], new["partition_key"]
        partition_path(warehouse_dir, table, key).unlink(missing_ok=True)
        quarantine_path(warehouse_dir, table, key).unlink(missing_ok=True)
        gap = dict(new)
        gap["rejected"] = (
            f"{new['rejected']} (the earlier delivery was hashed with another TTHC_PII_KEY "
            "and was removed: the day is a gap until a good re-delivery)"
        )
        return gap
    kept = {k: v for k, v in previous.items() if k not in ("rejected_redelivery", "retry")}
    kept.update(
        run_id=new.get("run_id"),
        delivery_fingerprint=new.get("delivery_fingerprint"),
        rejected_redelivery=new["rejected"],
        retry=bool(new.get("retry")),
    )
    return kept
