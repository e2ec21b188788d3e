"""One holder at a time: an exclusive lock on a file, taken at once or refused.

The build lock (one writer of the warehouse) and the publish lock (one publish step) are
the same mechanism: ``flock``, which the kernel releases when the holder dies, so a killed
run never leaves a lock behind.

A lock is re-entrant within one process: `tthc build` holds the build lock for its whole
catch-up and runs its jobs in-process, and each run takes the same lock again through the
warehouse resource (orchestration/resources.py), which is what holds it when the daemon
launches the run in a process of its own.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_held: dict[str, int] = {}  # lock path -> depth, in this process
_guard = threading.Lock()


@contextmanager
def held_exclusively(path: Path, refusal: Exception) -> Iterator[None]:
    """Hold ``path``'s lock for the block; raise ``refusal`` at once when another process
    has it. Nested holds in the same process share the first one."""
    key = os.path.abspath(path)
    with _guard:
        if _held.get(key):
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _guard:
                _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise refusal from exc
        with _guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _guard:
                _held.pop(key, None)
            fcntl.flock(handle, fcntl.LOCK_UN)
