"""Great Expectations in a worker process, imported before it is needed.

Importing GX costs ~3 s of one core (~10 s where its bytecode is not written), more than
validating a night's batch (~0.5 s). A build that will load files calls ``prewarm()`` first
thing: a worker process starts importing GX on
the second core while the build process loads its definitions, scans the landing zone and
reads the new files; the validations then run in that worker (``validate_files``). Without
a worker (a step run alone from the UI), or if it died, they run in the calling process.

The worker reads the raw Parquet files itself, in groups of at most ``UNION_ROWS`` rows, so
neither process ever holds a year of batches at once (a province-year is 2.5M rows).
"""

from __future__ import annotations

import atexit
import logging
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ingest.common.processes import make_main_module_safe, spawn_pool

log = logging.getLogger(__name__)
_pool: ProcessPoolExecutor | None = None


def prewarm() -> None:
    """Start the worker (once per process) and have it import GX now."""
    global _pool
    if _pool is not None:
        return
    _pool = spawn_pool(max_workers=1)
    _pool.submit(_import_gx)
    atexit.register(shutdown)


def shutdown() -> None:
    """Stop the worker (its memory goes back before dbt runs); a later call starts anew."""
    global _pool
    if _pool is not None:
        # still importing GX when nothing needed validating: stop it rather than wait
        processes = list((getattr(_pool, "_processes", None) or {}).values())
        _pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
            process.join(timeout=10)
        _pool = None


def validate_files(table: str, paths: dict[str, Path]) -> dict[str, dict]:
    """Per-batch summaries (as ``validate_batch`` gives) of the raw Parquet files ``paths``
    (batch key -> file), in the worker when there is one."""
    if _pool is not None:
        try:
            return _pool.submit(_validate_files, table, paths).result()
        except BrokenProcessPool:
            log.warning("the validation worker died; validating in this process")
            shutdown()
    return _validate_files(table, paths)


def _import_gx() -> None:
    make_main_module_safe()
    import great_expectations  # noqa: F401


def _validate_files(table: str, paths: dict[str, Path]) -> dict[str, dict]:
    import polars as pl

    from expectations.validate import UNION_ROWS, validate_batches

    rows = {key: pl.scan_parquet(path).select(pl.len()).collect().item() for key, path in paths.items()}
    out: dict[str, dict] = {}
    group: list[str] = []
    for key in list(paths) + [None]:
        if group and (key is None or sum(rows[k] for k in group) + rows[key] > UNION_ROWS):
            out.update(validate_batches(table, {k: pl.read_parquet(paths[k]) for k in group}))
            group = []
        if key is not None:
            group.append(key)
    return out
