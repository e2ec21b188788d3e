"""A run killed at any moment leaves the last publication intact and readable; the next run
completes it, and its marts equal those of an uninterrupted build of the same landing zone.

`tthc build` runs in its own process group and is killed with SIGKILL (dbt child included)
during ingest, during dbt and during the publish step.

It also proves the incremental guarantee (operations.md, issue 8): the warehouse is first
built on the first week, the second week is added, and after the interrupted runs the
increment gives marts identical to a full build of the two weeks from an empty warehouse.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import PROJECT_ROOT, TTHC, build_env, run_tthc
from tests.faults.conftest import SMALL, generate, mart_digests, publication_snapshot


def tree_hash(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def group_cmdlines(pgid: int) -> list[str]:
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != pgid:
                continue
            found.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, ProcessLookupError):
            continue
    return found


def build_killed_when(env: dict, log: Path, ready, timeout: float = 300) -> str:
    """Start `tthc build`, SIGKILL its whole process group once ``ready(proc)`` is true."""
    with open(log, "w") as out:
        proc = subprocess.Popen([TTHC, "build"], env=env, cwd=PROJECT_ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        try:
            while time.time() < deadline:
                assert proc.poll() is None, "the build ended before the kill point: " + log.read_text()[-2000:]
                if ready(proc):
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=30)
                    return log.read_text()
                time.sleep(0.05)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
    raise AssertionError("kill point never reached: " + log.read_text()[-2000:])


def test_kill_during_ingest_dbt_and_publish_then_complete(clean_build, tmp_path):
    _, _, uninterrupted = clean_build
    full = tmp_path / "full"
    generate(full, *SMALL)  # the clean build's landing zone, byte for byte (same seed)
    assert tree_hash(full) == tree_hash(clean_build[0] / "landing")

    # the last publication before the kills: the first week only
    landing = tmp_path / "landing"
    shutil.copytree(full, landing, ignore=lambda d, names: [
        n for n in names if n >= "2024-04-08" and n[:4] == "2024" and len(n) == 10])
    env = build_env(tmp_path)
    first = run_tthc(["build"], env)
    assert first.returncode == 0, first.stderr[-3000:]
    before = publication_snapshot(tmp_path / "published")
    assert before["marts"]["dossiers"][0] > 500

    # the second week arrives
    shutil.copytree(full, landing, dirs_exist_ok=True)
    versions = tmp_path / "published.versions"
    raw_days = tmp_path / "warehouse" / "raw" / "dossier_versions"

    def during_ingest(proc):
        # the progress line of the dossier-day run (orchestration/progress.py): "[2/5] load_dossier_days …"
        return "] load_dossier_days" in (tmp_path / "k1.log").read_text() and (
            any(p.name >= "2024-04-08" for p in raw_days.glob("*.parquet")) or time.sleep(0.3))

    def during_dbt(proc):
        return any(" dbt" in c or "/dbt " in c or "dbt build" in c for c in group_cmdlines(proc.pid))

    def during_publish(proc):
        return any((f / ".unfinished").exists() for f in versions.iterdir())

    for name, ready in (("k1", during_ingest), ("k2", during_dbt), ("k3", during_publish)):
        output = build_killed_when(env, tmp_path / f"{name}.log", ready)
        assert "Published to" not in output
        # the last publication: intact, readable, the same content
        assert publication_snapshot(tmp_path / "published") == before, name
        assert os.path.realpath(tmp_path / "published").endswith(before["version"])
    # the publish kill left an unfinished folder that nothing points to
    assert any((f / ".unfinished").exists() for f in versions.iterdir())

    # the next run completes it: the lock is free, nothing stuck, the same marts as a build
    # that was never interrupted
    result = run_tthc(["build"], env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    after = publication_snapshot(tmp_path / "published")
    assert after["version"] != before["version"]
    assert mart_digests(tmp_path / "published") == uninterrupted
    assert not any((f / ".unfinished").exists() for f in versions.iterdir())
    assert all((f / "publication.json").exists() for f in versions.iterdir())
