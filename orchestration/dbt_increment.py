"""Which dossiers a `dbt build` must recompute: the nightly increment (issue 8).

The per-dossier models and ``int_figures__dossier_periods`` are incremental on DuckDB
(dbt_project/macros/incremental_dossiers.sql). Before each `dbt build` the build step calls
``prepare``, which compares the raw layer with the state saved by the last successful full
build:

- only NEW days of dossier extracts since then: an increment. The days are written to
  ``<warehouse>/dbt_increment/changed_days.csv`` (Settings.dbt_changed_days_file), whose
  path dbt receives with the other settings as the var ``changed_days_file``; the models
  recompute the dossiers having a version in those days, from all their versions. (A file
  at a fixed path, not the days themselves as a var: a var that changes every night makes
  dbt re-parse the whole project.)
- anything else that can change rows already built (a day rewritten or removed, a reference
  file changed, the dbt project changed, the engine changed, no state or no warehouse):
  ``--full-refresh``.

``DbtIncrement.build_args`` is the whole `dbt build` command line; ``save`` records the
state once the build has succeeded.

Raw files are compared by (size, mtime): the raw layer writes a partition with a temporary
file and a rename, so a rewrite always shows. The state is saved only after a `dbt build` of
the whole project succeeded; a failed or partial build leaves the old state, and the next
build recomputes those days again (recomputing a dossier twice gives the same rows).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest import raw_layer
from ingest.raw_layer import write_text_atomically
from orchestration.dbt_manifest import project_files
from orchestration.settings import DBT_PROJECT_DIR, Settings

STATE_FILE = "dbt_state.json"
FULL_REFRESH_TAG = "tthc/full_refresh"
"""A build_marts run tagged with it ("true") rebuilds every incremental model whole: what
`tthc build --full-refresh` sets, and what an engineer adds in the UI's launchpad."""
STATE_VERSION = 1
DOSSIER_TABLE = "dossier_versions"


@dataclass(frozen=True)
class DbtIncrement:
    full_refresh: bool
    reason: str
    changed_days: list[str] = field(default_factory=list)
    state: dict = field(default_factory=dict)  # saved once the build succeeds

    def build_args(self, settings: Settings) -> list[str]:
        """`dbt build`, whole or incremental, with the settings as vars (Settings.dbt_vars).
        The engine is not among them: it is the dbt resource's `--target`."""
        refresh = ["--full-refresh"] if self.full_refresh else []
        return ["build", *refresh, "--vars", json.dumps(settings.dbt_vars(), sort_keys=True)]

    def write_changed_days(self, settings: Settings) -> None:
        """The days to recompute, where the models read them (none on a full refresh)."""
        path = settings.dbt_changed_days_file
        path.parent.mkdir(parents=True, exist_ok=True)
        days = [] if self.full_refresh else self.changed_days
        write_text_atomically("day\n" + "".join(f"{day}\n" for day in days), path)

    def describe(self) -> str:
        if self.full_refresh:
            return f"full rebuild of the incremental models: {self.reason}"
        return f"increment: {len(self.changed_days)} new day(s) of dossier extracts ({self.reason})"


def prepare(settings: Settings, full_refresh: bool = False) -> DbtIncrement:
    """Plan the next `dbt build` (whole when ``full_refresh`` is asked for) and write its
    changed days for dbt."""
    increment = plan(settings)
    if full_refresh and not increment.full_refresh:
        increment = DbtIncrement(True, f"asked for ({FULL_REFRESH_TAG})", state=increment.state)
    increment.write_changed_days(settings)
    return increment


def plan(settings: Settings) -> DbtIncrement:
    state = current_state(settings)
    saved = _read_state(settings.warehouse_dir)
    if saved is None:
        return DbtIncrement(True, "no earlier build recorded", state=state)
    if not settings.warehouse_db.exists():
        return DbtIncrement(True, "the warehouse file is new", state=state)
    for part, label in (("version", "state format"), ("engine", "engine"),
                        ("project", "dbt project"), ("reference", "reference files")):  # fmt: skip
        if saved.get(part) != state[part]:
            return DbtIncrement(True, f"the {label} changed since the last build", state=state)
    old_days, new_days = saved.get("days", {}), state["days"]
    rewritten = sorted(day for day, signature in old_days.items() if new_days.get(day) != signature)
    if rewritten:
        return DbtIncrement(
            True, f"{len(rewritten)} day(s) already built were reloaded or removed "
            f"(first {rewritten[0]})", state=state,
        )  # fmt: skip
    added = sorted(set(new_days) - set(old_days))
    return DbtIncrement(False, "nothing else changed", changed_days=added, state=state)


def save(settings: Settings, increment: DbtIncrement) -> None:
    """Record what the last successful full `dbt build` saw."""
    write_text_atomically(
        json.dumps(increment.state, sort_keys=True, indent=1), settings.warehouse_dir / STATE_FILE
    )


def current_state(settings: Settings) -> dict:
    raw = settings.warehouse_dir / "raw"
    return {
        "version": STATE_VERSION,
        "engine": settings.engine,
        "project": project_fingerprint(),
        "reference": _files_signature(sorted((raw / "reference").glob("*/*.parquet"))),
        "days": {
            path.stem: _file_signature(path)
            for path in sorted(raw_layer.raw_dir(settings.warehouse_dir, DOSSIER_TABLE).glob("*.parquet"))
            if path.name != raw_layer.SCHEMA_FILE
        },
    }


def project_fingerprint() -> str:
    """One hash over the dbt project's sources: a changed model rebuilds everything."""
    digest = hashlib.sha256()
    for path in project_files():
        digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _file_signature(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def _files_signature(paths: list[Path]) -> str:
    return hashlib.sha256(
        ";".join(f"{p.parent.name}/{p.name}={_file_signature(p)}" for p in paths).encode()
    ).hexdigest()


def _read_state(warehouse_dir: Path) -> dict | None:
    path = Path(warehouse_dir) / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
