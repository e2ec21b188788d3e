"""TTHC_ENGINE: the setting, the dbt target it selects, and the generated Spark raw schemas.
(No Spark needed: these run without the spark dependency group.)"""

from __future__ import annotations

import pytest
import yaml

from ingest import spark_ddl
from orchestration.resources import build_resources
from orchestration.settings import DBT_PROJECT_DIR, ENGINES, load_settings


def test_engine_defaults_to_duckdb(monkeypatch):
    monkeypatch.delenv("TTHC_ENGINE", raising=False)
    settings = load_settings()
    assert settings.engine == "duckdb"
    assert build_resources(settings)["dbt"].target == "duckdb"


def test_dbt_gets_the_settings_as_vars(monkeypatch, tmp_path):
    """The engine is the dbt resource's target; what else dbt reads of the settings is
    passed as vars, never through the environment."""
    monkeypatch.setenv("TTHC_WAREHOUSE_DIR", str(tmp_path))
    monkeypatch.setenv("TTHC_DUCKDB_THREADS", "3")
    monkeypatch.setenv("TTHC_DUCKDB_MEMORY_LIMIT", "5GB")
    assert load_settings().dbt_vars() == {
        "warehouse_dir": str(tmp_path),
        "duckdb_threads": 3,
        "duckdb_memory_limit": "5GB",
        "changed_days_file": str(tmp_path / "dbt_increment" / "changed_days.csv"),
    }


def test_spark_engine_selects_the_spark_target(monkeypatch, tmp_path):
    monkeypatch.setenv("TTHC_ENGINE", "Spark")
    monkeypatch.setenv("TTHC_WAREHOUSE_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.engine == "spark"
    assert settings.spark_warehouse_dir == tmp_path / "spark-warehouse"
    resources = build_resources(settings)
    assert resources["dbt"].target == "spark"
    assert resources["warehouse"].settings.engine == "spark"


def test_unknown_engine_is_refused(monkeypatch):
    monkeypatch.setenv("TTHC_ENGINE", "bigquery")
    with pytest.raises(ValueError, match="TTHC_ENGINE"):
        load_settings()


def test_every_engine_is_a_target_of_the_profile():
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    assert set(ENGINES) <= set(profile["tthc"]["outputs"])
    assert profile["tthc"]["outputs"]["spark"]["method"] == "session"


def test_raw_spark_schemas_macro_is_up_to_date():
    """dbt_project/macros/raw_spark_schemas.sql is generated from ingest/raw_layer.py: run
    `.venv/bin/python -m ingest.spark_ddl` after changing a raw schema."""
    assert spark_ddl.MACRO_FILE.read_text(encoding="utf-8") == spark_ddl.render_macro()
