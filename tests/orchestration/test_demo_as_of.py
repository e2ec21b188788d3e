"""`tthc demo` judges freshness the day after its generated data (operations.md, TTHC_AS_OF)."""

from __future__ import annotations

import os

import pytest

from orchestration import cli


@pytest.fixture
def demo_run(tmp_path, monkeypatch):
    """Runs `tthc demo` up to the build, and returns the TTHC_AS_OF the build would see."""
    landing = tmp_path / "landing"
    (landing / "reference").mkdir(parents=True)  # an earlier demo's landing zone: no generate
    for name in ("2024-03-30", "2024-03-31", "not-a-day", "2024-13-45"):
        (landing / "dossier_system" / name).mkdir(parents=True)
    monkeypatch.setenv("TTHC_LANDING_DIR", str(landing))
    monkeypatch.setenv("TTHC_PII_KEY", "k" * 32)
    seen = {}

    def fake_build(args):
        seen["as_of"] = os.environ.get("TTHC_AS_OF")
        return 1

    monkeypatch.setattr(cli, "_build", fake_build)

    def run(as_of: str | None = None):
        # setenv first, so that monkeypatch restores what _demo writes to os.environ even
        # when the variable was unset (delenv of an unset variable records nothing: the
        # demo's TTHC_AS_OF leaked into every later build of the worker)
        monkeypatch.setenv("TTHC_AS_OF", as_of or "")
        monkeypatch.setenv("TTHC_SETTLE_SECONDS", os.environ.get("TTHC_SETTLE_SECONDS", "60"))
        if not as_of:
            monkeypatch.delenv("TTHC_AS_OF")
        cli.main(["demo"])
        return seen["as_of"]

    return run


def test_demo_sets_as_of_to_the_day_after_its_latest_extract(demo_run):
    assert demo_run() == "2024-04-01"


def test_demo_keeps_an_as_of_that_is_set(demo_run):
    assert demo_run("2024-05-15") == "2024-05-15"
