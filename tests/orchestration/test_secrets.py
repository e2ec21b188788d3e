"""Secrets (TTHC_PII_KEY, the alert webhook's URL) reach the run that uses them, and nothing
that Dagster stores or shows: not the run's config or snapshots, not the event log, not the
sensor ticks, not the UI's resource page (operations.md, "Configuration").

The real build's instance is scanned as well: tests/faults/test_personal_data.py.
"""

import http.client
import json
import logging
import os
import subprocess
import urllib.error
from concurrent.futures import ThreadPoolExecutor

import dagster as dg
import pytest

from orchestration.alerts import alert_on_failure, delivery_failure, post_alert, webhook_request
from orchestration.instance import prepare_dagster_home
from orchestration.resources import WarehouseResource, build_resources
from orchestration.settings import PROJECT_ROOT, MissingPiiKey, load_settings
from tests.conftest import TTHC
from tests.dagster_home_scan import dagster_home_texts, secrets_found

KEY = "secret-test-key-9b1f04c7d2e8a6f3-not-to-be-stored"
WEBHOOK = "http://alert-user:s3cr3t-token@127.0.0.1:9/hook"  # nothing listens on port 9
SECRETS = {KEY, WEBHOOK, "s3cr3t-token"}


@pytest.fixture
def settings(tmp_path, monkeypatch):
    folders = {"TTHC_LANDING_DIR": "landing", "TTHC_WAREHOUSE_DIR": "warehouse",
               "TTHC_PUBLISH_DIR": "published", "DAGSTER_HOME": "dagster_home"}  # fmt: skip
    for name, folder in folders.items():
        monkeypatch.setenv(name, str(tmp_path / folder))
    monkeypatch.setenv("TTHC_PII_KEY", KEY)
    monkeypatch.setenv("TTHC_ALERT_WEBHOOK_URL", WEBHOOK)
    return load_settings()


