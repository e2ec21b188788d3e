"""Shared helpers of the fault tests (issue 9): small generated landing zones, builds in
subprocesses, and content digests of the published marts."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TTHC, build_env, run_tthc

SMALL = ["--start", "2024-04-01", "--end", "2024-04-14", "--dossiers", "2000", "--seed", "11"]


def generate(out: Path, *args: str) -> dict:
    result = subprocess.run(
        [TTHC, "generate", "--out", str(out), *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def mart_digests(publish_dir: Path, skip=("data_quality",)) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of the rows in a fixed order) of every published mart."""
    con = duckdb.connect(str(Path(publish_dir) / "tthc_marts.duckdb"), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        ).fetchall()]
        digests = {}
        for table in tables:
            if table in skip:
                continue
            rows = con.execute(f"select * from marts.{table} order by all").fetchall()
            digests[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return digests
    finally:
        con.close()


def publication_snapshot(publish_dir: Path) -> dict:
    """What a BI reader gets from the current publication: the manifest, the DuckDB row
    counts and content digests, and the Parquet row counts; raises if anything is unreadable."""
    folder = Path(os.path.realpath(publish_dir))
    manifest = json.loads((folder / "publication.json").read_text(encoding="utf-8"))
    digests = mart_digests(folder, skip=())
    parquet = {
        p.stem: duckdb.sql(f"select count(*) from read_parquet('{p}')").fetchone()[0]
        for p in sorted((folder / "parquet").glob("*.parquet"))
    }
    return {"version": manifest["version"], "manifest": manifest, "marts": digests, "parquet": parquet}


def dagster_runs(env: dict) -> list:
    """Every run of the build's Dagster instance, with its event log (for scans)."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(env["DAGSTER_HOME"])
    try:
        return [(run, instance.all_logs(run.run_id)) for run in instance.get_runs()]
    finally:
        instance.dispose()


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory):
    """A small fault-free landing zone (2 weeks, 2,000 dossiers) built once, uninterrupted:
    the reference marts for the kill and idempotence tests. Returns (root, env, digests)."""
    root = tmp_path_factory.mktemp("clean_build")
    generate(root / "landing", *SMALL)
    env = build_env(root)
    result = run_tthc(["build"], env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return root, env, mart_digests(root / "published")


INJECTION = "Ban Tiếp dân'); drop table marts.dossiers; --"
FAULTS = ["--start", "2024-04-01", "--end", "2024-04-28", "--dossiers", "3000", "--seed", "7", "--faults"]


def _rewrite_lines(path: Path, edit) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


def plant_hand_made_faults(root: Path) -> dict:
    """Bad inputs beyond the generator's, each < 5% of its file or rejecting a whole file.
    Returns what each is expected to produce in data_quality: {file: check or message}."""
    import csv
    import gzip
    import io

    import openpyxl

    landing = root / "landing"
    ds = landing / "dossier_system"
    expected: dict[str, str] = {}

    # a line of 10 MB (unterminated JSON) in a good file
    rel = "dossier_system/2024-04-02/hoso_20240402.jsonl"
    with open(landing / rel, "a", encoding="utf-8") as handle:
        handle.write('{"MaHoSo": "' + "A" * (10 * 1024 * 1024) + "\n")
    expected[rel] = "quarantine:invalid_json"

    # a timestamp in the wrong format, and an injection attempt in a code (pattern)
    def wrong_format(lines):
        row = json.loads(lines[0])
        row["NgayNopHoSo"] = "06/04/2024 08:00:00"
        bad = dict(json.loads(lines[1]), MaHoSo="x'; drop table marts.dossiers; --")
        return [*lines, json.dumps(row, ensure_ascii=False), json.dumps(bad, ensure_ascii=False)]

    _rewrite_lines(landing / rel, wrong_format)
    expected[rel] = "quarantine:bad_timestamp:NgayNopHoSo"
    expected[rel + "#2"] = "quarantine:bad_pattern:MaHoSo"

    # a truncated gzip for a new day
    folder = ds / "2024-04-29"
    folder.mkdir()
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
        g.write((landing / "dossier_system/2024-04-14/hoso_20240414.jsonl").read_bytes())
    (folder / "hoso_20240429.jsonl.gz").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    expected["dossier_system/2024-04-29/hoso_20240429.jsonl.gz"] = "truncated or corrupt gzip"

    # a synced list without a column, and a 766 workbook whose STT is not in the first column
    month = landing / "dvc_portal" / "2024-05"
    month.mkdir()
    rows = list(csv.reader(io.StringIO((landing / "dvc_portal/2024-04/dvcqg_dongbo_2024-04.csv").read_text("utf-8"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(r[:-1] for r in rows)
    (month / "dvcqg_dongbo_2024-05.csv").write_text(out.getvalue(), encoding="utf-8")
    expected["dvc_portal/2024-05/dvcqg_dongbo_2024-05.csv"] = "missing required column"
    wb = openpyxl.load_workbook(landing / "dvc_portal/2024-04/dvcqg_766_2024-04.xlsx")
    wb["TongHop"].insert_cols(1)
    wb.save(month / "dvcqg_766_2024-05.xlsx")
    expected["dvc_portal/2024-05/dvcqg_766_2024-05.xlsx"] = "header row not found"

    # VNeID: a negative count, and a snapshot date in the wrong format
    rel = "vneid/2024-04-08/vneid_20240408.csv"

    def negative(lines):
        cells = lines[5].split(",")
        cells[4] = "-5"
        lines[5] = ",".join(cells)
        cells = lines[7].split(",")
        cells[2] = "2024-04-08"
        lines[7] = ",".join(cells)
        return lines

    _rewrite_lines(landing / rel, negative)
    expected[rel] = "quarantine:negative_count:"
    expected[rel + "#2"] = "quarantine:bad_date:ngay_so_lieu"

    # a reference file with a duplicate key (2 of 91 rows held back)
    rel = "reference/cong_bo.csv"
    _rewrite_lines(landing / rel, lambda lines: [*lines, lines[1]])
    expected[rel] = "quarantine:duplicate_key"

    # an agency name that looks like SQL: loaded as data
    def rename(lines):
        for i, line in enumerate(lines):
            if line.startswith("000.00.18.H04,"):
                cells = line.split(",")
                lines[i] = ",".join([cells[0], INJECTION, *cells[2:]])
        return lines

    _rewrite_lines(landing / "reference/don_vi.csv", rename)

    # names that must never become paths: a folder that is not a date, a hidden folder, and
    # links pointing outside the landing zone (a folder and a file)
    outside = root / "outside"
    (outside / "day").mkdir(parents=True)
    (outside / "day" / "hoso_20240430.jsonl").write_bytes((landing / "dossier_system/2024-04-14/hoso_20240414.jsonl").read_bytes())
    (outside / "vneid_20240429.csv").write_bytes((landing / "vneid/2024-04-15/vneid_20240415.csv").read_bytes())
    (ds / "2024-04-30").symlink_to(outside / "day")
    (ds / "2024-13-45").mkdir()
    (ds / "2024-13-45" / "hoso_20241345.jsonl").write_text("{}\n")
    (ds / "..hidden").mkdir()
    (landing / "vneid" / "2024-04-29").mkdir()
    (landing / "vneid" / "2024-04-29" / "vneid_20240429.csv").symlink_to(outside / "vneid_20240429.csv")
    expected["dossier_system/2024-04-30"] = "symbolic link"
    expected["dossier_system/'2024-13-45'"] = "folder name is not a YYYY-MM-DD date"
    expected["vneid/2024-04-29/vneid_20240429.csv"] = "symbolic link"
    return expected


@pytest.fixture(scope="session")
def fault_build(tmp_path_factory):
    """ONE landing zone with the generator's faults, the hand-made ones and the untidy
    deliveries of tests/faults/delivery_faults.py, built three times: first held back by the
    day that is 8% wrong on purpose; then still held back after a rejected re-delivery of
    that day (a `.gz` twin: ambiguous); then, with its corrected re-delivery in place,
    published. Returns a dict of everything the tests look at."""
    from tests.faults.delivery_faults import MAX_UNPACKED, plant_delivery_faults

    root = tmp_path_factory.mktemp("fault_build")
    generate(root / "landing", *FAULTS)
    manifest = json.loads((root / "landing_faults.json").read_text(encoding="utf-8"))
    expected = plant_hand_made_faults(root)
    planted = plant_delivery_faults(root, manifest, expected)
    outside_before = {p: p.read_bytes() for p in (root / "outside").rglob("*") if p.is_file()}
    env = {
        **build_env(root, pii_key="fault-pii-key-7f3a9c-e41b08d2-95c6a1f3"),
        "TTHC_MAX_UNPACKED_BYTES": str(MAX_UNPACKED),
        "TTHC_AS_OF": "2024-05-31",
    }
    held = run_tthc(["build"], env)
    over = next(f for f in manifest["faults"] if f["kind"] == "batch_over_5pct")
    twin = root / "landing" / f"{over['file']}.gz"
    with gzip.open(twin, "wb") as packed:
        packed.write((root / over["redelivery"]).read_bytes())
    held_again = run_tthc(["build"], env)
    record_path = root / "warehouse/loads/dossier_versions" / f"{over['file'].split('/')[1]}.json"
    record_held_again = json.loads(record_path.read_text(encoding="utf-8"))
    twin.unlink()
    (root / "landing" / over["file"]).write_bytes((root / over["redelivery"]).read_bytes())
    published = run_tthc(["build"], env)
    assert published.returncode == 0, published.stdout[-3000:] + published.stderr[-3000:]
    # a FIFO blocks whoever opens it: the tests that read the landing zone must not meet it
    (root / "landing/dossier_system/2024-05-01/hoso_20240501.jsonl").unlink()
    return {
        "root": root, "env": env, "manifest": manifest, "expected": expected, "held": held,
        "held_again": held_again, "record_held_again": record_held_again, "published": published, "over_5pct": over,
        "outside_before": outside_before, "planted": planted,
    }
