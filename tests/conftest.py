"""Shared fixtures: paths, and an isolated environment for a build (its own landing zone,
warehouse, publication and Dagster instance under tmp_path)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT_ROOT.parent / "shared" / "spec" / "samples" / "landing"
TTHC = str(Path(sys.executable).parent / "tthc")


# Tests that share a built warehouse run on the same pytest-xdist worker (make test runs
# two workers with --dist loadgroup), so each shared build is made once: the session builds
# and the module builds that several tests of a module read (the demo, the incremental
# builds, the Spark and DuckDB builds). This needs pytest 8: under pytest 9, xdist 3.8 could
# not mark the node ids and every shared build was silently made on both workers.
SHARED_BUILDS = ("sample_build", "fault_build", "clean_build", "built", "demo", "incremental", "builds")


def pytest_sessionstart(session):
    """A model edited since `make manifest` is parsed again before any test loads the
    definitions (which never parse themselves: orchestration/dbt_manifest.py)."""
    from orchestration.dbt_manifest import prepare_manifest

    prepare_manifest()


def pytest_collection_modifyitems(items):
    for item in items:
        shared = [name for name in SHARED_BUILDS if name in getattr(item, "fixturenames", ())]
        if shared:
            item.add_marker(pytest.mark.xdist_group(shared[0]))


def copy_samples(target: Path) -> Path:
    """A writable copy of the spec's sample landing zone (the original is read-only)."""
    if not SAMPLES.is_dir():
        pytest.skip(f"sample landing zone not found at {SAMPLES}")
    shutil.copytree(SAMPLES, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    return target


def build_env(root: Path, landing: Path | None = None, pii_key: str = "test-pii-key-4f9c2a7e1b6d8035c0ffee") -> dict:
    return {
        **os.environ,
        "TTHC_LANDING_DIR": str(landing or root / "landing"),
        "TTHC_WAREHOUSE_DIR": str(root / "warehouse"),
        "TTHC_PUBLISH_DIR": str(root / "published"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "TTHC_PII_KEY": pii_key,
        # the tests write their landing files just before they build: settled at once
        "TTHC_SETTLE_SECONDS": "0",
    }


def build_env_without_key() -> dict:
    """This process's environment without TTHC_PII_KEY: a command that needs no key."""
    return {k: v for k, v in os.environ.items() if k != "TTHC_PII_KEY"}


def run_tthc(args: list[str], env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TTHC, *args], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout,
        check=False,  # callers assert on the exit status
    )


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """One `tthc build` of the spec's sample landing zone, shared by the tests that read a
    real publication (it takes about a minute: GX import, dbt start-up, the models).

    Returns (root, env, completed process); the publication is at root/published.
    """
    root = tmp_path_factory.mktemp("sample_build")
    copy_samples(root / "landing")
    env = build_env(root)
    result = run_tthc(["build"], env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root, env, result
