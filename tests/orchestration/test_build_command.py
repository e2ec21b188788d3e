"""`tthc build` as an engineer runs it on a terminal (operations.md, issue 18): its help, its
plan without running it, the forced full rebuild, its progress lines and its plain-text,
rotated log."""

from __future__ import annotations

import re
from dataclasses import replace

import dagster as dg
import pytest

from orchestration import dbt_increment
from orchestration.cli import BUILD_LOGS_KEPT, new_build_log
from orchestration.settings import ENVIRONMENT, load_settings
from tests.conftest import build_env, build_env_without_key, copy_samples, run_tthc

ANSI = re.compile(r"\x1b\[")
PROGRESS = re.compile(r"\[(\d)/(\d)\] (\S+).* · (\d+:\d\d)$")


def test_help_lists_the_options_and_every_variable():
    for args in (["build", "--help"], ["--help"]):
        result = run_tthc(args, build_env_without_key())
        assert result.returncode == 0, result.stderr
        for name in ENVIRONMENT:
            assert name in result.stdout, (args, name)
    build_help = run_tthc(["build", "--help"], build_env_without_key()).stdout
    assert "--plan" in build_help and "--full-refresh" in build_help
    assert "[data/landing]" in build_help  # defaults are shown


def test_plan_prints_the_runs_and_changes_nothing(tmp_path):
    copy_samples(tmp_path / "landing")
    env = build_env(tmp_path)
    result = run_tthc(["build", "--plan"], env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # the five runs of the catch-up, in order, numbered (the sample's first day is 2024-04-01)
    runs = [line.split(". ", 1)[1] for line in lines if re.match(r"  \d\. ", line)]
    assert [run.split()[0] for run in runs] == [
        "load_reference", "load_dossier_days", "load_portal_months", "load_vneid_snapshots", "build_marts",
    ]  # fmt: skip
    assert runs[1].startswith("load_dossier_days 2024-04-01..")
    assert "dbt: incremental or whole is decided after the loads" in result.stdout
    # nothing ran: no raw layer, no run in the instance
    assert not (tmp_path / "warehouse" / "raw").exists()
    with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        assert instance.get_runs_count() == 0

    forced = run_tthc(["build", "--plan", "--full-refresh"], env)
    assert "dbt: full rebuild of the incremental models: asked for" in forced.stdout


def test_a_full_refresh_rebuilds_the_incremental_models_whole(tmp_path, monkeypatch):
    """After a recorded build with nothing new, the plan is an increment of no day; asked
    for a full refresh (the run tag `tthc build --full-refresh` sets), it is a full rebuild."""
    monkeypatch.setattr(dbt_increment, "project_fingerprint", lambda: "project")
    settings = replace(load_settings(), warehouse_dir=tmp_path)
    settings.warehouse_db.write_bytes(b"")
    dbt_increment.save(settings, dbt_increment.plan(settings))
    assert not dbt_increment.prepare(settings).full_refresh
    forced = dbt_increment.prepare(settings, full_refresh=True)
    assert forced.full_refresh and "--full-refresh" in forced.build_args(settings)
    assert dbt_increment.FULL_REFRESH_TAG in forced.describe()
    assert (settings.dbt_changed_days_file).read_text() == "day\n"


def test_the_build_shows_its_progress_and_keeps_a_plain_text_log(sample_build):
    root, _env, result = sample_build
    progress = [line.strip() for line in result.stdout.splitlines() if PROGRESS.search(line.strip())]
    # every run of the plan, in order, with the step running and the time since the start
    positions = [PROGRESS.search(line).group(1) for line in progress]
    assert positions == sorted(positions) and set(positions) == {"1", "2", "3", "4", "5"}
    dbt_lines = [line for line in progress if "build_marts" in line and " dbt " in line]
    done, total = map(int, re.search(r"dbt (\d+)/(\d+)", dbt_lines[-1]).groups())
    assert total > 100 and done == total  # every model, seed and data test reported
    assert "Log: " in result.stdout
    (log,) = (root / "warehouse" / "logs").glob("build_*.log")
    text = log.read_text(encoding="utf-8")
    assert "OK created" in text  # dbt's lines are in the log ...
    assert not ANSI.search(text)  # ... as plain text
    assert not ANSI.search(result.stdout)  # not a terminal: no cursor codes either


def test_build_logs_are_rotated(tmp_path):
    settings = replace(load_settings(), warehouse_dir=tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    for n in range(BUILD_LOGS_KEPT + 5):
        (logs / f"build_20240101T0000{n:02d}.log").write_text("old")
    newest = new_build_log(settings)
    newest.write_text("new")
    kept = sorted(logs.glob("build_*.log"))
    assert len(kept) == BUILD_LOGS_KEPT and kept[-1] == newest
    assert kept[0].name == "build_20240101T000006.log"  # the six oldest removed


@pytest.mark.parametrize("seconds, shown", [(0, "0:00"), (61.9, "1:01"), (3600, "60:00")])
def test_elapsed_time_is_minutes_and_seconds(seconds, shown):
    from orchestration.progress import fmt_elapsed

    assert fmt_elapsed(seconds) == shown


def test_prune_runs_removes_finished_runs_older_than_the_retention(tmp_path):
    """`tthc prune-runs` (run retention, deploy/systemd/tthc-prune-runs.timer) on a real
    instance with two runs: a retention of 1 day keeps both, of 0 days removes both."""
    env = build_env(tmp_path)
    home = tmp_path / "dagster_home"

    @dg.asset
    def one():
        return 1

    home.mkdir(mode=0o700)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for _ in range(2):
            assert dg.materialize([one], instance=instance).success
        run_ids = [r.dagster_run.run_id for r in instance.get_run_records()]
    assert len(run_ids) == 2

    kept = run_tthc(["prune-runs", "--older-than-days", "1"], env)
    assert kept.returncode == 0 and "Removed 0 run(s)" in kept.stdout, kept.stderr
    removed = run_tthc(["prune-runs", "--older-than-days", "0"], env)
    assert removed.returncode == 0 and "Removed 2 run(s)" in removed.stdout, removed.stderr
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_runs_count() == 0
        assert all(not instance.all_logs(run_id) for run_id in run_ids)
