"""Stage timings of a build, appended to ``TTHC_WAREHOUSE_DIR/logs/timings.jsonl``.

One JSON object a line: ``stage`` (ingest, checks, dbt, publish), ``seconds``, ``run_id``,
and optional details (a table, a count). The benchmark (benchmarks/run.py) sums them per
build; an operator can read them to see where a slow night went. Cheap and best-effort:
a failure to write never fails a build.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from pathlib import Path

TIMINGS_FILE = Path("logs") / "timings.jsonl"


def record(warehouse_dir: Path, stage: str, seconds: float, run_id: str | None = None, **details) -> None:
    path = Path(warehouse_dir) / TIMINGS_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        line = {"stage": stage, "seconds": round(seconds, 3), "run_id": run_id, "at": time.time(), **details}
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
    except OSError:
        pass


@contextmanager
def timed(warehouse_dir: Path, stage: str, run_id: str | None = None, **details):
    started = time.perf_counter()
    try:
        yield
    finally:
        record(warehouse_dir, stage, time.perf_counter() - started, run_id, **details)


def read(warehouse_dir: Path) -> list[dict]:
    path = Path(warehouse_dir) / TIMINGS_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
