"""Issue 10: the same dbt project builds the same marts on Spark (TTHC_ENGINE=spark).

The hand-built raw layer of tests/figures (which exercises every figure) is built twice, once
per engine, each in its own warehouse folder: `dbt build --target duckdb` and
`dbt build --target spark` (dbt-spark's session method: pyspark in local mode, in the dbt
process). Each build is then published the way the publish step does it for its engine
(Spark: import_spark_tables from spark-warehouse/ into the working DuckDB, then write_marts),
and every published mart must be equal: same columns, same types, same rows (sorted; floats
to 9 decimals; timestamps naive local time on both sides).

Takes about four minutes on the 2-core machine, most of it Spark planning ~160 tiny queries.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.figures.raw_fixture import write_raw_layer

REPO = Path(__file__).resolve().parents[2]
DBT = str(REPO / ".venv" / "bin" / "dbt")

pytest.importorskip("pyspark", reason="the spark dependency group is not installed (make test installs it)")
pytest.importorskip("dbt.adapters.spark", reason="dbt-spark is not installed (make test installs it)")


@dataclass
class Build:
    engine: str
    warehouse: Path
    returncode: int
    output: str
    seconds: float

    def run_results(self) -> list[dict]:
        results = json.loads((self.warehouse / "dbt_target" / "run_results.json").read_text())
        return results["results"]


def dbt_build(root: Path, engine: str) -> Build:
    warehouse = root / engine / "warehouse"
    write_raw_layer(warehouse)
    env = os.environ | {
        "TTHC_ENGINE": engine,
        "TTHC_WAREHOUSE_DIR": str(warehouse),
        "DBT_LOG_PATH": str(warehouse / "dbt_logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # small data: few shuffle partitions, two local cores (also the profile's defaults)
        "TTHC_SPARK_MASTER": "local[2]",
        "TTHC_SPARK_SHUFFLE_PARTITIONS": "2",
        "TTHC_SPARK_DRIVER_MEMORY": "2g",
    }
    started = time.perf_counter()
    result = subprocess.run(
        [DBT, "build", "--target", engine, "--project-dir", "dbt_project",
         "--profiles-dir", "dbt_project", "--target-path", str(warehouse / "dbt_target")],
        check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    return Build(engine, warehouse, result.returncode, result.stdout + result.stderr,
                 time.perf_counter() - started)  # fmt: skip


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("no Java: pyspark needs a JRE 17+ (`make system-deps` installs Debian's)")
    root = tmp_path_factory.mktemp("engines").resolve()
    return {engine: dbt_build(root, engine) for engine in ("duckdb", "spark")}


def published(build: Build, marts: list[str]) -> Path:
    """The publish step's write_marts for this engine, into a fresh folder."""
    from publish.publication import import_spark_tables, write_marts

    db = build.warehouse / "tthc.duckdb"
    if build.engine == "spark":
        assert not db.exists(), "the spark build must not have touched the working DuckDB"
        import_spark_tables(
            build.warehouse / "spark-warehouse", db,
            {"marts": marts, "intermediate": ["int_calendar__periods"]},
        )  # fmt: skip
    folder = build.warehouse.parent / "published"
    write_marts(db, folder, marts)
    return folder


def mart_names(build: Build) -> list[str]:
    manifest = json.loads((build.warehouse / "dbt_target" / "manifest.json").read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    )


def normalise(value):
    if isinstance(value, float):
        return round(value, 9)
    return value


def read_mart(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list, list]:
    columns = [(row[0], row[1]) for row in con.execute(f"describe select * from {relation}").fetchall()]
    rows = [tuple(normalise(v) for v in row) for row in con.execute(f"select * from {relation}").fetchall()]
    return columns, sorted(rows, key=repr)


def test_both_builds_pass(builds):
    for build in builds.values():
        assert build.returncode == 0, f"dbt build --target {build.engine} failed:\n{build.output[-6000:]}"
    print({engine: f"{build.seconds:.0f} s" for engine, build in builds.items()})


def test_same_nodes_and_statuses(builds):
    """Every model, data test and unit test runs on both engines with the same outcome (the
    two warn-severity reconciliation tests warn on both)."""
    statuses = {
        engine: sorted((r["unique_id"], r["status"]) for r in build.run_results())
        for engine, build in builds.items()
    }
    assert statuses["spark"] == statuses["duckdb"]


def test_every_published_mart_is_equal(builds):
    marts = mart_names(builds["duckdb"])
    assert len(marts) >= 9
    folders = {engine: published(build, marts) for engine, build in builds.items()}
    con = duckdb.connect()
    for engine, folder in folders.items():
        con.execute(f"attach '{folder / 'tthc_marts.duckdb'}' as {engine} (read_only)")
    for mart in marts:
        duck_columns, duck_rows = read_mart(con, f"duckdb.marts.{mart}")
        spark_columns, spark_rows = read_mart(con, f"spark.marts.{mart}")
        assert spark_columns == duck_columns, mart
        assert duck_rows, f"{mart} is empty: the fixture should exercise it"
        assert len(spark_rows) == len(duck_rows), mart
        assert spark_rows == duck_rows, (
            f"{mart}: rows differ; duckdb only: {sorted(set(duck_rows) - set(spark_rows), key=repr)[:3]}, "
            f"spark only: {sorted(set(spark_rows) - set(duck_rows), key=repr)[:3]}"
        )
        # the published Parquet files too (what BI reads besides the DuckDB file)
        duck_parquet = read_mart(con, f"read_parquet('{folders['duckdb'] / 'parquet' / f'{mart}.parquet'}')")
        spark_parquet = read_mart(con, f"read_parquet('{folders['spark'] / 'parquet' / f'{mart}.parquet'}')")
        assert spark_parquet == duck_parquet, mart


def test_timestamps_are_naive_local_time(builds):
    """dossiers.received_at is TIMESTAMP (no zone) in both, and 08:00 in the raw layer stays
    08:00 after a round trip through Spark (TIMESTAMP_NTZ, session zone Asia/Ho_Chi_Minh)."""
    folder = builds["spark"].warehouse / "spark-warehouse" / "marts.db" / "dossiers"
    con = duckdb.connect()
    types = {
        row[0]: row[1]
        for row in con.execute(f"describe select * from read_parquet('{folder}/*.parquet')").fetchall()
    }
    assert types["received_at"] == "TIMESTAMP"
    raw = duckdb.connect().execute(
        f"select min(NgayTiepNhan) from read_parquet('{builds['spark'].warehouse}/raw/dossier_versions/*.parquet')"
    ).fetchone()[0]
    built = con.execute(f"select min(received_at) from read_parquet('{folder}/*.parquet')").fetchone()[0]
    assert isinstance(built, datetime) and built.tzinfo is None
    assert built == raw
