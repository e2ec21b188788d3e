"""dbt's manifest, from which Dagster builds the dbt assets: where it is, when it is parsed,
and its one reading.

Nothing parses when the definitions load: a parse takes ~8 s on two cores and would run in
every process that imports them (the UI, each build, each test worker). Instead:

- `make manifest` (a prerequisite of `make install`) parses when a project file is newer
  than the manifest;
- `tthc build` calls ``prepare_manifest()`` before it loads the definitions, so a model
  edited since the install is parsed again;
- `dagster dev` (`make ui`) parses at each code load: ``dbt_project.prepare_if_dev()`` in
  orchestration/assets/transform.py.

Anywhere else a missing manifest stops the load with ``ManifestMissing``, naming `make
manifest`. The manifest is read once per process (``load_manifest``, ``manifest_digest``).
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import subprocess
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.resources import dbt_executable
from orchestration.settings import DBT_PROJECT_DIR

# What a parse reads besides dbt itself: a change to any of these files makes the manifest
# stale (the Makefile's manifest target lists the same), and a full rebuild of the
# incremental models (dbt_increment.project_fingerprint).
PROJECT_PARTS = ("models", "macros", "seeds", "tests", "dbt_project.yml", "profiles.yml")
# The asset graph is the same on both engines; the duckdb target needs nothing beyond the
# base install (dbt-spark is an optional group) and, with profiles.yml's defaults, no TTHC_*
# variable. The Makefile's manifest target parses on it too.
MANIFEST_ENGINE = "duckdb"

dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target_path=DBT_PROJECT_DIR / "target",
    target=MANIFEST_ENGINE,
)
MANIFEST_PATH = dbt_project.manifest_path


class ManifestMissing(RuntimeError):
    """The definitions were loaded before any parse of the dbt project."""


def project_files() -> list[Path]:
    """Every file of PROJECT_PARTS, in a stable order."""
    files = []
    for part in PROJECT_PARTS:
        base = DBT_PROJECT_DIR / part
        if base.is_dir():
            files.extend(sorted(path for path in base.rglob("*") if path.is_file()))
        elif base.exists():
            files.append(base)
    return files


class ManifestParseFailed(RuntimeError):
    """The dbt project does not parse: its own message says which file and why."""


def is_stale() -> bool:
    if not MANIFEST_PATH.exists():
        return True
    parsed_at = MANIFEST_PATH.stat().st_mtime
    return any(path.stat().st_mtime > parsed_at for path in project_files())


def prepare_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than a project file.

    Call it before the definitions load (`tthc build`): the asset graph comes from the
    manifest, and a stale one would show a graph that `dbt build` no longer builds. Several
    processes may call it at once (builds, test workers): one parses, the others wait under
    the lock and then find the manifest fresh.
    """
    if not is_stale():
        return MANIFEST_PATH
    MANIFEST_PATH.parent.mkdir(parents=True, exist_ok=True)
    with open(MANIFEST_PATH.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_stale():
            # output kept unless the parse fails: the adapters' import warnings are noise
            parsed = subprocess.run(
                [dbt_executable(), "parse", "--quiet", "--no-use-colors",
                 "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
                 "--target-path", str(MANIFEST_PATH.parent), "--target", MANIFEST_ENGINE],
                check=False, cwd=DBT_PROJECT_DIR, capture_output=True, text=True,
            )  # fmt: skip
            if parsed.returncode != 0:
                raise ManifestParseFailed(
                    f"`dbt parse` of {DBT_PROJECT_DIR} failed (exit {parsed.returncode}):\n"
                    + (parsed.stdout + parsed.stderr)[-4000:]
                )
            # dbt rewrites the manifest; the touch makes sure its time is past the sources'
            MANIFEST_PATH.touch()
    return MANIFEST_PATH


@functools.cache
def _manifest_bytes() -> bytes:
    try:
        return MANIFEST_PATH.read_bytes()
    except FileNotFoundError:
        raise ManifestMissing(
            f"dbt's manifest {MANIFEST_PATH} is missing: run `make manifest` (part of `make "
            "install`) to parse the dbt project, then load the definitions again"
        ) from None


@functools.cache
def load_manifest() -> dict:
    """The manifest as loaded with the definitions (the dbt assets and the published marts)."""
    return json.loads(_manifest_bytes())


def manifest_digest() -> str:
    """Names a version of the project: the publish step caches its dbt docs under it."""
    return hashlib.sha256(_manifest_bytes()).hexdigest()[:16]
