"""Builds the hand-made raw layer once per session and runs `dbt build` on it once (dbt takes
seconds to start); the tests read the marts from the resulting DuckDB file."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.figures.raw_fixture import write_raw_layer

REPO = Path(__file__).resolve().parents[2]


@dataclass
class DbtRun:
    warehouse: Path
    returncode: int
    output: str

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse / "tthc.duckdb"), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


def run_dbt(warehouse: Path, *args: str, env: dict[str, str] | None = None) -> DbtRun:
    """One dbt command on the warehouse at ``warehouse`` (its own target and log folders).

    The warehouse is given as dbt run by hand gets it, by TTHC_WAREHOUSE_DIR: profiles.yml
    falls back to it when no var says otherwise. The build step passes `--vars` instead
    (test_incremental.py runs dbt that way, with this variable pointing elsewhere).
    """
    env = os.environ | {
        "TTHC_WAREHOUSE_DIR": str(warehouse),
        "DBT_LOG_PATH": str(warehouse / "dbt_logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    } | (env or {})
    result = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "dbt"),
            *args,
            "--project-dir",
            "dbt_project",
            "--profiles-dir",
            "dbt_project",
            "--target-path",
            str(warehouse / "dbt_target"),
        ],
        check=False,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return DbtRun(warehouse, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    warehouse = tmp_path_factory.mktemp("warehouse").resolve()
    write_raw_layer(warehouse)
    return run_dbt(warehouse, "build")
