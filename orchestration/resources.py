"""Resources: the warehouse's settings and dbt, built from Settings in one place."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.settings import (
    ALERT_WEBHOOK_VAR,
    DBT_PROJECT_DIR,
    PII_KEY_VAR,
    PROJECT_ROOT,
    Settings,
    parse_as_of,
)


class WarehouseResource(dg.ConfigurableResource):
    """Where the landing zone, the working warehouse and the publication live.

    Holds no database connection: DuckDB allows one writer per file, and a connection kept
    open by a long-lived process (the UI, a sensor) would block the next build.

    The secrets (``pii_key``, ``alert_webhook_url``) are given as ``dg.EnvVar``: Dagster
    keeps the variable's name in the run's config snapshot and shows it in the UI, and reads
    the value from the environment of the run's process when it starts. A resolved string
    here would be written in clear to DAGSTER_HOME/history/runs.db with every run.
    """

    landing_dir: str
    warehouse_dir: str
    publish_dir: str
    dagster_home: str
    pii_key: str | None = None
    duckdb_threads: int = 2
    duckdb_memory_limit: str = "3GB"
    publications_kept: int = 30
    alert_webhook_url: str | None = None
    engine: str = "duckdb"
    as_of: str = ""  # ISO date; empty = today
    settle_seconds: float = 60.0
    max_unpacked_bytes: int = 4 * 1024**3

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            landing_dir=str(settings.landing_dir),
            warehouse_dir=str(settings.warehouse_dir),
            publish_dir=str(settings.publish_dir),
            dagster_home=str(settings.dagster_home),
            pii_key=secret(PII_KEY_VAR, settings.pii_key),
            duckdb_threads=settings.duckdb_threads,
            duckdb_memory_limit=settings.duckdb_memory_limit,
            publications_kept=settings.publications_kept,
            alert_webhook_url=secret(ALERT_WEBHOOK_VAR, settings.alert_webhook_url),
            engine=settings.engine,
            as_of=settings.as_of.isoformat() if settings.as_of else "",
            settle_seconds=settings.settle_seconds,
            max_unpacked_bytes=settings.max_unpacked_bytes,
        )

    @property
    def settings(self) -> Settings:
        """The settings of the run; the secrets are read from the environment (by Dagster
        at the run's start, or here on a resource used outside a run)."""
        return Settings(
            landing_dir=Path(self.landing_dir),
            warehouse_dir=Path(self.warehouse_dir),
            publish_dir=Path(self.publish_dir),
            dagster_home=Path(self.dagster_home),
            pii_key=resolved(self.pii_key),
            duckdb_threads=self.duckdb_threads,
            duckdb_memory_limit=self.duckdb_memory_limit,
            publications_kept=self.publications_kept,
            alert_webhook_url=resolved(self.alert_webhook_url),
            engine=self.engine,
            as_of=parse_as_of(self.as_of),
            settle_seconds=self.settle_seconds,
            max_unpacked_bytes=self.max_unpacked_bytes,
        )


def secret(variable: str, value: str | None) -> dg.EnvVar | None:
    """The resource value of a secret: its variable's name when it is set, None otherwise.

    An unset ``EnvVar`` fails every run at its start, before any step, even in an optional
    field (dagster/_config/source.py), and the UI (and its sensors) must work without the
    key: so a secret absent where the definitions load is None, and a step that needs the
    key stops with Settings.require_pii_key's message. ``value`` is only tested, never used:
    the run reads ``variable`` again in its own process.
    """
    return dg.EnvVar(variable) if value else None


def resolved(value: str | None) -> str | None:
    """A secret's value: an ``EnvVar`` is a str whose text is the variable's NAME, so it is
    read, never used as the value itself."""
    return value.get_value() if isinstance(value, dg.EnvVar) else value


class ProjectDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, without its `dbt --version` probe.

    dagster-dbt runs `dbt --version` once per process to learn the version, and that command
    asks the package index for the latest release: 11 s of a 55 s build step here (and a
    hang where the index is unreachable). dbt-core is installed in this very environment
    from uv.lock, so its version is known without a subprocess.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)


def dbt_executable() -> str:
    """dbt from the project's own virtual environment, so PATH does not matter."""
    candidate = PROJECT_ROOT / ".venv" / "bin" / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def build_resources(settings: Settings) -> dict:
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "dbt": ProjectDbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(DBT_PROJECT_DIR),
            dbt_executable=dbt_executable(),
            target=settings.engine,  # TTHC_ENGINE: duckdb or spark (profiles.yml)
        ),
    }
