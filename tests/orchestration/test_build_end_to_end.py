"""`tthc build` end to end on the spec's sample landing zone: real files, real Dagster
instance, real dbt and DuckDB, published where BI reads."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.conftest import build_env, run_tthc

BIEU_06_IDENTITIES = """
select count(*) from marts.bieu_06
where total != received_online + received_in_person_postal + carried_over
   or total != resolved + in_progress
   or resolved != resolved_early + resolved_on_time + resolved_overdue
   or in_progress != in_progress_within_deadline + in_progress_overdue
"""


@pytest.fixture(scope="module")
def built(sample_build):
    return sample_build


def published(root: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(root / "published" / "tthc_marts.duckdb"), read_only=True)


def test_publishes_marts_where_bi_reads_them(built):
    root, _, _ = built
    publish_dir = root / "published"
    assert publish_dir.is_symlink()
    manifest = json.loads((publish_dir / "publication.json").read_text())
    for mart in ("dossiers", "bieu_06"):
        assert (publish_dir / "parquet" / f"{mart}.parquet").exists()
        assert manifest["row_counts"][mart] > 0
    con = published(root)
    # every dossier of the sample extracts that passed the door is in the dossiers mart
    raw = duckdb.sql(
        f"select count(distinct MaHoSo) from read_parquet('{root}/warehouse/raw/dossier_versions/*.parquet')"
    ).fetchone()[0]
    assert con.execute("select count(*) from marts.dossiers").fetchone()[0] == raw
    assert manifest["data_through"] == "2024-04-22"
    assert manifest["checks"]["errors"] == 0


def test_bieu_06_identities_hold_on_every_row(built):
    root, _, _ = built
    con = published(root)
    assert con.execute("select count(*) from marts.bieu_06").fetchone()[0] > 0
    assert con.execute(BIEU_06_IDENTITIES).fetchone()[0] == 0


def test_province_row_sums_the_agency_rows(built):
    root, _, _ = built
    con = published(root)
    mismatches = con.execute(
        """
        with agencies as (
            select period_type, period, sum(total) as total, sum(resolved) as resolved
            from marts.bieu_06 where level = 'agency' group by period_type, period
        )
        select count(*) from marts.bieu_06 p join agencies a using (period_type, period)
        where p.level = 'province' and (p.total != a.total or p.resolved != a.resolved)
        """
    ).fetchone()[0]
    assert mismatches == 0


def test_runs_are_recorded_in_the_dagster_instance(built):
    _root, env, _ = built
    import os

    os.environ["DAGSTER_HOME"] = env["DAGSTER_HOME"]
    with dg.DagsterInstance.get() as instance:
        jobs = {run.job_name for run in instance.get_runs()}
        assert {"load_reference", "load_dossier_days", "build_marts"} <= jobs
        days = instance.get_dynamic_partitions("dossier_days")
        assert sorted(days) == ["2024-04-01", "2024-04-02", "2024-04-03", "2024-04-22"]


def test_rebuild_without_changes_loads_nothing_and_publishes_identical_marts(built):
    root, env, _ = built
    before = parquet_hashes(root / "published")
    second = run_tthc(["build"], env)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "load_dossier_days" not in second.stdout  # nothing new to load
    assert parquet_hashes(root / "published") == before


def test_build_without_pii_key_stops_with_a_clear_message(tmp_path):
    env = build_env(tmp_path, landing=tmp_path / "landing", pii_key="")
    result = run_tthc(["build"], env, timeout=120)
    assert result.returncode == 2
    assert "TTHC_PII_KEY is not set" in result.stderr
    assert not (tmp_path / "warehouse").exists()


def parquet_hashes(publish_dir: Path) -> dict[str, str]:
    """Hash of every published Parquet file but data_quality's, which records the run (its
    run_id and checked_at differ by design)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((publish_dir / "parquet").glob("*.parquet"))
        if path.stem != "data_quality"
    }
