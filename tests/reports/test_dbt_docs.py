"""dbt docs of the sample build's warehouse, as one static page in reports/dbt_docs/."""

from __future__ import annotations

import shutil

from publish.reports import write_dbt_docs


def test_dbt_docs_static_page(sample_build, tmp_path):
    root, _, _ = sample_build
    warehouse = tmp_path / "warehouse"  # a copy: dbt opens the file for writing
    warehouse.mkdir()
    shutil.copyfile(root / "warehouse" / "tthc.duckdb", warehouse / "tthc.duckdb")
    page = write_dbt_docs(tmp_path / "publication", warehouse)
    assert page == tmp_path / "publication" / "reports" / "dbt_docs" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "bieu_06" in text and "kpi_values" in text
