"""Alerts: a failed or blocked run posts a short message to a webhook, and logs it.

The message says what failed and where to look; it carries job, run id and check names,
never data values. The URL comes from TTHC_ALERT_WEBHOOK_URL (a chat or incident hook);
without it the alert is only logged.
"""

from __future__ import annotations

import json
import logging
import urllib.request

import dagster as dg

from orchestration.settings import load_settings

logger = logging.getLogger("tthc.alerts")
WATCHED_JOBS = ("nightly_build", "build_marts", "load_reference", "load_dossier_days",
                "load_portal_months", "load_vneid_snapshots")  # fmt: skip


def alert_text(job_name: str, run_id: str, failure: str) -> str:
    first_lines = "\n".join(failure.strip().splitlines()[:8])
    return (
        f"TTHC warehouse: run {run_id[:8]} of {job_name} failed; the last publication is "
        f"unchanged.\n{first_lines}\nSee the run in the Dagster UI (Runs → {run_id})."
    )


def post_alert(url: str, text: str, timeout: float = 10.0) -> int:
    body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status


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
        except OSError as exc:  # the alert must not fail the sensor: log and go on
            context.log.error(f"could not post the alert to the webhook: {exc}")
