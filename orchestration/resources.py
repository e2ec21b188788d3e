"""Resources: the warehouse's settings and dbt, built from Settings in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from functools import cached_property
from pathlib import Path
from typing import get_type_hints

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
        config = {item.name: getattr(settings, item.name) for item in fields(Settings)}
        for name in PATH_FIELDS:
            config[name] = str(config[name])
        for name, variable in SECRET_VARIABLES.items():
            config[name] = secret(variable, config[name])
        config["as_of"] = settings.as_of.isoformat() if settings.as_of else ""
        undeclared = sorted(config.keys() - cls.model_fields.keys())
        if undeclared:  # Dagster would drop them without a word
            raise TypeError(f"WarehouseResource declares no field for {', '.join(undeclared)}")
        return cls(**config)

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[WarehouseResource]:
        """In a run, hold the warehouse's build lock for the whole run (the daemon launches
        each run in a process of its own; `tthc build` already holds it, and the lock is
        re-entrant in one process). A second writer fails at once, naming the lock: DuckDB
        allows one writer per file. Outside a run (a sensor) nothing is locked."""
        if context.run is None:
            yield self
            return
        from orchestration.catch_up import exclusive_build

        with exclusive_build(self.settings):
            yield self

    @property
    def settings(self) -> Settings:
        """The settings of the run; the secrets are read from the environment (by Dagster
        at the run's start, or here on a resource used outside a run)."""
        values = {item.name: getattr(self, item.name) for item in fields(Settings)}
        for name in PATH_FIELDS:
            values[name] = Path(values[name])
        for name in SECRET_VARIABLES:
            values[name] = resolved(values[name])
        values["as_of"] = parse_as_of(self.as_of)
        return Settings(**values)


# The resource's config holds every Settings field, converted to what Dagster's config takes
# and shows (strings, numbers): a field added to Settings must be declared on the resource
# too, or the definitions fail to load (from_settings).
PATH_FIELDS = tuple(name for name, kind in get_type_hints(Settings).items() if kind is Path)
SECRET_VARIABLES = {"pii_key": PII_KEY_VAR, "alert_webhook_url": ALERT_WEBHOOK_VAR}


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
    """Both resources from the one Settings. dbt gets the engine as its target here, and the
    rest of what it reads as `--vars` from the run's settings (Settings.dbt_vars, passed by
    the build step): nothing is handed to dbt through os.environ."""
    return {
        "warehouse": WarehouseResource.from_settings(settings),
        "dbt": ProjectDbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(DBT_PROJECT_DIR),
            dbt_executable=dbt_executable(),
            target=settings.engine,  # TTHC_ENGINE: duckdb or spark (profiles.yml)
            # the build log is plain text: dbt's colour codes would fill it with escapes
            global_config_flags=["--no-use-colors"],
        ),
    }
