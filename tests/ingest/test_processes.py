"""Spawned worker processes start from any main module (ingest/common/processes.py)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os
from ingest.common.processes import spawn_pool
with spawn_pool(1) as pool:
    child = pool.submit(os.getpid).result()
print("child", child != os.getpid())
"""


def test_spawn_pool_from_a_command_line_main_and_from_stdin():
    # `python -c` has no main file and `python -` a main file named <stdin>: a plain spawn
    # re-runs neither and the child dies (BrokenProcessPool)
    run = {"capture_output": True, "text": True, "timeout": 120}
    by_command = subprocess.run([sys.executable, "-c", SCRIPT], check=False, **run)
    by_stdin = subprocess.run([sys.executable, "-"], input=SCRIPT, check=False, **run)
    assert by_command.stdout.strip() == "child True", by_command.stderr[-2000:]
    assert by_stdin.stdout.strip() == "child True", by_stdin.stderr[-2000:]
