"""`tthc demo` judges freshness the day after its generated data (operations.md, TTHC_AS_OF)."""

from __future__ import annotations

import os

import pytest

from orchestration import cli


@pytest.fixture
def demo_run(tmp_path, monkeypatch):
    """Runs `tthc demo` up to the build, and returns the as-of date of the settings it hands
    to the build (and checks that the demo wrote no TTHC_AS_OF into the environment)."""
    landing = tmp_path / "landing"
    (landing / "reference").mkdir(parents=True)  # an earlier demo's landing zone: no generate
    for name in ("2024-03-30", "2024-03-31", "not-a-day", "2024-13-45"):
        (landing / "dossier_system" / name).mkdir(parents=True)
    monkeypatch.setenv("TTHC_LANDING_DIR", str(landing))
    monkeypatch.setenv("TTHC_PII_KEY", "k" * 32)
    seen = {}

    def fake_build(args, settings):
        seen["as_of"] = settings.as_of.isoformat() if settings.as_of else None
        seen["environment"] = os.environ.get("TTHC_AS_OF")
        return 1

    monkeypatch.setattr(cli, "_build", fake_build)

    def run(as_of: str | None = None):
        if as_of:
            monkeypatch.setenv("TTHC_AS_OF", as_of)
        else:
            monkeypatch.delenv("TTHC_AS_OF", raising=False)
        cli.main(["demo"])
        assert seen["environment"] == as_of  # the settings carry it, not os.environ
        return seen["as_of"]

    return run


def test_demo_sets_as_of_to_the_day_after_its_latest_extract(demo_run):
    assert demo_run() == "2024-04-01"


def test_demo_keeps_an_as_of_that_is_set(demo_run):
    assert demo_run("2024-05-15") == "2024-05-15"
