"""The Dagster instance the project creates (orchestration/instance.py)."""

from __future__ import annotations

from dataclasses import replace

from orchestration.instance import prepare_dagster_home
from orchestration.settings import load_settings


def test_the_instance_runs_one_run_at_a_time_and_fails_runs_whose_worker_died(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    settings = replace(load_settings(), dagster_home=tmp_path / "dagster_home")
    instance = prepare_dagster_home(settings)
    try:
        assert (settings.dagster_home.stat().st_mode & 0o777) == 0o700
        # one writer: DuckDB allows one, the queue runs one run at a time
        assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs == 1
        # a run whose worker died is failed, not left STARTED (the sensor waits on pending runs)
        assert instance.run_monitoring_enabled
        assert instance.run_monitoring_max_resume_run_attempts == 0
    finally:
        instance.dispose()
