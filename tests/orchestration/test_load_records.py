"""Load records on disk: typed when read, the same JSON as before when written, and records of
an existing warehouse (written by earlier versions) still load."""

from __future__ import annotations

import json

from ingest.load_result import LoadResult
from orchestration.load_records import (
    LoadRecord,
    read_all_records,
    read_partition_record,
    read_reference_records,
    save_partition_record,
    save_reference_records,
)

RESULT_KEYS = {
    "table", "partition_key", "file", "file_sha256", "rows_read", "rows_loaded",
    "rows_quarantined", "quarantine_reasons", "rejected", "warnings", "checks", "retry",
}  # fmt: skip

# a dossier day as the ingest asset wrote it before the record had a type
WRITTEN_BEFORE = {
    "table": "dossier_versions", "partition_key": "2024-04-01",
    "file": "dossier_system/2024-04-01/hoso_20240401.jsonl", "file_sha256": "a" * 64,
    "rows_read": 100, "rows_loaded": 92, "rows_quarantined": 8,
    "quarantine_reasons": {"invalid_json": 8}, "rejected": None, "warnings": [],
    "checks": {"quarantine_rate": {"passed": False, "details": {"rate": 0.08, "max": 0.05}}},
    "retry": False, "run_id": "r1", "delivery_fingerprint": "b" * 64,
    "reference_fingerprint": "c" * 64, "pii_key_id": "k1",
}  # fmt: skip


def test_a_record_reads_typed_and_writes_back_the_same_json(tmp_path):
    path = tmp_path / "loads" / "dossier_versions" / "2024-04-01.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(WRITTEN_BEFORE, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    record = read_partition_record(tmp_path, "dossier_versions", "2024-04-01")
    assert isinstance(record, LoadRecord)
    assert (record.rows_quarantined, record.pii_key_id, record.rejected_redelivery) == (8, "k1", None)
    assert record.over_quarantine_limit and record.where == WRITTEN_BEFORE["file"]
    before = path.read_text(encoding="utf-8")
    save_partition_record(tmp_path, "dossier_versions", "2024-04-01", record)
    assert path.read_text(encoding="utf-8") == before


def test_keys_written_only_when_set_keep_the_files_as_they_were(tmp_path):
    # a portal month: no key id, no refused re-delivery
    month = LoadRecord.of(LoadResult("portal_766", "2024-04", "dvc_portal/2024-04/dvcqg_766_2024-04.csv"),
                          run_id="r1", delivery_fingerprint="d", reference_fingerprint="e")  # fmt: skip
    save_partition_record(tmp_path, "portal_766", "2024-04", month)
    written = json.loads((tmp_path / "loads" / "portal_766" / "2024-04.json").read_text(encoding="utf-8"))
    assert set(written) == RESULT_KEYS | {"run_id", "delivery_fingerprint", "reference_fingerprint"}
    # a reference file: the delivery only, null when the file is missing
    save_reference_records(tmp_path, [LoadRecord("tthc", file="reference/tthc.csv")])
    [reference] = json.loads((tmp_path / "loads" / "reference.json").read_text(encoding="utf-8"))
    assert set(reference) == RESULT_KEYS | {"delivery_fingerprint"}
    assert [r.table for r in read_all_records(tmp_path)] == ["portal_766", "tthc"]


def test_missing_keys_take_their_defaults(tmp_path):
    (tmp_path / "loads").mkdir()
    (tmp_path / "loads" / "reference.json").write_text(
        json.dumps([{"table": "tthc", "file": "reference/tthc.csv", "rejected": None, "rows_read": 3}])
    )
    [record] = read_reference_records(tmp_path)
    assert record == LoadRecord("tthc", file="reference/tthc.csv", rows_read=3)
    assert (record.retry, record.quarantine_reasons, record.delivery_fingerprint) == (False, {}, None)
