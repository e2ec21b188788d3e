"""Nightly increments give the marts of a full rebuild (issue 8).

The hand-made raw layer is built up to 2024-04-29, then two increments add the rest the way
the build step does it (orchestration/dbt_increment.py plans each `dbt build`): first
2024-05-02 alone (a new month: April's end moves from the 29th to the 30th), then the five
days to 2024-05-20 (new dossiers, a dossier updated twice, a dossier of one increment updated
in the next). Every intermediate model and every mart must then equal, row for row, the
session's build from empty of the same raw layer (`built`).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import dbt_increment
from orchestration.settings import Settings
from tests.figures.conftest import DbtRun, run_dbt
from tests.figures.raw_fixture import write_raw_layer

FIRST_BUILD_THROUGH = "2024-04-29"
NEW_MONTH_DAY = "2024-05-02"
# the model that lists the changed dossiers of the last increment differs by design
INCREMENT_ONLY = {"int_dossiers__changed"}
# the increments must work from the vars alone: the environment points elsewhere
NO_SETTINGS_ENV = {"TTHC_WAREHOUSE_DIR": "/nonexistent", "TTHC_DBT_CHANGED_DAYS_FILE": ""}


def _settings(warehouse: Path) -> Settings:
    return Settings(
        landing_dir=warehouse / "landing", warehouse_dir=warehouse, publish_dir=warehouse / "published",
        dagster_home=warehouse / "dagster", pii_key=None, duckdb_threads=1, duckdb_memory_limit="1GB",
        publications_kept=1, alert_webhook_url=None,
    )  # fmt: skip


def _build(settings: Settings) -> tuple[dbt_increment.DbtIncrement, DbtRun]:
    """A `dbt build` as the build step runs it: prepared, given the settings as vars."""
    increment = dbt_increment.prepare(settings)
    run = run_dbt(settings.warehouse_dir, *increment.build_args(settings), env=NO_SETTINGS_ENV)
    assert run.returncode == 0, run.output[-4000:]
    dbt_increment.save(settings, increment)
    return increment, run


@pytest.fixture(scope="module")
def incremental(tmp_path_factory) -> dict:
    warehouse = tmp_path_factory.mktemp("warehouse_incremental").resolve()
    held = tmp_path_factory.mktemp("held_back_days")
    write_raw_layer(warehouse)
    days = warehouse / "raw" / "dossier_versions"
    later = sorted(p.name for p in days.glob("2024-*.parquet") if p.stem > FIRST_BUILD_THROUGH)
    for name in later:
        shutil.move(days / name, held / name)
    settings = _settings(warehouse)

    plans = [_build(settings)[0]]
    shutil.move(held / f"{NEW_MONTH_DAY}.parquet", days / f"{NEW_MONTH_DAY}.parquet")
    plans.append(_build(settings)[0])
    for name in later[1:]:
        shutil.move(held / name, days / name)
    plans.append(_build(settings)[0])
    return {"settings": settings, "plans": plans, "later": [Path(n).stem for n in later]}


def test_the_build_arguments_pass_the_settings_as_constant_vars(tmp_path):
    settings = _settings(tmp_path)
    expected_vars = {
        "warehouse_dir": str(tmp_path),
        "duckdb_threads": 1,
        "duckdb_memory_limit": "1GB",
        "changed_days_file": str(tmp_path / "dbt_increment" / "changed_days.csv"),
    }
    full = dbt_increment.DbtIncrement(True, "no earlier build recorded")
    nightly = dbt_increment.DbtIncrement(False, "nothing else changed", changed_days=["2024-05-02"])
    assert full.build_args(settings)[:3] == ["build", "--full-refresh", "--vars"]
    assert nightly.build_args(settings)[:2] == ["build", "--vars"]
    # the same vars whatever the days: dbt keeps its partial parse from night to night
    assert json.loads(full.build_args(settings)[-1]) == expected_vars
    assert nightly.build_args(settings)[-1] == full.build_args(settings)[-1]
    nightly.write_changed_days(settings)
    assert settings.dbt_changed_days_file.read_text() == "day\n2024-05-02\n"
    full.write_changed_days(settings)
    assert settings.dbt_changed_days_file.read_text() == "day\n"


def test_each_build_is_planned_as_an_increment_of_the_new_days(incremental):
    first, new_month, rest = incremental["plans"]
    assert first.full_refresh and "no earlier build" in first.reason
    assert not new_month.full_refresh and new_month.changed_days == [NEW_MONTH_DAY]
    assert not rest.full_refresh and rest.changed_days == incremental["later"][1:]
    assert rest.changed_days == ["2024-05-03", "2024-05-09", "2024-05-10", "2024-05-12", "2024-05-16", "2024-05-20"]


def test_incremental_builds_equal_the_full_rebuild(incremental, built):
    assert built.returncode == 0
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental['settings'].warehouse_db}' as incremental (read_only)")
        con.execute(f"attach '{built.warehouse / 'tthc.duckdb'}' as rebuilt (read_only)")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'rebuilt' "
            "and schema_name in ('intermediate', 'marts') order by all"
        ).fetchall()
        assert len(tables) >= 25
        compared = 0
        for schema, table in tables:
            if table in INCREMENT_ONLY:
                continue
            for left, right in (("incremental", "rebuilt"), ("rebuilt", "incremental")):
                extra = con.execute(
                    f"select count(*) from (select * from {left}.{schema}.{table} "
                    f"except all select * from {right}.{schema}.{table})"
                ).fetchone()[0]
                assert extra == 0, f"{schema}.{table}: {extra} row(s) only in the {left} build"
            compared += 1
        rows = con.execute("select count(*) from incremental.marts.bieu_06").fetchone()[0]
        # the last build did recompute only the dossiers of its six days
        changed = con.execute(
            "select dossier_code from incremental.intermediate.int_dossiers__changed order by 1"
        ).fetchall()
    assert compared == len(tables) - 1 and rows > 0
    assert [code for (code,) in changed] == ["A06", "A12", "A13", "A15", "B02", "B03"]


def test_a_rewritten_day_or_a_new_reference_means_a_full_rebuild(incremental):
    settings = incremental["settings"]
    assert not dbt_increment.plan(settings).full_refresh  # nothing new: an empty increment
    assert dbt_increment.plan(settings).changed_days == []
    day = settings.warehouse_dir / "raw" / "dossier_versions" / "2024-04-10.parquet"
    stat = day.stat()
    os.utime(day, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # reloaded
    again = dbt_increment.plan(settings)
    assert again.full_refresh and "2024-04-10" in again.reason
    os.utime(day, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reference = settings.warehouse_dir / "raw" / "reference" / "tthc" / "current.parquet"
    os.utime(reference, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert "reference files" in dbt_increment.plan(settings).reason
