"""Load records: what each load of a landing file did (rows read, loaded, quarantined).

Written by the ingest assets under ``<warehouse>/loads/``; read by the publication gate,
the door and freshness checks, the catch-up planner and the sensor (which files changed
since they were loaded), ``data_quality`` and ``publication.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ingest.load_result import LoadResult
from ingest.raw_layer import (
    load_record_path,
    partition_path,
    quarantine_path,
    write_text_atomically,
)

REFERENCE_RECORDS = "reference.json"


@dataclass
class LoadRecord(LoadResult):
    """A partition's (or reference file's) record: the result of the delivery in force,
    plus how it was loaded. The ingest side knows nothing of runs, hence two types.

    On disk it is the flat JSON of every field (``loads/<table>/<partition>.json``, the
    reference files together in ``loads/reference.json``).
    """

    run_id: str | None = None  # the Dagster run that loaded it, or refused its re-delivery
    # the landing delivery it was made from (catch_up.delivery_fingerprint): changed = stale
    delivery_fingerprint: str | None = None
    # the reference files that its unknown-code quarantine reasons were judged against
    reference_fingerprint: str | None = None
    # dossier days: the TTHC_PII_KEY that hashed applicant_key (an HMAC, never the key)
    pii_key_id: str | None = None
    # a refused re-delivery, kept beside the accepted delivery still in force
    rejected_redelivery: str | None = None

    # Written only when set, so that the files keep the keys they always had: a reference
    # record has no run, only a dossier day has a key id, few days a refused re-delivery.
    _WRITTEN_WHEN_SET = ("run_id", "reference_fingerprint", "pii_key_id", "rejected_redelivery")

    @classmethod
    def of(cls, result: LoadResult, **orchestration) -> LoadRecord:
        """The record of a load that just ran: the loader's result and how it was run."""
        return cls(**{f.name: getattr(result, f.name) for f in fields(LoadResult)}, **orchestration)

    @property
    def where(self) -> str:
        """The file, or the partition when no file was found."""
        return self.file or f"{self.table}/{self.partition_key}"

    def to_dict(self) -> dict:
        data = super().to_dict()
        for name in self._WRITTEN_WHEN_SET:
            if data[name] is None:
                del data[name]
        return data


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def save_partition_record(warehouse_dir: Path, table: str, partition_key: str, record: LoadRecord) -> None:
    write_text_atomically(_dumps(record.to_dict()), load_record_path(warehouse_dir, table, partition_key))


def save_reference_records(warehouse_dir: Path, records: list[LoadRecord]) -> None:
    path = Path(warehouse_dir) / "loads" / REFERENCE_RECORDS
    write_text_atomically(_dumps([record.to_dict() for record in records]), path)


def _read(path: Path) -> LoadRecord:
    return LoadRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))


def read_partition_record(warehouse_dir: Path, table: str, partition_key: str) -> LoadRecord | None:
    path = load_record_path(warehouse_dir, table, partition_key)
    return _read(path) if path.exists() else None


def read_reference_records(warehouse_dir: Path) -> list[LoadRecord]:
    path = Path(warehouse_dir) / "loads" / REFERENCE_RECORDS
    if not path.exists():
        return []
    return [LoadRecord.from_dict(data) for data in json.loads(path.read_text(encoding="utf-8"))]


def read_all_records(warehouse_dir: Path) -> list[LoadRecord]:
    """Every current load record: one per raw partition, plus the reference files."""
    loads = Path(warehouse_dir) / "loads"
    if not loads.is_dir():
        return []
    records = [_read(path) for path in sorted(loads.glob("*/*.json"))]
    records.extend(read_reference_records(warehouse_dir))
    return records


def record_in_force(new: LoadRecord, previous: LoadRecord | None, warehouse_dir: Path) -> LoadRecord:
    """The record to keep for a partition after a load (sources.md, "Deliveries as they
    really arrive").

    A rejected re-delivery (empty, not UTF-8, ambiguous, unreadable) changes nothing but the
    report: the last accepted delivery stays in force with its rows and its status, so a day
    held back for more than 5% quarantined stays held back until a good re-delivery, instead
    of being published in part. The rejection is kept beside it (``rejected_redelivery``),
    and ``delivery_fingerprint`` follows the landing zone, so the same bad file is not
    loaded again every night.
    """
    if not new.rejected or previous is None:
        return new
    if previous.rejected:  # nothing accepted before: the partition is a gap
        return new
    if new.table == "dossier_versions" and previous.pii_key_id != new.pii_key_id:
        # the accepted rows carry applicant keys of another TTHC_PII_KEY and cannot be
        # rehashed without a readable file: a gap, never a mix of two keys
        partition_path(warehouse_dir, new.table, new.partition_key).unlink(missing_ok=True)
        quarantine_path(warehouse_dir, new.table, new.partition_key).unlink(missing_ok=True)
        return replace(
            new,
            rejected=f"{new.rejected} (the earlier delivery was hashed with another TTHC_PII_KEY "
            "and was removed: the day is a gap until a good re-delivery)",
        )
    return replace(
        previous,
        run_id=new.run_id,
        delivery_fingerprint=new.delivery_fingerprint,
        rejected_redelivery=new.rejected,
        retry=new.retry,
    )