@dg.asset
def reads_the_secrets(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> None:
    settings = warehouse.settings
    assert settings.require_pii_key() == KEY.encode()
    assert settings.alert_webhook_url == WEBHOOK
    context.log.info(f"settings of the run: {settings}")  # repr leaves the secrets out


@dg.op
def publish_gate():
    raise dg.Failure(description="Publication held back: blocking checks failed")


@dg.job(name="build_marts")
def blocked_build():
    publish_gate()


def run_and_alert(instance: dg.DagsterInstance, warehouse: WarehouseResource) -> None:
    """A run that reads the secrets through the resource, and a failed run whose alert the
    sensor tries to post (to a port where nothing listens)."""
    defs = dg.Definitions(
        assets=[reads_the_secrets],
        jobs=[dg.define_asset_job("reads_the_secrets_job")],
        resources={"warehouse": warehouse},
    )
    result = defs.resolve_job_def("reads_the_secrets_job").execute_in_process(instance=instance)
    assert result.success
    failed = blocked_build.execute_in_process(instance=instance, raise_on_error=False)
    context = dg.build_run_status_sensor_context(
        sensor_name="alert_on_failure", dagster_instance=instance,
        dagster_run=failed.dagster_run, dagster_event=failed.get_run_failure_event(),
    ).for_run_failure()  # fmt: skip
    alert_on_failure(context)  # the failed post is logged, not raised


def test_the_run_reads_the_secrets_and_the_instance_keeps_none(settings, caplog):
    caplog.set_level(logging.INFO)
    assert KEY not in repr(settings) and WEBHOOK not in repr(settings)
    instance = prepare_dagster_home(settings)
    home = settings.dagster_home
    assert home.stat().st_mode & 0o777 == 0o700
    assert (home / "dagster.yaml").stat().st_mode & 0o777 == 0o600
    try:
        run_and_alert(instance, build_resources(settings)["warehouse"])
    finally:
        instance.dispose()

    texts = dagster_home_texts(home)
    # the scan reads the run snapshots (compressed) and finds the resource's config in them:
    # the variable's name and the other values, where a resolved secret would be
    snapshots = texts["sqlite:history/runs.db:snapshots"]
    assert int(texts["sqlite:history/runs.db:snapshots:compressed values"]) >= 2
    assert "TTHC_PII_KEY" in snapshots and "TTHC_ALERT_WEBHOOK_URL" in snapshots
    assert str(settings.landing_dir) in snapshots
    assert any(k.startswith("sqlite:history/runs/") for k in texts)  # the event logs
    assert "sqlite:schedules/schedules.db:jobs" in texts
    assert "could not post the alert to the webhook at host 127.0.0.1" in caplog.text
    texts["python logs"] = caplog.text
    assert secrets_found(texts, SECRETS) == []


def test_the_scan_finds_a_secret_given_in_clear(settings):
    """The scan can fail: a resource given the key itself (the old code) leaves it in the
    run snapshots, compressed, where a byte search of runs.db would not see it."""
    instance = prepare_dagster_home(settings)
    clear = WarehouseResource(
        landing_dir=str(settings.landing_dir), warehouse_dir=str(settings.warehouse_dir),
        publish_dir=str(settings.publish_dir), dagster_home=str(settings.dagster_home),
        pii_key=KEY, alert_webhook_url=WEBHOOK,
    )  # fmt: skip
    try:
        run_and_alert(instance, clear)
    finally:
        instance.dispose()
    found = secrets_found(dagster_home_texts(settings.dagster_home), SECRETS)
    assert ("sqlite:history/runs.db:snapshots", KEY) in found
    assert ("sqlite:history/runs.db:snapshots", WEBHOOK) in found
    assert not any(where.startswith("file:") for where, secret in found if secret == KEY)


RESOURCES_QUERY = """
query ($repo: RepositorySelector!) {
  allTopLevelResourceDetailsOrError(repositorySelector: $repo) {
    __typename
    ... on ResourceDetailsList {
      results { name configuredValues { key value type } configFields { name defaultValueAsJson } }
    }
  }
  utilizedEnvVarsOrError(repositorySelector: $repo) {
    ... on EnvVarWithConsumersList { results { envVarName } }
  }
}
"""


def test_the_ui_shows_the_variables_not_the_values(settings):
    """The UI's resource page (through Dagster's GraphQL, on the workspace that `make ui`
    serves) names the variables: pii_key is the env var TTHC_PII_KEY, never its value."""
    from dagster_graphql.test.utils import define_out_of_process_context, execute_dagster_graphql

    repo = {"repositoryLocationName": "tthc", "repositoryName": "__repository__"}
    workspace = str(PROJECT_ROOT / "workspace.yaml")
    # The query runs in a thread of its own: execute_dagster_graphql calls asyncio.run, which
    # fails in a worker whose thread already runs an event loop (Playwright's sync API, left
    # open by the session's browser fixture when a browser test ran earlier on the same worker).
    with (
        dg.instance_for_test() as instance,
        define_out_of_process_context(workspace, None, instance) as context,
        ThreadPoolExecutor(max_workers=1) as thread,
    ):
        result = thread.submit(execute_dagster_graphql, context, RESOURCES_QUERY, {"repo": repo}).result()
    answer = result.data["allTopLevelResourceDetailsOrError"]
    assert answer["__typename"] == "ResourceDetailsList", answer
    warehouse = next(r for r in answer["results"] if r["name"] == "warehouse")
    shown = {v["key"]: (v["type"], v["value"]) for v in warehouse["configuredValues"]}
    assert shown["pii_key"] == ("ENV_VAR", "TTHC_PII_KEY")
    assert shown["alert_webhook_url"] == ("ENV_VAR", "TTHC_ALERT_WEBHOOK_URL")
    assert shown["landing_dir"] == ("VALUE", json.dumps(str(settings.landing_dir)))
    used = {v["envVarName"] for v in result.data["utilizedEnvVarsOrError"]["results"]}
    assert {"TTHC_PII_KEY", "TTHC_ALERT_WEBHOOK_URL"} <= used
    assert secrets_found({"graphql": json.dumps(result.data)}, SECRETS) == []


def test_without_the_secrets_the_resource_names_no_variable(settings, monkeypatch):
    """An unset EnvVar would fail every run at its start, the ones that need no key too, and
    the sensors of a UI started without the key: an unset secret is left out instead."""
    monkeypatch.delenv("TTHC_PII_KEY")
    monkeypatch.delenv("TTHC_ALERT_WEBHOOK_URL")
    warehouse = build_resources(load_settings())["warehouse"]
    assert warehouse.pii_key is None and warehouse.alert_webhook_url is None
    with pytest.raises(MissingPiiKey, match="TTHC_PII_KEY is not set"):
        warehouse.settings.require_pii_key()


def test_a_resource_outside_a_run_reads_the_variable_not_its_name(settings, monkeypatch):
    warehouse = build_resources(settings)["warehouse"]
    assert isinstance(warehouse.pii_key, dg.EnvVar)  # a str whose text is "TTHC_PII_KEY"
    assert warehouse.settings.require_pii_key() == KEY.encode()
    monkeypatch.setenv("TTHC_PII_KEY", KEY + "-rotated")  # read at use, not at definition
    assert warehouse.settings.require_pii_key() == (KEY + "-rotated").encode()


def test_a_short_key_is_refused_with_a_clear_message(settings, monkeypatch):
    short = "k" * 31
    monkeypatch.setenv("TTHC_PII_KEY", short)
    with pytest.raises(MissingPiiKey) as refused:
        load_settings().require_pii_key()
    message = str(refused.value)
    assert "TTHC_PII_KEY is 31 bytes long; it must be at least 32" in message
    assert short not in message
    monkeypatch.setenv("TTHC_PII_KEY", "k" * 32)
    assert load_settings().require_pii_key() == b"k" * 32
    # and the command stops before any work, with the message and no traceback
    env = {**os.environ, "TTHC_PII_KEY": short}
    result = subprocess.run(
        [TTHC, "build"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "tthc build: TTHC_PII_KEY is 31 bytes long" in result.stderr
    assert "Traceback" not in result.stderr and short not in result.stderr + result.stdout
    assert not settings.warehouse_dir.exists()


def failure_of(url: str) -> Exception:
    try:
        post_alert(url, "run failed", timeout=5)
    except (OSError, ValueError, http.client.HTTPException) as exc:  # what the sensor catches
        return exc
    raise AssertionError(f"{url} was posted")


def test_webhook_credentials_are_sent_as_basic_auth_and_never_logged():
    request = webhook_request(WEBHOOK, "run failed")
    assert request.full_url == "http://127.0.0.1:9/hook"
    assert request.get_header("Authorization") == "Basic YWxlcnQtdXNlcjpzM2NyM3QtdG9rZW4="
    # urllib's own errors can quote the URL, token included: the log line names the host only
    no_scheme = "hooks.example/services/s3cr3t-token"
    bad_port = "http://hooks.example:s3cr3t-token/hook"
    raised = {url: failure_of(url) for url in (no_scheme, bad_port, WEBHOOK)}
    assert "s3cr3t-token" in str(raised[no_scheme]) and "s3cr3t-token" in str(raised[bad_port])
    forbidden = urllib.error.HTTPError(WEBHOOK, 403, "Forbidden", {}, None)
    said = [delivery_failure(url, exc) for url, exc in (*raised.items(), (WEBHOOK, forbidden))]
    assert said == [
        "could not post the alert to the webhook at host ? (ValueError)",
        "could not post the alert to the webhook at host hooks.example (InvalidURL)",
        "could not post the alert to the webhook at host 127.0.0.1 "
        + "(ConnectionRefusedError: Connection refused)",
        "could not post the alert to the webhook at host 127.0.0.1 (HTTP 403)",
    ]


def test_the_demo_key_is_long_and_private(tmp_path, monkeypatch):
    from orchestration.cli import DEMO_KEY_FILE, demo_pii_key

    monkeypatch.chdir(tmp_path)
    previous = os.umask(0o000)
    try:
        key = demo_pii_key()
    finally:
        os.umask(previous)
    assert len(key.encode()) == 64 and DEMO_KEY_FILE.stat().st_mode & 0o777 == 0o600
    DEMO_KEY_FILE.chmod(0o644)  # copied with the data folder, say
    assert demo_pii_key() == key and DEMO_KEY_FILE.stat().st_mode & 0o777 == 0o600
