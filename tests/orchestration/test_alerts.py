"""A failed or blocked run's alert reaches the configured webhook (a local HTTP server)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import dagster as dg

from orchestration.alerts import alert_on_failure


class Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []
    authorization: ClassVar[list[str | None]] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Recorder.received.append(json.loads(self.rfile.read(length)))
        Recorder.authorization.append(self.headers.get("Authorization"))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@dg.op
def publish_gate():
    raise dg.Failure(
        description="Publication held back: blocking checks failed:\n"
        "- raw/dossier_versions:quarantine_within_5pct"
    )


@dg.job(name="build_marts")
def blocked_build():
    publish_gate()


def test_blocked_run_alert_arrives_at_the_webhook(monkeypatch, tmp_path):
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.received.clear()
    Recorder.authorization.clear()
    # credentials in the URL, as some chat hooks are given: sent as basic authentication
    url = f"http://alert-user:s3cr3t-token@127.0.0.1:{server.server_port}/hook"
    monkeypatch.setenv("TTHC_ALERT_WEBHOOK_URL", url)
    try:
        with dg.instance_for_test() as instance:
            result = blocked_build.execute_in_process(instance=instance, raise_on_error=False)
            assert not result.success
            failure = result.get_run_failure_event()
            context = dg.build_run_status_sensor_context(
                sensor_name="alert_on_failure",
                dagster_instance=instance,
                dagster_run=result.dagster_run,
                dagster_event=failure,
            ).for_run_failure()
            alert_on_failure(context)
    finally:
        server.shutdown()
    assert len(Recorder.received) == 1
    text = Recorder.received[0]["text"]
    assert f"run {result.run_id[:8]} of build_marts failed" in text
    assert "last publication is unchanged" in text
    assert "raw/dossier_versions:quarantine_within_5pct" in text  # what failed
    assert Recorder.authorization == ["Basic YWxlcnQtdXNlcjpzM2NyM3QtdG9rZW4="]
