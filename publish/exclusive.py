"""One holder at a time: an exclusive lock on a file, taken at once or refused.

The build lock (one writer of the warehouse) and the publish lock (one publish step) are
the same mechanism: ``flock``, which the kernel releases when the holder dies, so a killed
run never leaves a lock behind.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def held_exclusively(path: Path, refusal: Exception) -> Iterator[None]:
    """Hold ``path``'s lock for the block; raise ``refusal`` at once when another has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise refusal from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
