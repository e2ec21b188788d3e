"""Bad input never stops the good input from loading; every bad row or file is accounted
for, with its reason, in the published data_quality mart (operations.md, "Guarantees").

One landing zone holds the generator's faults (`tthc generate --faults`, listed in its
manifest) and hand-made ones (tests/faults/conftest.py: a 10 MB line, a truncated gzip, a
CSV without a column, a 766 workbook with its header moved, VNeID rules broken, a reference
file with a duplicate key, timestamps in the wrong format, crafted folder names and links).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import polars as pl

from ingest.common.files import read_bytes

# the manifest's reason names -> the reason codes of ingest/README.md
MANIFEST_REASON = {
    "invalid_json": ("invalid_json",),
    "pattern": ("bad_pattern:",),
    "unknown_reference": ("unknown_procedure", "unknown_agency"),
    "invalid_status": ("unknown_status",),
    "invalid_channel": ("unknown_channel",),
    "timestamp_unparseable": ("bad_timestamp:",),
    "received_before_submitted": ("received_before_submitted",),
    "missing_required_field": ("missing_field:",),
    "missing_required_timestamp": ("missing_timestamp_for_status:",),
    "capnhat_not_on_file_day": ("updated_not_on_file_day",),
    "event_after_file_day": ("event_after_file_day:",),
    "wrong_type": ("wrong_type:",),
    "vneid_rule": ("vneid_activated_exceeds_issued", "vneid_issued_exceeds_eligible"),
}
MANIFEST_REJECT = {
    "not_utf8": "not UTF-8",
    "empty_file": "empty file",
    "ambiguous": "ambiguous delivery",
    "name_folder_mismatch": "does not match its folder",
}


def data_quality(root: Path) -> list[dict]:
    con = duckdb.connect(str(root / "published" / "tthc_marts.duckdb"), read_only=True)
    try:
        frame = con.execute("select * from marts.data_quality").pl()
    finally:
        con.close()
    return frame.to_dicts()


def load_records(root: Path) -> list[dict]:
    loads = root / "warehouse" / "loads"
    records = []
    for path in sorted(loads.rglob("*.json")):
        data = json.loads(path.read_text())
        records.extend(data if isinstance(data, list) else [data])  # reference.json: a list
    return records


def count_lines(path: Path) -> int:
    data = read_bytes(path)
    return sum(1 for line in data.decode("utf-8").split("\n") if line.strip())


def test_over_5pct_batch_blocks_until_redelivered(fault_build):
    held, over = fault_build["held"], fault_build["over_5pct"]
    assert held.returncode == 1
    assert "publication held back" in held.stderr and "quarantine_within_5pct" in held.stderr
    assert over["file"] in held.stderr
    # after the corrected re-delivery: published, and the day loaded without quarantine
    assert fault_build["published"].returncode == 0
    record = json.loads((fault_build["root"] / "warehouse/loads/dossier_versions" / f"{over['file'].split('/')[1]}.json").read_text())
    assert record["rows_quarantined"] == 0 and record["rows_loaded"] == count_lines(fault_build["root"] / "landing" / over["file"])
    assert record["rows_loaded"] > 20


def test_every_planted_fault_is_in_data_quality_with_its_reason(fault_build):
    root, manifest = fault_build["root"], fault_build["manifest"]
    rows = data_quality(root)
    failing = [r for r in rows if not r["passed"]]
    by_object: dict[str, list[dict]] = {}
    for row in failing:
        for obj in row["object"].split(", "):
            by_object.setdefault(obj, []).append(row)

    checked = 0
    for fault in manifest["faults"]:
        action, _, reason = fault["expected"].partition(":")
        if fault["kind"] == "batch_over_5pct" or fault["file"] == fault_build["over_5pct"]["file"]:
            continue  # re-delivered corrected: checked by the test above
        found = by_object.get(fault["file"], [])
        if action == "quarantine":
            codes = MANIFEST_REASON[reason]
            hits = [r for r in found if r["check_name"].startswith("quarantine:")
                    and r["check_name"].removeprefix("quarantine:").startswith(codes)]
            assert hits and all(r["failing_rows"] >= 1 for r in hits), (fault, found)
            checked += 1
        elif action == "reject":
            hits = [r for r in found if r["check_name"] == "rejected_file"]
            assert hits and MANIFEST_REJECT[reason.split()[0]] in hits[0]["details"], (fault, found)
            assert fault["file"] in hits[0]["details"]
            checked += 1
    assert checked >= 20  # 15 row faults + VNeID rules + 5 rejected files (of 4 kinds)

    # NOTE: the generator's 766 `Tổng cộng` mismatch (warning:total_mismatch) is reported by
    # the door check of the load run only (Dagster UI), not in data_quality: see the report

    # and the hand-made ones
    for key, what in fault_build["expected"].items():
        file = key.split("#")[0]
        found = by_object.get(file, [])
        if what.startswith("quarantine:"):
            assert any(r["check_name"].startswith(what) and r["failing_rows"] >= 1 for r in found), (key, found)
        else:
            assert any(r["check_name"] == "rejected_file" and what in r["details"] and file in r["details"]
                       for r in found), (key, found)


def test_rows_in_equal_loaded_plus_quarantined_for_every_file(fault_build):
    root = fault_build["root"]
    records = load_records(root)
    rows = [r for r in data_quality(root) if r["check_name"].startswith("quarantine:")]
    loaded_files = 0
    for record in records:
        if record.get("rejected"):
            continue
        assert record["rows_read"] == record["rows_loaded"] + record["rows_quarantined"], record
        assert sum(record["quarantine_reasons"].values()) == record["rows_quarantined"]
        published = {r["check_name"].removeprefix("quarantine:"): r["failing_rows"]
                     for r in rows if r["object"] == record["file"]}
        assert published == record["quarantine_reasons"], record["file"]
        key = record.get("partition_key")
        if record["table"] == "dossier_versions":
            # rows in = the lines of the landing file
            assert record["rows_read"] == count_lines(root / "landing" / record["file"]), record["file"]
        if key:
            raw = root / "warehouse" / "raw" / record["table"] / f"{key}.parquet"
            assert pl.read_parquet(raw).height == record["rows_loaded"], record["file"]
            quarantine = root / "warehouse" / "quarantine" / record["table"] / f"{key}.parquet"
            held = pl.read_parquet(quarantine).height if quarantine.exists() else 0
            assert held == record["rows_quarantined"], record["file"]
        loaded_files += 1
    assert loaded_files >= 30

    # the 10 MB line is one quarantined row of its file, the rest of that file loaded
    big = next(r for r in records if r.get("file") == "dossier_system/2024-04-02/hoso_20240402.jsonl")
    assert big["quarantine_reasons"] == {
        "invalid_json": 1, "bad_timestamp:NgayNopHoSo": 1, "bad_pattern:MaHoSo": 1
    } and big["rows_loaded"] > 200

    # the good input loaded: every accepted dossier day is in the raw layer and the marts
    con = duckdb.connect(str(root / "published" / "tthc_marts.duckdb"), read_only=True)
    try:
        dossiers = con.execute("select count(*) from marts.dossiers").fetchone()[0]
        vneid = con.execute("select count(*) from marts.vneid_coverage").fetchone()[0]
    finally:
        con.close()
    assert dossiers > 2000 and vneid > 0


def test_build_ends_with_a_clear_summary(fault_build):
    root = fault_build["root"]
    out = " ".join(fault_build["published"].stdout.split())
    manifest = json.loads((root / "published" / "publication.json").read_text())
    rejected, quarantined = len(manifest["rejected_files"]), sum(manifest["quarantined_rows"].values())
    assert f"{rejected} tệp bị từ chối, {quarantined} dòng cách ly" in out, out[-1500:]
    # 7 rejected in landing + loads (not UTF-8, empty, misnamed, ambiguous x2, truncated gzip,
    # csv without a column, 766 header, symlinks and a bad folder name)
    assert rejected >= 10
    assert quarantined == sum(
        r["rows_quarantined"] for r in load_records(root) if not r.get("rejected")
    )
    assert re.search(r"Published to .* in \d+ s\.", out)
    held = " ".join(fault_build["held"].stderr.split())
    assert "the last publication is unchanged" in held and "Failed:" in held
