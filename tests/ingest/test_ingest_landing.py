"""The landing scan: which file is which partition, and what is refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from ingest.landing import ScanRules, find_partition_file, scan_landing


def touch(path: Path, text: str = "x\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_files_are_found_with_fingerprints(tmp_path):
    touch(tmp_path / "dossier_system/2024-04-01/hoso_20240401.jsonl")
    touch(tmp_path / "dossier_system/2024-04-02/hoso_20240402.jsonl.gz")
    touch(tmp_path / "dvc_portal/2024-04/dvcqg_766_2024-04.xlsx")
    touch(tmp_path / "dvc_portal/2024-04/dvcqg_dongbo_2024-04.csv")
    touch(tmp_path / "vneid/2024-04-01/vneid_20240401.csv")
    touch(tmp_path / "reference/tthc.csv")
    inv = scan_landing(tmp_path)
    assert inv.rejections == []
    assert sorted(inv.files("dossier_versions")) == ["2024-04-01", "2024-04-02"]
    assert (
        inv.files("dossier_versions")["2024-04-02"].path
        == "dossier_system/2024-04-02/hoso_20240402.jsonl.gz"
    )
    assert inv.files("portal_766")["2024-04"].path.endswith(".xlsx")
    assert list(inv.files("portal_synced")) == ["2024-04"]
    assert list(inv.files("vneid_counts")) == ["2024-04-01"]
    landed = inv.reference["tthc"]
    assert landed.size == 2 and len(landed.sha256) == 64


def test_misnamed_file_is_rejected(tmp_path):
    touch(tmp_path / "dossier_system/2024-04-01/hoso_20240402.jsonl")
    touch(tmp_path / "dvc_portal/2024-05/dvcqg_766_2024-04.csv")
    inv = scan_landing(tmp_path)
    assert inv.files("dossier_versions") == {} and inv.files("portal_766") == {}
    messages = sorted(r.message for r in inv.rejections)
    assert messages == [
        (
            "dossier_system/2024-04-01/hoso_20240402.jsonl: rejected: the day in the file name "
            "(2024-04-02) does not match its folder (2024-04-01)"
        ),
        (
            "dvc_portal/2024-05/dvcqg_766_2024-04.csv: rejected: the month in the file name "
            "(2024-04) does not match its folder (2024-05)"
        ),
    ]
    assert {r.code for r in inv.rejections} == {"misnamed"}


def test_ambiguous_folders_reject_both_files(tmp_path):
    touch(tmp_path / "dossier_system/2024-04-01/hoso_20240401.jsonl")
    touch(tmp_path / "dossier_system/2024-04-01/hoso_20240401.jsonl.gz")
    touch(tmp_path / "dvc_portal/2024-04/dvcqg_766_2024-04.xlsx")
    touch(tmp_path / "dvc_portal/2024-04/dvcqg_766_2024-04.csv")
    touch(tmp_path / "dvc_portal/2024-04/dvcqg_dongbo_2024-04.csv")
    inv = scan_landing(tmp_path)
    assert inv.files("dossier_versions") == {} and inv.files("portal_766") == {}
    assert list(inv.files("portal_synced")) == ["2024-04"]  # the other kind is unaffected
    ambiguous = [r for r in inv.rejections if r.code == "ambiguous"]
    assert sorted(r.path for r in ambiguous) == [
        "dossier_system/2024-04-01/hoso_20240401.jsonl",
        "dossier_system/2024-04-01/hoso_20240401.jsonl.gz",
        "dvc_portal/2024-04/dvcqg_766_2024-04.csv",
        "dvc_portal/2024-04/dvcqg_766_2024-04.xlsx",
    ]
    assert all("ambiguous delivery" in r.message for r in ambiguous)
    _, problem = find_partition_file(tmp_path, "portal_766", "2024-04")
    assert "ambiguous delivery" in problem[1]


def test_folder_names_that_are_not_dates_are_reported_never_used(tmp_path):
    for name in [
        "..",
        "2024-04-01x",
        "2024-13-01",
        "2024-02-30",
        "2024-04",
        "latest",
        "2024-04-01 ",
        "..2024-04-01",
    ]:
        if name == "..":
            continue  # cannot be created; the parent is never listed anyway
        touch(tmp_path / "dossier_system" / name / "hoso_20240401.jsonl")
    touch(tmp_path / "dvc_portal/2024-4/dvcqg_766_2024-04.csv")
    touch(tmp_path / "dvc_portal/../escape.csv")  # lands outside dvc_portal: not listed
    outside = tmp_path.parent / f"{tmp_path.name}_outside"
    touch(outside / "hoso_20240401.jsonl")
    (tmp_path / "vneid").mkdir()
    (tmp_path / "vneid" / "2024-04-01").symlink_to(outside, target_is_directory=True)
    inv = scan_landing(tmp_path)
    assert inv.files("dossier_versions") == {} and inv.files("portal_766") == {}
    assert inv.files("vneid_counts") == {}
    bad = [r for r in inv.rejections if r.code == "bad_folder_name"]
    assert len(bad) == 8
    assert all("folder name is not a" in r.message for r in bad)
    assert any(r.code == "symlink" and r.path == "vneid/2024-04-01" for r in inv.rejections)


def test_unexpected_files_are_reported(tmp_path):
    touch(tmp_path / "dossier_system/2024-04-01/notes.txt")
    touch(tmp_path / "dossier_system/2024-04-01/.hoso_20240401.jsonl.part")  # upload in progress
    touch(tmp_path / "reference/extra.csv")
    inv = scan_landing(tmp_path)
    assert sorted(r.path for r in inv.rejections) == [
        "dossier_system/2024-04-01/notes.txt",
        "reference/extra.csv",
    ]


def test_find_partition_file_reports_a_missing_file(tmp_path):
    landed, problem = find_partition_file(tmp_path, "dossier_versions", "2024-04-01")
    assert landed is None
    assert problem == ("dossier_system/2024-04-01/", "no dossier_versions file delivered")


def test_hash_cache_reads_only_changed_files_in_a_later_process(tmp_path, monkeypatch):
    """The hashes of unchanged files are kept between builds; a file rewritten with the same
    size and mtime is still hashed again (its ctime moved)."""
    import os

    from ingest import landing

    landing_dir, cache = tmp_path / "landing", tmp_path / "warehouse" / "landing_hashes.json"
    first = landing_dir / "dossier_system" / "2024-04-01" / "hoso_20240401.jsonl"
    second = landing_dir / "dossier_system" / "2024-04-02" / "hoso_20240402.jsonl"
    touch(first, "a\n")
    touch(second, "b\n")
    settled = time.time_ns() - 10 * 1_000_000_000  # older than the racy window
    for path in (first, second):
        os.utime(path, ns=(settled, settled))
    # ctime cannot be set back: wait out the racy window instead of faking it
    monkeypatch.setattr(landing, "_RACY_SECONDS", 0)
    hashed = []
    real_sha256_of = landing.sha256_of
    monkeypatch.setattr(landing, "sha256_of", lambda p: hashed.append(Path(p).name) or real_sha256_of(p))

    monkeypatch.setattr(landing, "_SHA256_MEMO", {})
    before = scan_landing(landing_dir, hash_cache=cache).files("dossier_versions")
    assert sorted(hashed) == ["hoso_20240401.jsonl", "hoso_20240402.jsonl"]

    # a new process (empty memo): nothing is read again
    hashed.clear()
    monkeypatch.setattr(landing, "_SHA256_MEMO", {})
    again = scan_landing(landing_dir, hash_cache=cache).files("dossier_versions")
    assert hashed == []
    assert again == before

    # rewritten in place, same size, mtime set back: hashed again, new fingerprint
    first.write_text("c\n", encoding="utf-8")
    os.utime(first, ns=(settled, settled))
    monkeypatch.setattr(landing, "_SHA256_MEMO", {})
    after = scan_landing(landing_dir, hash_cache=cache).files("dossier_versions")
    assert hashed == ["hoso_20240401.jsonl"]
    assert after["2024-04-01"].size == before["2024-04-01"].size
    assert after["2024-04-01"].mtime_ns == before["2024-04-01"].mtime_ns
    assert after["2024-04-01"].fingerprint != before["2024-04-01"].fingerprint
    assert after["2024-04-02"] == before["2024-04-02"]

    # a removed file leaves the cache
    second.unlink()
    monkeypatch.setattr(landing, "_SHA256_MEMO", {})
    scan_landing(landing_dir, hash_cache=cache)
    kept = [entry[0] for entry in json.loads(cache.read_text(encoding="utf-8"))["files"]]
    assert kept == [str(first.absolute())]


def test_a_just_written_file_is_not_kept_in_the_hash_cache(tmp_path):
    landing_dir, cache = tmp_path / "landing", tmp_path / "landing_hashes.json"
    touch(landing_dir / "vneid" / "2024-04-01" / "vneid_20240401.csv", "a\n")
    scan_landing(landing_dir, hash_cache=cache)
    assert json.loads(cache.read_text(encoding="utf-8"))["files"] == []


def test_a_stray_file_never_takes_the_valid_one_down(tmp_path):
    """A day folder holding its extract plus a misnamed file, a file of another kind's
    name with full-width digits and a note: the extract loads, each stray is refused alone."""
    touch(tmp_path / "dossier_system/2024-04-01/hoso_20240401.jsonl")
    touch(tmp_path / "dossier_system/2024-04-01/hoso_20240402.jsonl")  # misnamed
    touch(tmp_path / "dossier_system/2024-04-01/hoso_２０２４0401.jsonl")  # non-ASCII digits
    touch(tmp_path / "dvc_portal/2024-04/dvcqg_766_2024-04.csv")
    touch(tmp_path / "dvc_portal/2024-04/dvcqg_766_2024-03.csv")  # misnamed
    inv = scan_landing(tmp_path)
    assert inv.files("dossier_versions")["2024-04-01"].path == "dossier_system/2024-04-01/hoso_20240401.jsonl"
    assert inv.files("portal_766")["2024-04"].path == "dvc_portal/2024-04/dvcqg_766_2024-04.csv"
    assert sorted((r.path, r.code) for r in inv.rejections) == [
        ("dossier_system/2024-04-01/hoso_20240402.jsonl", "misnamed"),
        ("dossier_system/2024-04-01/hoso_２０２４0401.jsonl", "unexpected_file"),
        ("dvc_portal/2024-04/dvcqg_766_2024-03.csv", "misnamed"),
    ]
    # a stray file is not a refusal of the partition's delivery
    assert all(r.table is None and r.partition_key is None for r in inv.rejections)
    landed, problem = find_partition_file(tmp_path, "dossier_versions", "2024-04-01")
    assert problem is None and landed.path.endswith("hoso_20240401.jsonl")


def test_uploads_in_progress_are_ignored_and_unsettled_files_pending(tmp_path):
    for name in (".hoso_20240401.jsonl", "hoso_20240401.jsonl.tmp", "hoso_20240401.jsonl.part",
                 "hoso_20240401.jsonl.partial", "hoso_20240401.jsonl.PART"):  # fmt: skip
        touch(tmp_path / "dossier_system/2024-04-01" / name)
    inv = scan_landing(tmp_path, rules=ScanRules(settle_seconds=60))
    assert inv.rejections == [] and inv.pending == [] and inv.files("dossier_versions") == {}

    touch(tmp_path / "dossier_system/2024-04-02/hoso_20240402.jsonl")
    touch(tmp_path / "reference/tthc.csv")
    inv = scan_landing(tmp_path, rules=ScanRules(settle_seconds=60))
    assert inv.files("dossier_versions") == {} and inv.reference == {}
    assert inv.pending == ["dossier_system/2024-04-02/hoso_20240402.jsonl", "reference/tthc.csv"]
    landed, problem = find_partition_file(
        tmp_path, "dossier_versions", "2024-04-02", ScanRules(settle_seconds=60)
    )
    assert landed is None and problem[1] == "no dossier_versions file delivered"
    # a minute later the same files have settled
    later = ScanRules(settle_seconds=60, now_ns=time.time_ns() + 61 * 1_000_000_000)
    inv = scan_landing(tmp_path, rules=later)
    assert inv.pending == [] and list(inv.files("dossier_versions")) == ["2024-04-02"]
    assert list(inv.reference) == ["tthc"]


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    """Opening a FIFO blocks until a writer comes: the scan must never open one."""
    touch(tmp_path / "dossier_system/2024-04-01/hoso_20240401.jsonl")
    os.mkfifo(tmp_path / "dossier_system/2024-04-02")  # where a folder is expected
    (tmp_path / "dossier_system/2024-04-03").mkdir()
    os.mkfifo(tmp_path / "dossier_system/2024-04-03/hoso_20240403.jsonl")
    (tmp_path / "reference").mkdir()
    os.mkfifo(tmp_path / "reference/tthc.csv")
    inv = scan_landing(tmp_path)  # returns: nothing was opened
    assert list(inv.files("dossier_versions")) == ["2024-04-01"] and inv.reference == {}
    codes = {r.path: r.code for r in inv.rejections}
    assert codes == {
        "dossier_system/2024-04-02": "unexpected_file",
        "dossier_system/2024-04-03/hoso_20240403.jsonl": "not_regular_file",
        "reference/tthc.csv": "not_regular_file",
    }
    assert "not a regular file" in next(r.message for r in inv.rejections if r.code == "not_regular_file")


def test_folders_dated_outside_the_calendar_or_after_the_build_date_are_rejected(tmp_path):
    for day in ("2014-12-31", "2015-01-01", "2024-04-01", "2024-04-02", "9999-12-31"):
        touch(tmp_path / f"dossier_system/{day}/hoso_{day.replace('-', '')}.jsonl")
    for month in ("2014-12", "2015-01", "2024-04", "2024-05"):
        touch(tmp_path / f"dvc_portal/{month}/dvcqg_dongbo_{month}.csv")
    rules = ScanRules(first_date=dt.date(2015, 1, 1), last_date=dt.date(2024, 4, 1))
    inv = scan_landing(tmp_path, rules=rules)
    assert sorted(inv.files("dossier_versions")) == ["2015-01-01", "2024-04-01"]
    # a month is possible while any of its days is
    assert sorted(inv.files("portal_synced")) == ["2015-01", "2024-04"]
    out = {r.path: r.message for r in inv.rejections}
    assert sorted(out) == [
        "dossier_system/2014-12-31", "dossier_system/2024-04-02", "dossier_system/9999-12-31",
        "dvc_portal/2014-12", "dvc_portal/2024-05",
    ]
    assert "dated after the build date TTHC_AS_OF (2024-04-01)" in out["dossier_system/9999-12-31"]
    assert "before the working calendar's first day (2015-01-01)" in out["dossier_system/2014-12-31"]
    assert all(r.code == "date_out_of_range" and r.table is None for r in inv.rejections)
