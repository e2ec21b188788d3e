"""dbt docs of the models that built a publication, as one static page (``dbt docs generate
--static``), written into ``<folder>/reports/dbt_docs/index.html``.

It reads the working warehouse's catalog (column types), so it runs where the warehouse is,
inside the publish step, and takes about 15 s (dbt's start-up and a full parse).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DBT_DOCS_DIR = "dbt_docs"


class DbtDocsFailed(RuntimeError):
    pass


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def write_dbt_docs(folder: Path, warehouse_dir: Path, timeout: int = 300) -> Path:
    """Generate the docs against ``warehouse_dir``/tthc.duckdb; return the index.html path.

    dbt's target and log folders go to a temporary folder, so the project's own target/
    (the manifest Dagster loads) is never touched.
    """
    target = Path(folder) / "reports" / DBT_DOCS_DIR
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tthc_dbt_docs_") as tmp:
        env = {
            **os.environ,
            "TTHC_WAREHOUSE_DIR": str(Path(warehouse_dir).resolve()),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [
            dbt_executable(), "docs", "generate", "--static",
            "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(Path(tmp) / "target"), "--log-path", str(Path(tmp) / "logs"),
        ]
        result = subprocess.run(
            command, env=env, cwd=DBT_PROJECT_DIR, capture_output=True, text=True, timeout=timeout,
            check=False,
        )
        page = Path(tmp) / "target" / "static_index.html"
        if result.returncode != 0 or not page.exists():
            raise DbtDocsFailed(
                f"dbt docs generate failed (exit {result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
            )
        shutil.copyfile(page, target / "index.html")
    return target / "index.html"
