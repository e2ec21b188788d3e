"""Issue 8: a nightly increment gives exactly what a full rebuild gives.

A small synthetic province (3,000 dossiers over three weeks) is built with its last day held
back; the day is added and built again (the increment: only that day is loaded, and the
marts, the reports cache and the dbt models see one more partition); then the same landing
zone is rebuilt from an empty warehouse. Every published mart except data_quality (which
records the run itself) must hold the same rows.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from synthetic import generate
from tests.conftest import build_env, run_tthc

START, END = date(2024, 3, 1), date(2024, 3, 21)


def published_rows(publish_dir: Path) -> dict[str, list[tuple]]:
    """mart -> its rows, sorted (NULLs placed deterministically)."""
    out = {}
    for parquet in sorted((publish_dir / "parquet").glob("*.parquet")):
        mart = parquet.stem
        if mart == "data_quality":
            continue
        rows = duckdb.sql(f"select * from read_parquet('{parquet}')").fetchall()
        out[mart] = sorted(rows, key=lambda row: tuple((v is None, str(v)) for v in row))
    return out


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    full = tmp_path_factory.mktemp("incremental") / "full"
    generate(full, start=START, end=END, dossiers=3000)
    return full


def test_increment_equals_full_rebuild(province, tmp_path):
    days = sorted(p.name for p in (province / "dossier_system").iterdir() if p.is_dir())
    held_back = days[-1]

    # 1. a build with the last day held back
    landing = tmp_path / "landing"
    shutil.copytree(province, landing)
    shutil.rmtree(landing / "dossier_system" / held_back)
    env = build_env(tmp_path / "incremental", landing)
    first = run_tthc(["build"], env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]

    # 2. the day arrives: the increment
    shutil.copytree(province / "dossier_system" / held_back, landing / "dossier_system" / held_back)
    second = run_tthc(["build"], env)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    incremental_publish = tmp_path / "incremental" / "published"
    loads = sorted((tmp_path / "incremental" / "warehouse" / "loads" / "dossier_versions").glob("*.json"))
    assert held_back in {p.stem for p in loads}
    manifest = json.loads((incremental_publish / "publication.json").read_text())
    assert manifest["data_through"] == held_back

    # 3. the same landing zone from an empty warehouse
    rebuild_env = build_env(tmp_path / "rebuild", landing)
    third = run_tthc(["build"], rebuild_env)
    assert third.returncode == 0, third.stdout[-3000:] + third.stderr[-3000:]

    incremental = published_rows(incremental_publish)
    rebuilt = published_rows(tmp_path / "rebuild" / "published")
    assert set(incremental) == set(rebuilt)
    assert "dossiers" in incremental and "bieu_06" in incremental
    for mart in sorted(rebuilt):
        assert incremental[mart] == rebuilt[mart], f"{mart} differs after the increment"
    # the reports are the same too (workbooks reused from the cache or written anew)
    inc_reports = {p.name for p in (incremental_publish / "reports").glob("bieu_06_*.xlsx")}
    full_reports = {p.name for p in (tmp_path / "rebuild" / "published" / "reports").glob("bieu_06_*.xlsx")}
    assert inc_reports == full_reports
