"""One writer at a time: every run that writes the warehouse holds its build lock, taken by
the warehouse resource, whoever launched the run (the daemon, `tthc build`, the UI)."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg

from orchestration.definitions import build_definitions
from orchestration.settings import load_settings

LOCK_HOLDER = """
import sys, time
from orchestration.catch_up import exclusive_build
from orchestration.settings import load_settings
with exclusive_build(load_settings()):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_run_fails_at_once_while_another_process_writes_the_warehouse(tmp_path, monkeypatch):
    for name, folder in (("LANDING", "landing"), ("WAREHOUSE", "warehouse"), ("PUBLISH", "published")):
        monkeypatch.setenv(f"TTHC_{name}_DIR", str(tmp_path / folder))
    (tmp_path / "landing" / "reference").mkdir(parents=True)
    settings = load_settings()
    job = build_definitions(settings).resolve_job_def("load_reference")
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with dg.instance_for_test() as instance:
            result = job.execute_in_process(instance=instance, raise_on_error=False)
            assert not result.success
            failure = next(e for e in result.all_events if e.is_failure)
            message = str(failure.event_specific_data.error)
            assert "another build is writing the warehouse" in message
            assert str(settings.warehouse_dir / ".build.lock") in message
    finally:
        holder.kill()
        holder.wait(timeout=30)
    # the holder is gone: the same run goes through (the lock is re-entrant in one process,
    # so the in-process `tthc build`, which holds it already, is not refused by its own runs)
    from orchestration.catch_up import exclusive_build

    with exclusive_build(settings), dg.instance_for_test() as instance:
        assert job.execute_in_process(instance=instance, raise_on_error=False).success
