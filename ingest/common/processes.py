"""Worker processes that start the same way whatever the main module is.

Two places hand work to other processes: the Great Expectations worker
(expectations/worker.py) and the Biểu 06 workbook writers (publish/reports/bieu_06_xlsx.py).
Both use the `spawn` start method: the build process runs threads (Dagster, polars) that
`fork` would copy mid-flight. A spawned child re-runs the parent's main module unless that
module is named `__main__`; a main read from stdin or given with `-c` has no file to re-run,
and the child would die. ``spawn_pool`` gives such a main module a `__main__` spec first,
which also keeps pyspark (imported by GX when installed) from exiting: its `sql.connect`
calls sys.exit(0) at import when the main module has neither __spec__ nor __file__.
"""

from __future__ import annotations

import importlib.machinery
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor


def make_main_module_safe() -> None:
    """Give a main module without a spec and without a real file the spec `__main__`."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        return
    path = getattr(main, "__file__", None)
    if path is None or not os.path.isfile(path):
        main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)


def spawn_pool(max_workers: int) -> ProcessPoolExecutor:
    make_main_module_safe()
    return ProcessPoolExecutor(max_workers=max_workers, mp_context=multiprocessing.get_context("spawn"))
