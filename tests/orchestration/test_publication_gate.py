"""Write, audit, publish: a blocking check holds the publication back and changes nothing
that BI reads, even when the publish asset is materialized alone afterwards; readers keep
working during a build; an earlier publication can be restored.

The tests of this module run in order on one warehouse of their own.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, build_env, copy_samples, run_tthc

BAD_DAY = "2024-04-23"
# the tests build on each other's warehouse, in this order: one pytest-xdist worker runs them
pytestmark = pytest.mark.xdist_group("gate_warehouse")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("gate")
    copy_samples(root / "landing")
    env = build_env(root)
    first = run_tthc(["build"], env)
    assert first.returncode == 0, first.stderr[-3000:]
    return root, env


def tree_digest(publish_dir: Path) -> dict[str, str]:
    """The link's target and a hash of every file that BI can see through it."""
    digest = {"<link>": os.readlink(publish_dir)}
    for path in sorted(publish_dir.resolve().rglob("*")):
        if path.is_file():
            digest[str(path.relative_to(publish_dir.resolve()))] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return digest


def sample_rows(root: Path) -> list[dict]:
    source = root / "landing" / "dossier_system" / "2024-04-22" / "hoso_20240422.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        rows = []
        for line in handle:
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows


def deliver(root: Path, rows: list[dict]) -> Path:
    folder = root / "landing" / "dossier_system" / BAD_DAY
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"hoso_{BAD_DAY.replace('-', '')}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_blocking_check_holds_back_the_publication_and_changes_nothing(warehouse):
    root, env = warehouse
    before = tree_digest(root / "published")
    # a day whose rows all belong to another day: every row is quarantined (> 5%)
    deliver(root, sample_rows(root)[:40])

    result = run_tthc(["build"], env)

    assert result.returncode == 1
    assert "publication held back" in result.stderr
    assert "quarantine_within_5pct" in result.stderr
    assert f"dossier_system/{BAD_DAY}/hoso_20240423.jsonl" in result.stderr
    assert tree_digest(root / "published") == before

    # the next build, with nothing re-delivered, is still held back (the batch is still bad)
    again = run_tthc(["build"], env)
    assert again.returncode == 1 and "quarantine" in again.stderr
    assert tree_digest(root / "published") == before


READER = r"""
import duckdb, sys, time, json, pathlib
publish = pathlib.Path(sys.argv[1]); deadline = time.time() + float(sys.argv[2])
seen = set(); reads = 0
while time.time() < deadline:
    con = duckdb.connect(str(publish / "tthc_marts.duckdb"), read_only=True)
    dossiers = con.execute("select count(*) from marts.dossiers").fetchone()[0]
    con.close()
    parquet = duckdb.sql(f"select count(*) from '{publish}/parquet/dossiers.parquet'").fetchone()[0]
    seen.add((dossiers, parquet)); reads += 1
    time.sleep(0.05)
print(json.dumps({"reads": reads, "seen": sorted(seen)}))
"""


