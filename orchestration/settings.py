"""Every setting of the warehouse, resolved in one place (operations.md, "Configuration").

Assets, resources, the CLI and the dbt profile read paths and keys from here, never from
``os.environ`` directly, so a reader can see every knob in one file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
ENGINES = ("duckdb", "spark")  # dbt targets of dbt_project/profiles.yml (docs/spark.md)


class MissingPiiKey(RuntimeError):
    """Raised when a build would load personal data without the key that hashes it."""


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_dir: Path
    publish_dir: Path
    dagster_home: Path
    pii_key: str | None
    duckdb_threads: int
    duckdb_memory_limit: str
    publications_kept: int
    alert_webhook_url: str | None
    engine: str = "duckdb"

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"TTHC_ENGINE must be one of {', '.join(ENGINES)}, not {self.engine!r}")

    @property
    def warehouse_db(self) -> Path:
        """The working DuckDB file that dbt builds (never read by BI)."""
        return self.warehouse_dir / "tthc.duckdb"

    @property
    def spark_warehouse_dir(self) -> Path:
        """Where the spark target writes its tables, as Parquet folders
        ``<schema>.db/<table>/`` (profiles.yml's spark.sql.warehouse.dir)."""
        return self.warehouse_dir / "spark-warehouse"

    @property
    def dbt_target_dir(self) -> Path:
        return self.warehouse_dir / "dbt_target"

    def require_pii_key(self) -> bytes:
        if not self.pii_key:
            raise MissingPiiKey(
                "TTHC_PII_KEY is not set: the build hashes citizen IDs into applicant_key "
                "and will not load personal data without the key. Set TTHC_PII_KEY (a long "
                "random secret, kept out of the repository), or run `make demo`, which "
                "writes one to data/.pii_key."
            )
        return self.pii_key.encode("utf-8")

    def duckdb_config(self) -> dict[str, object]:
        """DuckDB limits for the connections opened in Python (publish step): the same
        TTHC_DUCKDB_THREADS / TTHC_DUCKDB_MEMORY_LIMIT as dbt's profile."""
        return {"threads": self.duckdb_threads, "memory_limit": self.duckdb_memory_limit}

    def dbt_env(self) -> dict[str, str]:
        """Environment for dbt: profiles.yml reads the engine (its target), the warehouse path
        and DuckDB limits."""
        return {
            "TTHC_ENGINE": self.engine,
            "TTHC_WAREHOUSE_DIR": str(self.warehouse_dir),
            "TTHC_DUCKDB_THREADS": str(self.duckdb_threads),
            "TTHC_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
        }


def _path(name: str, default: str) -> Path:
    value = os.environ.get(name) or default
    path = Path(value).expanduser()
    # absolute, but links are NOT resolved: TTHC_PUBLISH_DIR is itself a link to the
    # current publication, and resolving it would publish into that publication
    return Path(os.path.abspath(path))


def load_settings() -> Settings:
    """Resolve the configuration from the environment, with the defaults of operations.md.

    Relative paths are taken from the current directory and made absolute, because dbt runs
    in dbt_project/ and must find the same warehouse.
    """
    return Settings(
        landing_dir=_path("TTHC_LANDING_DIR", "data/landing"),
        warehouse_dir=_path("TTHC_WAREHOUSE_DIR", "data/warehouse"),
        publish_dir=_path("TTHC_PUBLISH_DIR", "data/published"),
        dagster_home=_path("DAGSTER_HOME", ".dagster_home"),
        pii_key=os.environ.get("TTHC_PII_KEY") or None,
        duckdb_threads=int(os.environ.get("TTHC_DUCKDB_THREADS", "2")),
        duckdb_memory_limit=os.environ.get("TTHC_DUCKDB_MEMORY_LIMIT", "3GB"),
        publications_kept=int(os.environ.get("TTHC_PUBLICATIONS_KEPT", "30")),
        alert_webhook_url=os.environ.get("TTHC_ALERT_WEBHOOK_URL") or None,
        engine=(os.environ.get("TTHC_ENGINE") or "duckdb").strip().lower(),
    )
