"""Publication: versioned folders behind an atomically switched link; rollback; pruning."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import duckdb
import pytest

from publish.publication import (
    PublishDirConflict,
    PublishInProgress,
    current_version,
    list_publications,
    lock_path,
    publish,
    publish_lock,
    rollback,
)

VN = timezone(timedelta(hours=7))


def make_warehouse(path, rows):
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.bieu_06 (period varchar, total integer)")
    con.executemany("insert into marts.bieu_06 values (?, ?)", rows)
    con.close()


def do_publish(warehouse, publish_dir, minute, keep=30):
    return publish(
        warehouse_db=warehouse,
        publish_dir=publish_dir,
        marts=["bieu_06"],
        manifest={"data_through": "2024-06-30", "checks": {"passed": 3, "warnings": 0, "errors": 0}},
        run_id=f"run{minute:05d}abcdef",
        published_at=datetime(2024, 7, 1, 2, minute, tzinfo=VN),
        keep=keep,
    )


def read_totals(publish_dir):
    con = duckdb.connect(str(publish_dir / "tthc_marts.duckdb"), read_only=True)
    try:
        return con.execute("select period, total from marts.bieu_06 order by period").fetchall()
    finally:
        con.close()


def test_publish_writes_duckdb_parquet_and_manifest(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    make_warehouse(warehouse, [("2024-02", 7), ("2024-01", 5)])
    publish_dir = tmp_path / "published"

    publication = do_publish(warehouse, publish_dir, 0)

    assert publish_dir.is_symlink()
    assert read_totals(publish_dir) == [("2024-01", 5), ("2024-02", 7)]
    parquet = duckdb.sql(
        f"select * from '{publish_dir}/parquet/bieu_06.parquet'"
    ).fetchall()
    assert parquet == [("2024-01", 5), ("2024-02", 7)]  # written in a fixed order
    manifest = json.loads((publish_dir / "publication.json").read_text())
    assert manifest["row_counts"] == {"bieu_06": 2}
    assert manifest["run_id"] == "run00000abcdef"
    assert manifest["published_at"] == "2024-07-01T02:00:00+07:00"
    assert manifest["data_through"] == "2024-06-30"
    assert current_version(publish_dir) == publication.version


def test_new_publication_switches_and_old_one_stays_readable(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    publish_dir = tmp_path / "published"
    make_warehouse(warehouse, [("2024-01", 5)])
    first = do_publish(warehouse, publish_dir, 0)
    old_reader = duckdb.connect(str(publish_dir / "tthc_marts.duckdb"), read_only=True)

    make_warehouse(warehouse, [("2024-01", 6)])
    second = do_publish(warehouse, publish_dir, 1)

    assert read_totals(publish_dir) == [("2024-01", 6)]
    # a reader that opened the old publication keeps reading it, whole
    assert old_reader.execute("select total from marts.bieu_06").fetchall() == [(5,)]
    old_reader.close()
    assert [p.version for p in list_publications(publish_dir)] == [second.version, first.version]

    rollback(publish_dir, first.version)
    assert read_totals(publish_dir) == [("2024-01", 5)]
    assert current_version(publish_dir) == first.version


def test_prune_keeps_the_newest(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    publish_dir = tmp_path / "published"
    make_warehouse(warehouse, [("2024-01", 5)])
    for minute in range(4):
        do_publish(warehouse, publish_dir, minute, keep=2)
    versions = [p.version for p in list_publications(publish_dir)]
    assert len(versions) == 2 and versions[0].startswith("20240701T020300")


def test_unfinished_publication_is_never_served_and_is_cleaned(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    publish_dir = tmp_path / "published"
    make_warehouse(warehouse, [("2024-01", 5)])
    first = do_publish(warehouse, publish_dir, 0)
    # a publish killed half-way leaves a folder marked unfinished
    killed = publish_dir.parent / "published.versions" / "20240701T020500_killed00"
    killed.mkdir()
    (killed / ".unfinished").touch()
    assert [p.version for p in list_publications(publish_dir)] == [first.version]
    do_publish(warehouse, publish_dir, 6)
    assert not killed.exists()


def test_rollback_to_unknown_version_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="no finished publication"):
        rollback(tmp_path / "published", "nope")


def test_a_real_folder_with_files_is_not_overwritten(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    make_warehouse(warehouse, [("2024-01", 5)])
    publish_dir = tmp_path / "published"
    publish_dir.mkdir()
    (publish_dir / "keep.txt").write_text("mine")
    with pytest.raises(PublishDirConflict, match="real folder"):
        do_publish(warehouse, publish_dir, 0)
    assert (publish_dir / "keep.txt").read_text() == "mine"


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from publish.publication import publish_lock
with publish_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_publish_step_fails_at_once_while_one_holds_the_lock(tmp_path):
    import subprocess
    import sys
    import time

    warehouse = tmp_path / "wh.duckdb"
    make_warehouse(warehouse, [("2024-01", 5)])
    publish_dir = tmp_path / "published"
    do_publish(warehouse, publish_dir, 0)
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(publish_dir)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with (
            pytest.raises(PublishInProgress, match="another publish step is running") as failed,
            publish_lock(publish_dir),
        ):
            do_publish(warehouse, publish_dir, 1)
        assert time.monotonic() - started < 5  # at once, not after the holder's minute
        assert str(lock_path(publish_dir)) in str(failed.value)
        assert lock_path(publish_dir) == tmp_path / ".published.lock"
        assert [p.version for p in list_publications(publish_dir)] == ["20240701T020000_run00000"]
    finally:
        holder.kill()
        holder.wait(timeout=30)
    # the kernel frees the lock of a dead holder: the next publish step goes through
    with publish_lock(publish_dir):
        do_publish(warehouse, publish_dir, 2)
    assert current_version(publish_dir) == "20240701T020200_run00002"