def test_readers_keep_working_and_see_whole_publications_during_a_build(warehouse):
    root, env = warehouse
    # re-deliver the bad day, corrected: its rows now belong to it
    rows = sample_rows(root)[:40]
    for row in rows:
        row["NgayCapNhat"] = BAD_DAY.replace("-", "") + "235959"
    deliver(root, rows)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(root / "published"), "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(1)
    result = run_tthc(["build"], env)
    out, err = reader.communicate(timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert reader.returncode == 0, err[-2000:]
    report = json.loads(out)
    assert report["reads"] > 10
    # every read saw one whole publication: DuckDB and Parquet of the same version agree
    assert all(duckdb_rows == parquet_rows for duckdb_rows, parquet_rows in report["seen"])


def published_data_quality(root: Path) -> list[dict]:
    con = duckdb.connect(str(root / "published" / "tthc_marts.duckdb"), read_only=True)
    try:
        return con.execute("select * from marts.data_quality").pl().to_dicts()
    finally:
        con.close()


def test_data_quality_holds_the_latest_result_of_every_check_and_each_source_s_freshness(warehouse):
    root, _ = warehouse
    rows = published_data_quality(root)
    checks = {(r["object"], r["check_name"]): r for r in rows}
    # door checks evaluated by the load runs of earlier builds, not by the publishing run
    assert checks[("raw/reference", "rows_accounted")]["passed"] is True
    assert checks[("raw/vneid_counts", "gx_suite")]["severity"] == "error"
    # the corrected day was reloaded by this build: its door check passed this time
    assert checks[("raw/dossier_versions", "quarantine_within_5pct")]["passed"] is True
    assert checks[("staging/stg_reference__calendar_exceptions", "assert_every_dossier_year_has_holidays")]["passed"]
    # freshness is judged by the publish step itself: no duplicate of the asset checks
    assert not any(r["check_name"] == "freshness" for r in rows)
    stale = {r["source"]: r for r in rows if r["check_name"] == "stale_source"}
    assert set(stale) == {"dossier_system", "dvc_portal", "vneid"}
    # TTHC_AS_OF unset: judged today, long after the samples of 2024
    assert stale["dossier_system"]["object"] == f"dossier_system/{BAD_DAY}"
    assert stale["dossier_system"]["details"].startswith(f"latest partition {BAD_DAY} is ")
    assert [r["passed"] for r in stale.values()] == [False, False, False]
    assert {r["severity"] for r in stale.values()} == {"warn"}


def test_publications_are_listed_and_an_earlier_one_can_be_restored(warehouse):
    root, env = warehouse
    listing = run_tthc(["publications"], env)
    versions = [line[2:].split()[0] for line in listing.stdout.splitlines() if line.strip()]
    assert len(versions) >= 2 and listing.stdout.startswith("*")
    newest, earlier = versions[0], versions[1]
    restored = run_tthc(["rollback", earlier], env)
    assert restored.returncode == 0, restored.stderr
    manifest = json.loads((root / "published" / "publication.json").read_text())
    assert manifest["version"] == earlier
    assert run_tthc(["rollback", "no-such-version"], env).returncode == 1
    run_tthc(["rollback", newest], env)


PUBLISH_ALONE = r"""
import json
import dagster as dg
from orchestration.checks.freshness import FRESHNESS_CHECK_KEYS
from orchestration.definitions import defs
from orchestration.failures import describe_failures
from orchestration.instance import prepare_dagster_home
from orchestration.settings import load_settings

instance = prepare_dagster_home(load_settings())
result = defs.resolve_job_def("build_marts").execute_in_process(
    instance=instance, asset_selection=[dg.AssetKey(["publish", "publication"])], raise_on_error=False,
)
latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(FRESHNESS_CHECK_KEYS))
print(json.dumps({
    "success": result.success,
    "steps": sorted({e.step_key for e in result.all_events if e.step_key}),
    "failures": describe_failures(result),
    "freshness_runs": {k.to_user_string(): r.run_id for k, r in latest.items()},
}))
"""


def test_the_publish_asset_alone_after_a_held_back_build_publishes_nothing(warehouse):
    root, env = warehouse
    before = tree_digest(root / "published")
    calendar = root / "landing" / "reference" / "ngay_nghi.csv"
    lines = calendar.read_text("utf-8").splitlines(keepends=True)
    # the 2024 holidays are gone: Tết would count as working days
    calendar.write_text("".join(line for line in lines if ",nghi," not in line), "utf-8")

    held = run_tthc(["build"], env)

    assert held.returncode == 1
    assert "assert_every_dossier_year_has_holidays" in held.stderr
    assert tree_digest(root / "published") == before
    (build_marts_run,) = [
        line.split()[-1] for line in held.stdout.splitlines() if line.split()[:2] == ["FAIL", "build_marts"]
    ]  # fmt: skip

    # the UI's "Materialize" on publish/publication alone: a new run, without dbt
    alone = subprocess.run(
        [sys.executable, "-c", PUBLISH_ALONE], env=env, cwd=PROJECT_ROOT,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert alone.returncode == 0, alone.stderr[-3000:]
    report = json.loads(alone.stdout.strip().splitlines()[-1])
    assert report["success"] is False
    assert report["steps"] == ["publish__publication"]
    (failure,) = report["failures"]
    assert failure.startswith("step publish__publication: Publication held back: blocking checks failed")
    assert (
        "staging/stg_reference__calendar_exceptions:assert_every_dossier_year_has_holidays" in failure
    )
    assert tree_digest(root / "published") == before
    # the freshness checks ran in the held-back build too (Dagster UI: warnings on raw/*)
    assert report["freshness_runs"] == {
        f"raw/{table}:freshness": build_marts_run
        for table in ("dossier_versions", "portal_766", "portal_synced", "vneid_counts")
    }
