"""The landing sensor (the catch-up's run requests for new or re-delivered files, none for
files already loaded, none while a run is pending) and the catch-up plan (which partitions
a build reloads)."""

from __future__ import annotations

from dataclasses import replace

import dagster as dg
import pytest

from ingest.landing import scan_landing, sha256_of
from orchestration.catch_up import (
    delivery_fingerprint,
    make_plan,
    reference_fingerprint,
    unfinished_load_runs,
)
from orchestration.load_records import (
    LoadRecord,
    read_partition_record,
    record_in_force,
    save_partition_record,
    save_reference_records,
)
from orchestration.resources import WarehouseResource
from orchestration.sensors import landing_sensor
from orchestration.settings import load_settings


@pytest.fixture
def zone(tmp_path, monkeypatch):
    landing = tmp_path / "landing"
    for day in ("2024-04-01", "2024-04-02"):
        folder = landing / "dossier_system" / day
        folder.mkdir(parents=True)
        (folder / f"hoso_{day.replace('-', '')}.jsonl").write_text('{"MaHoSo": "x"}\n')
    (landing / "reference").mkdir()
    (landing / "reference" / "tthc.csv").write_text("ma_tthc\n1.000001\n")
    monkeypatch.setenv("TTHC_LANDING_DIR", str(landing))
    monkeypatch.setenv("TTHC_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.setenv("TTHC_PUBLISH_DIR", str(tmp_path / "published"))
    monkeypatch.setenv("TTHC_SETTLE_SECONDS", "0")
    return landing


def tick(cursor=None, instance=None):
    resources = {"warehouse": WarehouseResource.from_settings(load_settings())}
    if instance is not None:
        with dg.build_sensor_context(instance=instance, cursor=cursor, resources=resources) as context:
            return landing_sensor(context), context.cursor
    with (
        dg.instance_for_test() as fresh_instance,
        dg.build_sensor_context(instance=fresh_instance, cursor=cursor, resources=resources) as context,
    ):
        return landing_sensor(context), context.cursor


def requested(result) -> list[tuple[str, str | None, str | None]]:
    """(job, first partition, last partition) of each run the tick asked for, in order."""
    assert isinstance(result, dg.SensorResult), result
    return [
        (r.job_name, r.tags.get("dagster/asset_partition_range_start"),
         r.tags.get("dagster/asset_partition_range_end"))
        for r in result.run_requests
    ]  # fmt: skip


def mark_loaded(landing, day, reasons=None, pii_key_id=None):
    """Write the load record that a successful load of the day's file leaves behind."""
    settings = load_settings()
    inventory = scan_landing(landing)
    path = landing / "dossier_system" / day / f"hoso_{day.replace('-', '')}.jsonl"
    raw = settings.warehouse_dir / "raw" / "dossier_versions" / f"{day}.parquet"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_bytes(b"")
    save_partition_record(settings.warehouse_dir, "dossier_versions", day, LoadRecord(
        table="dossier_versions", partition_key=day, file=str(path.relative_to(landing)),
        file_sha256=sha256_of(path), rows_read=1, rows_loaded=1, rows_quarantined=0,
        quarantine_reasons=reasons or {}, rejected=None,
        delivery_fingerprint=delivery_fingerprint(inventory, "dossier_versions", day),
        reference_fingerprint=reference_fingerprint(inventory),
        pii_key_id=pii_key_id,
    ))  # fmt: skip


def test_new_files_request_the_asset_jobs_of_their_partitions_then_nothing(zone):
    first, cursor = tick()
    assert requested(first) == [
        ("load_reference", None, None),
        ("load_dossier_days", "2024-04-01", "2024-04-02"),
        ("build_marts", None, None),
    ]
    assert all(r.tags["tthc/changed_files"] == "3" for r in first.run_requests)
    assert len({r.tags["tthc/plan"] for r in first.run_requests}) == 1
    assert len({r.run_key for r in first.run_requests}) == 3
    # the new days are added as partitions in the same result, before the runs target them
    [added] = first.dynamic_partitions_requests
    assert (added.partitions_def_name, list(added.partition_keys)) == (
        "dossier_days", ["2024-04-01", "2024-04-02"],
    )  # fmt: skip
    second, _ = tick(cursor)
    assert isinstance(second, dg.SkipReason)


def test_the_sensor_waits_while_a_run_of_the_warehouse_is_pending(zone):
    """A queued load would otherwise be planned twice: the tick waits, its cursor unmoved,
    and plans once the run has ended."""
    from orchestration.definitions import defs

    with dg.instance_for_test() as instance:
        running = instance.create_run_for_job(
            defs.resolve_job_def("build_marts"), status=dg.DagsterRunStatus.STARTED
        )
        result, cursor = tick(instance=instance)
        assert isinstance(result, dg.SkipReason) and "queued or running" in str(result.skip_message)
        assert cursor is None
        instance.report_run_failed(running)
        result, _ = tick(instance=instance)
        assert [job for job, _, _ in requested(result)][-1] == "build_marts"


def test_a_redelivered_file_requests_one_run(zone):
    _, cursor = tick()
    (zone / "dossier_system" / "2024-04-02" / "hoso_20240402.jsonl").write_text(
        '{"MaHoSo": "corrected"}\n'
    )
    result, _ = tick(cursor)
    assert requested(result)[0][0] == "load_reference"  # the reference was never loaded here
    assert result.run_requests[0].tags["tthc/changed_files"] == "1"


def test_a_touched_but_unchanged_file_requests_nothing(zone):
    _, cursor = tick()
    path = zone / "dossier_system" / "2024-04-02" / "hoso_20240402.jsonl"
    path.write_text(path.read_text())  # new mtime, same content
    result, _ = tick(cursor)
    assert isinstance(result, dg.SkipReason)


def test_files_already_loaded_by_a_build_start_no_run(zone):
    for day in ("2024-04-01", "2024-04-02"):
        mark_loaded(zone, day)
    (zone / "reference" / "tthc.csv").unlink()  # only the loaded extracts remain
    result, _ = tick()
    assert isinstance(result, dg.SkipReason)


def test_plan_loads_new_days_then_nothing_once_loaded(zone):
    settings = load_settings()
    plan = make_plan(settings, scan_landing(zone), {})
    assert [r.job_name for r in plan.runs] == ["load_reference", "load_dossier_days", "build_marts"]
    days = plan.runs[1]
    assert days.partition_range == ("2024-04-01", "2024-04-02")
    assert plan.new_partitions["dossier_days"] == ["2024-04-01", "2024-04-02"]

    for day in ("2024-04-01", "2024-04-02"):
        mark_loaded(zone, day)
    inventory = scan_landing(zone)
    save_reference_records(settings.warehouse_dir, [LoadRecord(
        table="tthc", file="reference/tthc.csv", rejected=None,
        delivery_fingerprint=inventory.reference["tthc"].fingerprint,
    )])  # fmt: skip
    (settings.warehouse_dir / "raw" / "reference" / "tthc").mkdir(parents=True)
    (settings.warehouse_dir / "raw" / "reference" / "tthc" / "current.parquet").write_bytes(b"")
    known = {"dossier_days": ["2024-04-01", "2024-04-02"]}
    assert [r.job_name for r in make_plan(settings, inventory, known).runs] == ["build_marts"]


def test_plan_reloads_only_the_redelivered_day(zone):
    settings = load_settings()
    for day in ("2024-04-01", "2024-04-02"):
        mark_loaded(zone, day)
    (zone / "dossier_system" / "2024-04-01" / "hoso_20240401.jsonl").write_text('{"a": 1}\n')
    known = {"dossier_days": ["2024-04-01", "2024-04-02"]}
    plan = make_plan(settings, scan_landing(zone), known)
    days = next(r for r in plan.runs if r.job_name == "load_dossier_days")
    assert days.stale_keys == ("2024-04-01",)


def test_unknown_codes_get_a_second_chance_when_the_reference_changes(zone):
    settings = load_settings()
    mark_loaded(zone, "2024-04-01", reasons={"unknown_procedure": 1})
    mark_loaded(zone, "2024-04-02")
    known = {"dossier_days": ["2024-04-01", "2024-04-02"]}
    assert not [r for r in make_plan(settings, scan_landing(zone), known).runs
                if r.job_name == "load_dossier_days"]  # fmt: skip
    (zone / "reference" / "tthc.csv").write_text("ma_tthc\n1.000001\n1.000002\n")
    plan = make_plan(settings, scan_landing(zone), known)
    days = next(r for r in plan.runs if r.job_name == "load_dossier_days")
    assert days.stale_keys == ("2024-04-01",)


def test_a_new_pii_key_reloads_every_day(zone, monkeypatch):
    """The raw layer never mixes applicant keys of two keys: after a key change every loaded
    day is stale, not only the days that arrive later."""
    from ingest.pii import key_id

    monkeypatch.setenv("TTHC_PII_KEY", "first-key-0123456789abcdef-0123456789")
    for day in ("2024-04-01", "2024-04-02"):
        mark_loaded(zone, day, pii_key_id=key_id(b"first-key-0123456789abcdef-0123456789"))
    known = {"dossier_days": ["2024-04-01", "2024-04-02"]}
    runs = make_plan(load_settings(), scan_landing(zone), known).runs
    assert "load_dossier_days" not in [r.job_name for r in runs]

    monkeypatch.setenv("TTHC_PII_KEY", "second-key-0123456789abcdef-0123456789")
    runs = make_plan(load_settings(), scan_landing(zone), known).runs
    days = next(r for r in runs if r.job_name == "load_dossier_days")
    assert days.stale_keys == ("2024-04-01", "2024-04-02")


def test_the_sensor_waits_for_files_to_settle(zone, monkeypatch):
    """An upload written straight to its final name is not picked up half-written: a file
    changed less than TTHC_SETTLE_SECONDS ago starts no run and stays out of the cursor."""
    import time

    import ingest.landing

    monkeypatch.setenv("TTHC_SETTLE_SECONDS", "60")
    result, cursor = tick()
    assert isinstance(result, dg.SkipReason) and cursor == "{}"
    (zone / "dossier_system" / "2024-04-03").mkdir()
    (zone / "dossier_system" / "2024-04-03" / "hoso_20240403.jsonl.part").write_text("{")
    later = time.time_ns() + 61 * 1_000_000_000
    monkeypatch.setattr(ingest.landing.time, "time_ns", lambda: later)
    result, _ = tick(cursor)
    assert isinstance(result, dg.SensorResult)
    assert result.run_requests[0].tags["tthc/changed_files"] == "3"


def _accepted_record(day, rows_read, rows_quarantined, pii_key_id="k1"):
    return LoadRecord(
        table="dossier_versions", partition_key=day, run_id="r1",
        file=f"dossier_system/{day}/hoso_{day.replace('-', '')}.jsonl", file_sha256="a" * 64,
        rows_read=rows_read, rows_loaded=rows_read - rows_quarantined,
        rows_quarantined=rows_quarantined, quarantine_reasons={"invalid_json": rows_quarantined},
        rejected=None, delivery_fingerprint="a" * 64, pii_key_id=pii_key_id,
    )  # fmt: skip


def test_a_rejected_redelivery_keeps_the_last_accepted_delivery_and_its_verdict(tmp_path):
    """A day held back for 8% quarantined, then re-delivered as an empty file: the held-back
    delivery stays in force (still blocking), the rejection is reported beside it."""
    from publish.gate import batch_problems

    day = "2024-04-01"
    previous = _accepted_record(day, 100, 8)
    assert [blocking for blocking, _ in batch_problems(previous)] == [True]
    rejected = LoadRecord(
        table="dossier_versions", partition_key=day, run_id="r2",
        file=f"dossier_system/{day}/hoso_20240401.jsonl", rows_read=0, rows_loaded=0,
        rows_quarantined=0, quarantine_reasons={}, pii_key_id="k1",
        rejected=f"dossier_system/{day}/hoso_20240401.jsonl: rejected: empty file; the raw "
                 "partition of the earlier delivery is left untouched",
        delivery_fingerprint="b" * 64,
    )  # fmt: skip
    kept = record_in_force(rejected, previous, tmp_path)
    assert (kept.rows_read, kept.rows_quarantined, kept.rejected) == (100, 8, None)
    assert kept.rejected_redelivery == rejected.rejected
    assert kept.delivery_fingerprint == "b" * 64 and kept.run_id == "r2"
    problems = batch_problems(kept)
    assert [blocking for blocking, _ in problems] == [False, True]
    assert "empty file" in problems[0][1] and "8 of 100 rows quarantined" in problems[1][1]
    # a second rejected re-delivery replaces the first rejection, still keeping the rows
    again = record_in_force(replace(rejected, rejected="x: rejected: ambiguous"), kept, tmp_path)
    assert again.rejected_redelivery == "x: rejected: ambiguous" and again.rows_read == 100
    # an accepted re-delivery replaces everything
    good = _accepted_record(day, 100, 0)
    assert record_in_force(good, kept, tmp_path) == good
    # nothing accepted before: the rejection stands alone (a gap)
    assert record_in_force(rejected, None, tmp_path) == rejected


def test_a_rejected_redelivery_after_a_key_change_removes_the_old_keys_rows(tmp_path):
    day = "2024-04-01"
    raw = tmp_path / "raw" / "dossier_versions" / f"{day}.parquet"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(b"rows hashed with the first key")
    rejected = replace(_accepted_record(day, 0, 0, pii_key_id="k2"), rejected="f: rejected: empty file")
    gap = record_in_force(rejected, _accepted_record(day, 100, 0, pii_key_id="k1"), tmp_path)
    assert gap.rejected.startswith("f: rejected: empty file") and "another TTHC_PII_KEY" in gap.rejected
    assert not raw.exists()


def test_an_ambiguous_redelivery_is_loaded_once_then_left_alone(zone):
    """The planner loads the ambiguous folder once (to record its rejection), and not again
    while the folder stays the same."""
    settings = load_settings()
    for day in ("2024-04-01", "2024-04-02"):
        mark_loaded(zone, day)
    (zone / "dossier_system" / "2024-04-01" / "hoso_20240401.jsonl.gz").write_bytes(b"x")
    known = {"dossier_days": ["2024-04-01", "2024-04-02"]}
    inventory = scan_landing(zone)
    days = next(r for r in make_plan(settings, inventory, known).runs if r.job_name == "load_dossier_days")
    assert days.stale_keys == ("2024-04-01",)
    record = read_partition_record(settings.warehouse_dir, "dossier_versions", "2024-04-01")
    rejected = replace(record, rejected="ambiguous", delivery_fingerprint=delivery_fingerprint(inventory, "dossier_versions", "2024-04-01"))
    save_partition_record(settings.warehouse_dir, "dossier_versions", "2024-04-01",
                          record_in_force(rejected, record, settings.warehouse_dir))  # fmt: skip
    assert "load_dossier_days" not in [r.job_name for r in make_plan(settings, scan_landing(zone), known).runs]


def test_vneid_rows_of_an_unknown_commune_get_a_second_chance_when_dvhc_changes(zone):
    settings = load_settings()
    (zone / "reference" / "dvhc.csv").write_text("ma_dvhc\n10000\n")
    mark_loaded(zone, "2024-04-01", reasons={"unknown_unit": 2})
    mark_loaded(zone, "2024-04-02")
    known = {"dossier_days": ["2024-04-01", "2024-04-02"]}
    assert "load_dossier_days" not in [r.job_name for r in make_plan(settings, scan_landing(zone), known).runs]
    (zone / "reference" / "dvhc.csv").write_text("ma_dvhc\n10000\n10001\n")
    plan = make_plan(settings, scan_landing(zone), known)
    days = next(r for r in plan.runs if r.job_name == "load_dossier_days")
    assert days.stale_keys == ("2024-04-01",)


def test_days_loaded_by_a_run_that_did_not_finish_are_loaded_again(zone):
    """A load run killed after saving a day's record but before its door checks reported:
    the gate would wait for those checks forever, so the plan loads the day again."""
    settings = load_settings()
    for day in ("2024-04-01", "2024-04-02"):
        mark_loaded(zone, day)
    with dg.instance_for_test() as instance:
        finished = dg.materialize([_noop], instance=instance)
        killed = dg.DagsterRun(job_name="load_dossier_days", run_id="killed-run", status=dg.DagsterRunStatus.STARTED)
        instance.add_run(killed)
        for day, run_id in (("2024-04-01", finished.run_id), ("2024-04-02", "killed-run")):
            record = read_partition_record(settings.warehouse_dir, "dossier_versions", day)
            save_partition_record(settings.warehouse_dir, "dossier_versions", day, replace(record, run_id=run_id))
        unfinished = unfinished_load_runs(instance, settings.warehouse_dir)
    assert unfinished == frozenset({"killed-run"})
    known = {"dossier_days": ["2024-04-01", "2024-04-02"]}
    plan = make_plan(settings, scan_landing(zone), known, unfinished)
    days = next(r for r in plan.runs if r.job_name == "load_dossier_days")
    assert days.stale_keys == ("2024-04-02",)


@dg.asset
def _noop() -> None:
    return None
