"""Boundaries: servers bind to 127.0.0.1; names from the landing zone never become paths
outside the warehouse; values from files are data, never SQL."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pytest

from ingest import raw_layer
from ingest.landing import find_partition_file, is_valid_partition_key, scan_landing
from tests.conftest import PROJECT_ROOT
from tests.faults.conftest import INJECTION

CRAFTED = ["..", ".", "2024-01-01/../../x", "../2024-01-01", "2024-01-01\0", "2024-01-01/",
           "/etc/passwd", "2024-13-45", "2024-1-1", "2024-01-01 ", "2024-01-01\n", "２０２４-01-01", "2024-01"]


def test_ui_and_servers_bind_to_localhost_only():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    ui = re.search(r"^ui:.*?\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert "dagster dev" in ui and "-h 127.0.0.1" in ui
    # no server anywhere in the code binds to all interfaces
    for path in PROJECT_ROOT.glob("**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "0.0.0.0" not in text, path
        assert "http.server" not in text and "socketserver" not in text, path


@pytest.mark.parametrize("key", CRAFTED)
def test_crafted_partition_keys_never_make_a_path(key, tmp_path):
    assert not is_valid_partition_key(key, "day")
    with pytest.raises(ValueError):
        find_partition_file(tmp_path, "dossier_versions", key)
    for make in (raw_layer.partition_path, raw_layer.quarantine_path, raw_layer.load_record_path):
        if key in ("2024-13-45", "2024-01"):  # well-formed, if not a real day: stays inside
            path = make(tmp_path, "dossier_versions", key)
            assert path.parent.resolve().is_relative_to(tmp_path) and path.name.startswith(key + ".")
            continue
        with pytest.raises(ValueError):
            make(tmp_path, "dossier_versions", key)


def test_landing_scan_follows_no_link_and_uses_no_bad_name(tmp_path):
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    (outside / "2024-04-02").mkdir(parents=True)
    (outside / "2024-04-02" / "hoso_20240402.jsonl").write_text("{}\n")
    ds = landing / "dossier_system"
    ds.mkdir(parents=True)
    (ds / "2024-04-02").symlink_to(outside / "2024-04-02")
    (ds / "2024-04-03").mkdir()
    (ds / "2024-04-03" / "hoso_20240403.jsonl").symlink_to(outside / "2024-04-02" / "hoso_20240402.jsonl")
    (ds / "..").exists()  # '..' cannot be a folder name; a name starting with it can
    (ds / "..2024-04-04").mkdir()
    (ds / "2024-04-05 x").mkdir()
    (landing / "reference").mkdir()
    (landing / "reference" / "tthc.csv").symlink_to(outside / "2024-04-02" / "hoso_20240402.jsonl")

    inventory = scan_landing(landing)
    assert inventory.files("dossier_versions") == {} and inventory.reference == {}
    codes = sorted((r.code, r.path) for r in inventory.rejections)
    assert codes == [
        ("bad_folder_name", "dossier_system/'..2024-04-04'"),
        ("bad_folder_name", "dossier_system/'2024-04-05 x'"),
        ("symlink", "dossier_system/2024-04-02"),
        ("symlink", "dossier_system/2024-04-03/hoso_20240403.jsonl"),
        ("symlink", "reference/tthc.csv"),
    ]


def test_built_warehouse_stays_inside_its_folders(fault_build):
    root = fault_build["root"]
    # the links in the landing zone pointed outside: nothing there was read into, or changed
    outside = {p: p.read_bytes() for p in (root / "outside").rglob("*") if p.is_file()}
    assert outside == fault_build["outside_before"]
    assert not (root / "warehouse/raw/dossier_versions/2024-04-30.parquet").exists()
    assert not (root / "warehouse/raw/vneid_counts/2024-04-29.parquet").exists()
    # every file the build wrote is inside the warehouse, the publication or DAGSTER_HOME
    allowed = [root / d for d in ("warehouse", "published.versions", "dagster_home", "landing",
                                  "landing_redelivery", "outside")]
    for path in root.rglob("*"):
        real = Path(os.path.realpath(path))
        assert any(real.is_relative_to(a) for a in allowed) or path.name in (
            "published", ".published.lock", "landing_faults.json"), path  # the publish lock
    for path in (root / "warehouse").rglob("*"):
        assert not path.is_symlink(), path
        assert ".." not in path.relative_to(root / "warehouse").parts


def test_sql_looking_values_load_as_data(fault_build):
    root = fault_build["root"]
    con = duckdb.connect(str(root / "published" / "tthc_marts.duckdb"), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "select distinct agency_name from marts.publication_timeliness where agency_code = ?",
            ["000.00.18.H04"]).fetchall()]
        dossiers = con.execute("select count(*) from marts.dossiers").fetchone()[0]
        injected = con.execute(
            "select count(*) from marts.dossiers where dossier_code like '%drop table%'").fetchone()[0]
    finally:
        con.close()
    assert names == [INJECTION]  # stored and published verbatim
    assert dossiers > 2000 and injected == 0  # the table survived; the bad code was quarantined
