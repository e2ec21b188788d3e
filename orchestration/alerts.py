"""Alerts: a failed or blocked run posts a short message to a webhook, and logs it.

The message says what failed and where to look; it carries job, run id and check names,
never data values. The URL comes from TTHC_ALERT_WEBHOOK_URL (a chat or incident hook),
read when the alert is sent; without it the alert is only logged. The URL is a secret (its
path or its ``user:password@`` carry the hook's token): no log line, no sensor error, no
event shows more of it than its host.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

import dagster as dg

from orchestration.catch_up import WAREHOUSE_JOBS
from orchestration.settings import load_settings

logger = logging.getLogger("tthc.alerts")
WATCHED_JOBS = WAREHOUSE_JOBS


def alert_text(job_name: str, run_id: str, failure: str) -> str:
    first_lines = "\n".join(failure.strip().splitlines()[:8])
    return (
        f"TTHC warehouse: run {run_id[:8]} of {job_name} failed; the last publication is "
        f"unchanged.\n{first_lines}\nSee the run in the Dagster UI (Runs → {run_id})."
    )


def webhook_request(url: str, text: str) -> urllib.request.Request:
    """The POST of the alert. Credentials written in the URL (``https://user:token@host/…``)
    are sent as HTTP basic authentication: urllib would take them for part of the host."""
    parts = urllib.parse.urlsplit(url)
    headers = {"Content-Type": "application/json"}
    if parts.username is not None:
        user, password = (urllib.parse.unquote(p or "") for p in (parts.username, parts.password))
        credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
        netloc = parts.hostname or ""
        netloc = f"[{netloc}]" if ":" in netloc else netloc  # an IPv6 address
        if parts.port is not None:
            netloc += f":{parts.port}"
        url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    return urllib.request.Request(url, data=body, headers=headers, method="POST")


def post_alert(url: str, text: str, timeout: float = 10.0) -> int:
    with urllib.request.urlopen(webhook_request(url, text), timeout=timeout) as response:
        return response.status


def delivery_failure(url: str, exc: BaseException) -> str:
    """Why the alert did not reach the webhook, naming its host only: an exception's own
    text can quote the URL (urllib's "unknown url type: '…'", http.client's "nonnumeric
    port: '…'"), token included."""
    try:
        host = urllib.parse.urlsplit(url).hostname or "?"
    except ValueError:
        host = "?"
    if isinstance(exc, urllib.error.HTTPError):
        why = f"HTTP {exc.code}"
    else:
        cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        why = type(cause).__name__
        if isinstance(cause, OSError) and cause.strerror:
            why += f": {cause.strerror}"
    return f"could not post the alert to the webhook at host {host} ({why})"


def step_failures(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """What each failed step said: the gate's list of failed checks, or the error."""
    messages = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        data = entry.dagster_event.step_failure_data
        user = data.user_failure_data
        error = data.error
        while error is not None and error.cause is not None:
            error = error.cause
        text = user.description if user and user.description else (error.message if error else "")
        messages.append(f"{entry.dagster_event.step_key}: {text.strip()}")
    return messages


@dg.run_failure_sensor(
    name="alert_on_failure",
    monitor_all_code_locations=False,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Posts a short message to TTHC_ALERT_WEBHOOK_URL when a run fails or a "
    "publication is held back.",
)
def alert_on_failure(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    if run.job_name not in WATCHED_JOBS:
        return
    failure = "\n".join(step_failures(context.instance, run.run_id)) or (
        context.failure_event.message or "run failed"
    )
    text = alert_text(run.job_name, run.run_id, failure)
    logger.error(text)
    context.log.error(text)
    url = load_settings().alert_webhook_url
    if url:
        try:
            post_alert(url, text)
        # the alert must not fail the sensor: log and go on (ValueError, InvalidURL: a
        # malformed URL; other HTTPExceptions: a broken answer)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            message = delivery_failure(url, exc)
            logger.error(message)
            context.log.error(message)
