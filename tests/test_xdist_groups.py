"""The test suite's own grouping (tests/conftest.py): under `make test`'s two workers, the tests
that read one module-scoped fixture run on one worker, so the fixture is made once. Until the
grouping hook ran `tryfirst`, pytest-xdist ignored the marks it added and every shared build
was silently made on both workers; nothing else would fail if that came back."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

MODULE = '''
import pytest

@pytest.fixture(scope="module")
def expensive():
    return object()

@pytest.mark.parametrize("n", range(8))
def test_reads_the_module_fixture(expensive, n):
    pass

@pytest.mark.parametrize("n", range(8))
def test_reads_nothing(n):
    pass
'''


def test_tests_sharing_a_module_fixture_run_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(MODULE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-c", str(tmp_path / "pytest.ini"),
         "--rootdir", str(tmp_path), "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup",
         "--no-loadscope-reorder", "-v", str(tmp_path / "test_grouped.py")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    placed = re.findall(r"\[(gw\d)\] .*PASSED .*::(test_\w+)\[", result.stdout)
    grouped = {worker for worker, name in placed if name == "test_reads_the_module_fixture"}
    assert len(placed) == 16, result.stdout[-3000:]
    assert len(grouped) == 1, placed  # one worker made the fixture, once
