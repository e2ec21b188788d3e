"""What `tthc build` shows while it runs: the run of the plan, the step running, dbt nodes done
of the total, and the time since the build started (operations.md, issue 18).

A run executes in this process (local_build.py) and writes its events to the Dagster instance;
a thread reads them back (one short read a second) instead of hooking into the run, so the
runs are exactly the ones the daemon would execute. On a terminal the line is rewritten in
place; elsewhere (a log, a service) a plain line is printed when the step changes and at every
quarter of the dbt nodes, so the output stays readable text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

import dagster as dg
from sqlalchemy.exc import OperationalError

DBT_STEP = "dbt_models"  # the step of the dbt assets (orchestration/assets/transform.py)
DBT_NODE_EVENTS = {
    dg.DagsterEventType.ASSET_MATERIALIZATION,
    dg.DagsterEventType.ASSET_CHECK_EVALUATION,
}
WATCHED_EVENTS = {dg.DagsterEventType.STEP_START, *DBT_NODE_EVENTS}
POLL_SECONDS = 1.0


def dbt_node_total(manifest: dict) -> int:
    """The dbt nodes that become Dagster events in a whole `dbt build`: every model and seed
    (a materialization) and every data test (an asset check evaluation)."""
    return sum(
        1 for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed", "test")
    )


def fmt_elapsed(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


@dataclass
class RunState:
    label: str  # "[2/3] build_marts"
    run_id: str
    step: str = "starting"
    dbt_done: int = 0
    cursor: str | None = None
    printed: tuple = ()


class BuildProgress:
    def __init__(self, instance: dg.DagsterInstance, terminal: TextIO, dbt_total: int, interactive: bool):
        self.instance = instance
        self.terminal = terminal
        self.dbt_total = dbt_total
        self.interactive = interactive
        self.started = time.monotonic()

    @contextmanager
    def watch(self, label: str, run_id: str) -> Iterator[None]:
        """Show the progress of run ``run_id`` while the block executes it."""
        state = RunState(label, run_id)
        stop = threading.Event()
        thread = threading.Thread(target=self._poll_until, args=(state, stop), daemon=True)
        self._show(state, force=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            self._read(state)
            state.step = "done"
            self._show(state, force=True)
            if self.interactive:
                self.terminal.write("\n")
                self.terminal.flush()

    def _poll_until(self, state: RunState, stop: threading.Event) -> None:
        while not stop.wait(POLL_SECONDS):
            try:
                self._read(state)
            except OperationalError:  # the event log busy ("database is locked"): next second
                continue
            self._show(state)

    def _read(self, state: RunState) -> None:
        while True:
            connection = self.instance.get_records_for_run(
                state.run_id, cursor=state.cursor, of_type=WATCHED_EVENTS, limit=500
            )
            for record in connection.records:
                event = record.event_log_entry.dagster_event
                if event is None:
                    continue
                if event.event_type == dg.DagsterEventType.STEP_START:
                    state.step = event.step_key or state.step
                elif event.step_key == DBT_STEP:
                    state.dbt_done += 1
            state.cursor = connection.cursor
            if not connection.has_more:
                return

    def line(self, state: RunState) -> str:
        parts = [state.label, state.step]
        if state.dbt_done or state.step == DBT_STEP:
            parts.append(f"dbt {state.dbt_done}/{self.dbt_total}")
        parts.append(fmt_elapsed(time.monotonic() - self.started))
        return "  " + " · ".join(parts)

    def _show(self, state: RunState, force: bool = False) -> None:
        quarter = 4 * state.dbt_done // max(self.dbt_total, 1)
        key = (state.step, quarter)
        if self.interactive:
            self.terminal.write("\r\033[K" + self.line(state))
            self.terminal.flush()
        elif force or key != state.printed:
            self.terminal.write(self.line(state) + "\n")
            self.terminal.flush()
        state.printed = key
