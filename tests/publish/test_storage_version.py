"""The published DuckDB file opens with the DuckDB that BI tools bundle (marts.md, issue 18):
its storage version is pinned (publish/publication.py, PUBLISHED_STORAGE_VERSION), so that a
DuckDB upgrade of the warehouse never locks an older driver out. DuckDB 1.1.3 runs in its own
environment (`make bi-client`), as a BI tool's driver would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from publish.publication import MANIFEST, MARTS_DB

BI_PYTHON = Path(__file__).resolve().parents[2] / ".venv-bi-client" / "bin" / "python"

READ_EVERY_MART = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute(
    "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
).fetchall()
counts = {name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0] for (name,) in tables}
print(json.dumps({"version": duckdb.__version__, "counts": counts}))
"""


def test_a_publication_opens_with_duckdb_1_1(sample_build):
    # `make test` installs it; a run without it must not pass silently
    assert BI_PYTHON.exists(), f"{BI_PYTHON} is missing: `make bi-client` installs DuckDB 1.1.3 there"
    root, _, _ = sample_build
    published = (root / "published").resolve()
    result = subprocess.run(
        [str(BI_PYTHON), "-c", READ_EVERY_MART, str(published / MARTS_DB)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    read = json.loads(result.stdout)
    assert read["version"] == "1.1.3"
    manifest = json.loads((published / MANIFEST).read_text(encoding="utf-8"))
    # every mart, every row, as the publication says
    assert read["counts"] == manifest["row_counts"]
