"""The Dagster UI of the sample build lists the published marts, the publication and the checks."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WEBSERVER = Path(sys.executable).parent / "dagster-webserver"
STARTUP_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["data"]


def wait_until_loaded(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"dagster-webserver exited with {server.returncode}")
        try:
            data = graphql(base, "{ workspaceOrError { ... on Workspace { locationEntries { loadStatus } } } }")
            entries = data["workspaceOrError"]["locationEntries"]
            if entries and all(entry["loadStatus"] == "LOADED" for entry in entries):
                return
        except (OSError, ValueError, KeyError, TypeError):
            pass
        time.sleep(1)
    raise AssertionError(f"dagster-webserver did not load the code location in {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def dagster_ui(sample_build, tmp_path_factory):
    _, env, _ = sample_build
    port = free_port()
    log = tmp_path_factory.mktemp("dagster_ui") / "webserver.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [str(WEBSERVER), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_loaded(base, server)
        yield base
    finally:
        # the whole process group: the webserver and its code-server child
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(server.pid, sig)
                server.wait(timeout=wait)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue


def wait_for_name(page, name: str) -> None:
    """Waits until `name` is on the page. The UI shortens long names in the middle
    ("assert_bieu_06…um_of_agencies"); the full name stays in the element's title, while the
    full text it measures with can be gone, so the title is what is asserted."""
    page.locator(f'[title="{name}"]').or_(page.get_by_text(name, exact=True)).first.wait_for(timeout=30_000)


def test_ui_lists_published_marts_and_their_checks(dagster_ui, sample_build, browser, artifacts):
    root, _, _ = sample_build
    manifest = json.loads(((root / "published").resolve() / "publication.json").read_text(encoding="utf-8"))
    marts = sorted(manifest["row_counts"])
    nodes = graphql(
        dagster_ui,
        "{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } } }",
    )["assetNodes"]
    checks = {
        "/".join(node["assetKey"]["path"]): [c["name"] for c in (node["assetChecksOrError"] or {}).get("checks", [])]
        for node in nodes
    }
    assert "publish/publication" in checks
    # every published mart that is a dbt model is an asset (data_quality is written by the
    # publish step itself, so it may have no asset of its own)
    core = {"dossiers", "bieu_06", "bieu_06_fields", "kpi_values", "index_766", "vneid_coverage",
            "publication_timeliness"}
    assert {f"marts/{mart}" for mart in core} <= set(checks)
    marts = [mart for mart in marts if f"marts/{mart}" in checks]

    page = browser.new_page(viewport={"width": 1600, "height": 2400})
    try:
        page.goto(f"{dagster_ui}/assets/marts?view=folder", wait_until="domcontentloaded", timeout=60_000)
        page.get_by_text("bieu_06_fields", exact=True).first.wait_for(timeout=60_000)
        for mart in marts:
            wait_for_name(page, mart)
        page.screenshot(path=str(artifacts / "dagster_ui_marts.png"))

        page.goto(f"{dagster_ui}/assets/marts/bieu_06?view=checks", wait_until="domcontentloaded", timeout=60_000)
        page.get_by_text(f"Checks ({len(checks['marts/bieu_06'])})").first.wait_for(timeout=60_000)
        assert checks["marts/bieu_06"], "bieu_06 has no checks"
        for name in checks["marts/bieu_06"]:
            wait_for_name(page, name)
        assert "Succeeded" in page.inner_text("body")
        page.screenshot(path=str(artifacts / "dagster_ui_bieu_06_checks.png"))

        page.goto(f"{dagster_ui}/assets/publish/publication", wait_until="domcontentloaded", timeout=60_000)
        page.get_by_text("publication", exact=True).first.wait_for(timeout=60_000)
        page.screenshot(path=str(artifacts / "dagster_ui_publication.png"))
    finally:
        page.close()
