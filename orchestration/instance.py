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
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  max_resume_run_attempts: 0
  poll_interval_seconds: 60
"""
# run_monitoring: a run whose worker died (the machine rebooted, the process was killed) is
# marked failed by the daemon instead of staying STARTED for ever; the landing sensor waits
# while a run of the warehouse is queued or running (sensors.py), so a dead STARTED run would
# otherwise hold every later build back. Not resumed: the next plan loads again what that run
# did not finish (catch_up.py).


def prepare_dagster_home(settings: Settings) -> dg.DagsterInstance:
    """The instance, its folder made private first (mode 0700, whatever the umask, an
    existing folder included): the run history, the event logs and the step logs under it
    are readable by this user only. Dagster creates its files with the process's umask; the
    folder's mode is what keeps them from the machine's other users."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    if home.stat().st_mode & 0o777 != 0o700:
        home.chmod(0o700)
    config = home / "dagster.yaml"
    if not config.exists():
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return dg.DagsterInstance.get()
