"""The Dagster instance at DAGSTER_HOME, created on first use with the project's settings."""

from __future__ import annotations

import os

import dagster as dg

from orchestration.settings import Settings

# SQLite storage by default; production points `storage` at PostgreSQL in this same file.
# One run at a time: DuckDB allows a single writer (the catch-up also holds a file lock).
DAGSTER_YAML = """\
telemetry:
  enabled: false
run_queue:
  max_concurrent_runs: 1
run_retries:
  enabled: true
  max_retries: 0
"""


def prepare_dagster_home(settings: Settings) -> dg.DagsterInstance:
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()
