"""The whole sample landing zone of the spec, loaded end to end."""

from __future__ import annotations

import polars as pl
from conftest import PII_KEY

from ingest.common.files import read_lines
from ingest.dossier_system import load_dossier_day
from ingest.dvc_portal import load_report_766, load_synced_list
from ingest.landing import scan_landing
from ingest.load_result import LoadResult
from ingest.raw_layer import PARTITIONED_TABLES, REFERENCE, partition_path, reference_path
from ingest.reference import load_reference
from ingest.second_chance import partitions_needing_reference, reasons_needing_reference
from ingest.vneid import load_vneid_snapshot

LOADERS = {
    "dossier_versions": lambda landing, wh, key: load_dossier_day(landing, wh, key, PII_KEY),
    "portal_766": load_report_766,
    "portal_synced": load_synced_list,
    "vneid_counts": load_vneid_snapshot,
}


def load_all(landing, warehouse) -> dict:
    results = {("reference", r.table): r for r in load_reference(landing, warehouse)}
    inventory = scan_landing(landing)
    for table, files in inventory.partitions.items():
        for key in files:
            results[(table, key)] = LOADERS[table](landing, warehouse, key)
    return inventory, results


def test_sample_landing_zone_loads_with_the_expected_counts(sample_landing, tmp_path):
    warehouse = tmp_path / "wh"
    inventory, results = load_all(sample_landing, warehouse)
    assert inventory.rejections == []
    counts = {k: (r.rows_read, r.rows_loaded, r.rows_quarantined) for k, r in results.items()}
    assert counts == {
        ("reference", "don_vi"): (13, 13, 0),
        ("reference", "dvhc"): (9, 9, 0),
        ("reference", "tthc"): (14, 14, 0),
        ("reference", "cong_bo"): (19, 19, 0),
        ("reference", "ngay_nghi"): (13, 13, 0),
        ("reference", "chi_tieu"): (9, 9, 0),
        ("dossier_versions", "2024-04-01"): (72, 72, 0),
        ("dossier_versions", "2024-04-02"): (93, 93, 0),
        ("dossier_versions", "2024-04-03"): (104, 103, 1),
        ("dossier_versions", "2024-04-22"): (174, 173, 1),
        ("portal_766", "2024-04"): (12, 12, 0),
        ("portal_766", "2024-06"): (10, 10, 0),
        ("portal_synced", "2024-04"): (811, 811, 0),
        ("vneid_counts", "2024-04-01"): (6, 6, 0),
    }
    assert results[("dossier_versions", "2024-04-03")].quarantine_reasons == {"invalid_json": 1}
    assert results[("dossier_versions", "2024-04-22")].quarantine_reasons == {
        "bad_pattern:MaTTHC": 1
    }
    assert all(r.rejected is None and r.warnings == [] for r in results.values())
    assert results[("portal_766", "2024-04")].checks["total_row"]["passed"] is True
    assert results[("portal_766", "2024-06")].checks["total_row"]["passed"] is True
    for (table, key), result in results.items():
        assert result.rows_read == result.rows_loaded + result.rows_quarantined
        assert LoadResult.from_json(result.to_json()) == result
        if table == "reference":
            frame = pl.read_parquet(reference_path(warehouse, key))
            assert frame.schema == REFERENCE[key]
        else:
            frame = pl.read_parquet(partition_path(warehouse, table, key))
            assert frame.schema == PARTITIONED_TABLES[table]
        assert frame.height == result.rows_loaded


def test_no_personal_value_of_the_samples_reaches_raw(sample_landing, tmp_path):
    warehouse = tmp_path / "wh"
    load_all(sample_landing, warehouse)
    personal: set[str] = set()
    for path in (sample_landing / "dossier_system").rglob("hoso_*"):
        lines = read_lines(path).get_column("raw_text").drop_nulls()
        for field in ("ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email"):
            found = lines.str.extract(rf'"{field}":\s*"([^"]+)"', 1).drop_nulls()
            personal |= set(found.to_list())
    assert len(personal) > 300
    for path in (warehouse / "raw").rglob("*.parquet"):
        frame = pl.read_parquet(path)
        strings = set()
        for column, dtype in frame.schema.items():
            if dtype == pl.String:
                strings |= set(frame[column].drop_nulls().to_list())
            elif isinstance(dtype, pl.List):
                strings |= {str(v) for v in frame[column].to_list()}
        assert not (strings & personal), path
        blob = " ".join(strings)
        assert not any(p in blob for p in personal if len(p) >= 8), path


def test_second_chance_lists_partitions_waiting_for_reference(landing, warehouse):
    from conftest import DAY, dossier_line, write_day

    write_day(landing, DAY, [dossier_line(), dossier_line(MaTTHC="1.999999")])
    result = load_dossier_day(landing, warehouse, DAY, PII_KEY)
    assert reasons_needing_reference(result) == {"unknown_procedure": 1}
    assert partitions_needing_reference(warehouse) == [("dossier_versions", DAY)]
    # the procedure is published; reloading re-applies every rule and clears the quarantine
    tthc = landing / "reference" / "tthc.csv"
    tthc.write_text(
        tthc.read_text(encoding="utf-8")
        + "1.999999,Thủ tục mới,G09-TP03,Hộ tịch,xa,toan_trinh,0,1,ngay_lam_viec,1,000.00.11.H04\n",
        encoding="utf-8",
    )
    load_reference(landing, warehouse)
    result = load_dossier_day(landing, warehouse, DAY, PII_KEY)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert partitions_needing_reference(warehouse) == []
