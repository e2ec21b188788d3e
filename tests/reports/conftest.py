"""Fixtures of the report tests: a private copy of the shared sample publication with its
reports written, and a headless Chromium (Debian's /usr/bin/chromium) through Playwright."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from publish.publication import MANIFEST, MARTS_DB
from publish.reports import write_reports

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def copy_publication(sample_build, target: Path) -> Path:
    """A copy of the served publication folder (the link resolved), so that writing reports
    into it never touches the shared build that other tests read."""
    root, _, _ = sample_build
    shutil.copytree((root / "published").resolve(), target)
    return target


@pytest.fixture(scope="session")
def reports_publication(sample_build, tmp_path_factory):
    """(folder, written paths, manifest) of a publication copy with its reports written."""
    folder = copy_publication(sample_build, tmp_path_factory.mktemp("reports") / "publication")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    written = write_reports(folder, manifest)
    return folder, written, manifest


@pytest.fixture(scope="session")
def marts_db(reports_publication) -> Path:
    return reports_publication[0] / MARTS_DB


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
