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


# Tests that share an expensive fixture run on the same pytest-xdist worker (make test runs
# two workers with --dist loadgroup), so that the fixture is made once, not once per worker:
# the session builds below, and every module-scoped fixture (a module's own build, demo or
# generated landing zone: the Spark and DuckDB builds, the incremental builds, the demo...).
# This needs pytest 8: under pytest 9, xdist 3.8 could not mark the node ids and every shared
# build was silently made on both workers.
SHARED_BUILDS = ("sample_build", "fault_build", "clean_build", "built")

# The groups (or, for tests in no group, modules) that take longest on 2 cores, heaviest
# first: they are handed out first (make test passes --no-loadscope-reorder, which would
# otherwise order the groups by their number of tests), so that no worker starts a long build
# while the other has nothing left to do. Everything else follows in collection order.
HEAVIEST_FIRST = (  # seconds measured in one `make test` on the 2-core machine
    "tests/faults::clean_build",  # the kill test and the idempotence builds: ~350 s
    "tests/spark/test_spark_equals_duckdb.py",  # dbt build on Spark and on DuckDB: ~210 s
    "tests/figures::built",  # the figures build, the incremental builds, their tests: ~180 s
    "tests::sample_build",  # the sample build, its reports, browser tests, the UI: ~170 s
    "gate_warehouse",  # tests/orchestration/test_publication_gate.py: ~165 s
    "tests/faults::fault_build",  # ~90 s
    "tests/orchestration/test_demo_build.py",  # ~90 s
    "tests/figures/test_reorganisation.py",  # ~70 s
)


def expensive_fixtures_of(item: pytest.Item) -> list[str]:
    """What a test needs that is worth making once: each session build it reads (named by
    where it is defined: two fixtures may share a name) and, when it reads a module-scoped
    fixture, its own module (such a fixture is made once per module)."""
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    needs = []
    for name in getattr(item, "fixturenames", ()):
        defs = definitions.get(name)
        if not defs:
            continue
        if defs[-1].scope == "session" and name in SHARED_BUILDS:
            needs.append(f"{defs[-1].baseid or '.'}::{name}")
        elif defs[-1].scope == "module":
            needs.append(item.nodeid.split("::", 1)[0])
    return list(dict.fromkeys(needs))


def xdist_groups(items: list[pytest.Item]) -> dict[str, str | None]:
    """The group each test runs in (node id → group, None: anywhere). Tests that need the
    same expensive fixture share a group, and so, transitively, do the fixtures one test needs
    together (a test reading the figures build and the incremental builds joins both groups
    into one): otherwise the worker without the group would make the fixture a second time.
    An explicit xdist_group mark is kept."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    def join(first: str, second: str) -> None:
        # a session build names the joined group (HEAVIEST_FIRST lists it by that name)
        first, second = sorted((root(first), root(second)), key=lambda name: ("::" not in name, name))
        parent[second] = first

    needs = {item.nodeid: expensive_fixtures_of(item) for item in items}
    for names in needs.values():
        for other in names[1:]:
            join(names[0], other)
    groups: dict[str, str | None] = {}
    for item in items:
        marked = item.get_closest_marker("xdist_group")
        if marked is not None:
            groups[item.nodeid] = marked.args[0] if marked.args else marked.kwargs.get("name")
        else:
            groups[item.nodeid] = root(needs[item.nodeid][0]) if needs[item.nodeid] else None
    return groups


# tryfirst: pytest-xdist's worker turns the xdist_group marks into node id suffixes in its own
# pytest_collection_modifyitems, registered after this conftest and so called before it: marks
# added later are silently ignored (every "shared" build was then made on both workers).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    groups = xdist_groups(items)
    for item in items:
        if groups[item.nodeid] is not None and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(groups[item.nodeid]))
    rank = {name: position for position, name in enumerate(HEAVIEST_FIRST)}

    def heaviness(item: pytest.Item) -> int:
        return rank.get(groups[item.nodeid] or item.nodeid.split("::", 1)[0], len(rank))

    # a stable sort: within a group and among the rest, the collection order is kept
    items.sort(key=heaviness)


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
