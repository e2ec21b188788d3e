"""data_quality rows of the untidy deliveries: a refused re-delivery beside the delivery in
force, and files left pending because they were still being uploaded."""

from __future__ import annotations

from orchestration.load_records import LoadRecord
from publish import data_quality


def test_a_refused_redelivery_is_reported_and_the_accepted_delivery_keeps_its_rows():
    record = LoadRecord(
        table="dossier_versions", partition_key="2024-04-01",
        file="dossier_system/2024-04-01/hoso_20240401.jsonl", rejected=None,
        rows_read=100, rows_loaded=92, rows_quarantined=8,
        quarantine_reasons={"updated_not_on_file_day": 8},
        rejected_redelivery=(
            "dossier_system/2024-04-01/hoso_20240401.jsonl, dossier_system/2024-04-01/"
            "hoso_20240401.jsonl.gz: rejected: ambiguous delivery, the folder holds the same "
            "file twice; the raw partition of the earlier delivery is left untouched"
        ),
    )  # fmt: skip
    rows = data_quality.load_rows([record])
    assert [(r.object, r.check_name, r.severity) for r in rows] == [
        ("dossier_system/2024-04-01/hoso_20240401.jsonl, dossier_system/2024-04-01/hoso_20240401.jsonl.gz",
         "rejected_file", "warn"),
        ("dossier_system/2024-04-01/hoso_20240401.jsonl", "quarantine:updated_not_on_file_day", "error"),
    ]  # fmt: skip
    assert rows[1].failing_rows == 8 and "ambiguous delivery" in rows[0].details


def test_pending_files_are_reported_as_warnings():
    rows = data_quality.pending_rows(["dossier_system/2024-04-02/hoso_20240402.jsonl"])
    assert [(r.source, r.object, r.check_name, r.severity, r.passed) for r in rows] == [
        ("dossier_system", "dossier_system/2024-04-02/hoso_20240402.jsonl", "pending_file", "warn", False)
    ]
    assert "left for the next build" in rows[0].details


def test_unknown_receiving_desks_are_one_warning_per_file():
    """reorganisation.md: a receiving desk unknown to don_vi.csv never quarantines; data_quality
    warns with the count per file (dbt's int_dossiers__unknown_receiving_agencies)."""
    files = [
        ("dossier_system/2025-07-02/hoso_20250702.jsonl", 3, "999.99.98.H99, 999.99.99.H99"),
        ("dossier_system/2025-07-01/hoso_20250701.jsonl", 1, "999.99.99.H99"),
    ]
    rows = data_quality.unknown_receiving_agency_rows(files)
    assert [(r.source, r.object, r.check_name, r.severity, r.passed, r.failing_rows) for r in rows] == [
        ("dossier_system", "dossier_system/2025-07-01/hoso_20250701.jsonl", "unknown_receiving_agency",
         "warn", False, 1),
        ("dossier_system", "dossier_system/2025-07-02/hoso_20250702.jsonl", "unknown_receiving_agency",
         "warn", False, 3),
    ]  # fmt: skip
    assert "999.99.98.H99, 999.99.99.H99" in rows[1].details
    assert data_quality.unknown_receiving_agency_rows([]) == []


def test_no_unknown_receiving_desks_before_dbt_built_them(tmp_path):
    import duckdb

    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        assert data_quality.read_unknown_receiving_agencies(con) == []
