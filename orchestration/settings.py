"""Every setting of the warehouse, resolved in one place (operations.md, "Configuration").

Assets, resources, the CLI and the dbt profile read paths and keys from here, never from
``os.environ`` directly, so a reader can see every knob in one file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
ENGINES = ("duckdb", "spark")  # dbt targets of dbt_project/profiles.yml (docs/spark.md)
# The secrets: read from the environment where they are used, and named (dg.EnvVar), never
# written, in Dagster's resource config (orchestration/resources.py)
PII_KEY_VAR = "TTHC_PII_KEY"
ALERT_WEBHOOK_VAR = "TTHC_ALERT_WEBHOOK_URL"


# Every variable the warehouse reads, its default and what it sets: load_settings() takes the
# defaults from here and `tthc --help` lists it (README.md, "Configuration", says more).
ENVIRONMENT: dict[str, tuple[str | None, str]] = {
    "TTHC_LANDING_DIR": ("data/landing", "landing root (sources.md)"),
    "TTHC_WAREHOUSE_DIR": ("data/warehouse", "raw layer, load records, quarantine, working DuckDB, build logs"),
    "TTHC_PUBLISH_DIR": ("data/published", "what BI reads: a link to the current publication"),
    PII_KEY_VAR: (None, "secret key of applicant_key (HMAC-SHA256), at least 32 bytes; required"),
    "TTHC_AS_OF": (None, "date freshness and folder dates are judged at (default: today)"),
    "TTHC_SETTLE_SECONDS": ("60", "a landing file changed more recently is still uploading: left for later"),
    "TTHC_MAX_UNPACKED_BYTES": ("4GiB", "a .gz extract that unpacks to more is rejected"),
    ALERT_WEBHOOK_VAR: (None, "where a failed or held-back run posts its alert (a secret)"),
    "DAGSTER_HOME": (".dagster_home", "Dagster instance: runs, schedules, sensors"),
    "TTHC_DUCKDB_THREADS": ("2", "threads of every DuckDB connection; partitions ingested in parallel"),
    "TTHC_DUCKDB_MEMORY_LIMIT": ("3GB", "DuckDB memory_limit of dbt and the publish step (spills beyond)"),
    "TTHC_PUBLICATIONS_KEPT": ("30", "publications kept for re-reading and rollback"),
    "TTHC_RECON_ABS_TOLERANCE": ("0", "reconciliation: absolute tolerance (read by dbt)"),
    "TTHC_RECON_REL_TOLERANCE": ("0", "reconciliation: relative tolerance (read by dbt)"),
    "TTHC_ENGINE": ("duckdb", "engine dbt builds on: duckdb or spark (docs/spark.md)"),
    "TTHC_SPARK_MASTER": ("local[2]", "spark engine: master URL (read by dbt)"),
    "TTHC_SPARK_DRIVER_MEMORY": ("4g", "spark engine: driver memory (read by dbt)"),
    "TTHC_SPARK_SHUFFLE_PARTITIONS": ("2", "spark engine: shuffle partitions (read by dbt)"),
    "TTHC_SPARK_THREADS": ("4", "spark engine: dbt threads (read by dbt)"),
}


def _env(name: str) -> str | None:
    """The variable's value, or its default when unset or empty."""
    return os.environ.get(name) or ENVIRONMENT[name][0]


class MissingPiiKey(RuntimeError):
    """Raised when a build would load personal data without a usable key to hash it with
    (none, or one shorter than 32 bytes)."""


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    warehouse_dir: Path
    publish_dir: Path
    dagster_home: Path
    # secrets: left out of repr, so that a Settings in a log line or a traceback shows neither
    pii_key: str | None = field(repr=False)
    duckdb_threads: int
    duckdb_memory_limit: str
    publications_kept: int
    alert_webhook_url: str | None = field(repr=False)
    engine: str = "duckdb"
    # TTHC_AS_OF: the date that freshness and folder dates are judged at; None = the day of
    # use (a UI or daemon process lives for weeks: "today" is resolved when it is read)
    as_of: dt.date | None = None
    # a landing file modified less than this many seconds before the scan is still being
    # uploaded: left for the next run, reported as pending (sources.md, "uploads in progress")
    settle_seconds: float = 60.0
    # a compressed file that unpacks to more than this is rejected (sources.md, "bounded memory")
    max_unpacked_bytes: int = 4 * 1024**3

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"TTHC_ENGINE must be one of {', '.join(ENGINES)}, not {self.engine!r}")

    @property
    def as_of_date(self) -> dt.date:
        return self.as_of or dt.date.today()

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
        """The key as bytes; MissingPiiKey, with what to do, when it is unset or too short."""
        from ingest.pii import key_problem  # the rule of a usable key, once

        if not self.pii_key:
            raise MissingPiiKey(
                "TTHC_PII_KEY is not set: the build hashes citizen IDs into applicant_key "
                "and will not load personal data without the key. Set TTHC_PII_KEY (a long "
                "random secret, kept out of the repository), or run `make demo`, which "
                "writes one to data/.pii_key."
            )
        key = self.pii_key.encode("utf-8")
        problem = key_problem(key)
        if problem:
            raise MissingPiiKey(problem)
        return key

    def duckdb_config(self) -> dict[str, object]:
        """DuckDB limits for the connections opened in Python (publish step): the same
        TTHC_DUCKDB_THREADS / TTHC_DUCKDB_MEMORY_LIMIT as dbt's profile."""
        return {"threads": self.duckdb_threads, "memory_limit": self.duckdb_memory_limit}

    @property
    def dbt_changed_days_file(self) -> Path:
        """The days an incremental `dbt build` recomputes (orchestration/dbt_increment.py)."""
        return self.warehouse_dir / "dbt_increment" / "changed_days.csv"

    def dbt_vars(self) -> dict[str, str | int]:
        """What dbt reads of the settings, given as `--vars`: the warehouse (profiles.yml,
        models/staging/sources.yml), the DuckDB limits (profiles.yml) and the changed days
        (macros/incremental_dossiers.sql). The same values every night: a var that changes
        makes dbt parse the whole project again instead of its changed files only."""
        return {
            "warehouse_dir": str(self.warehouse_dir),
            "duckdb_threads": self.duckdb_threads,
            "duckdb_memory_limit": self.duckdb_memory_limit,
            "changed_days_file": str(self.dbt_changed_days_file),
        }


def _path(name: str) -> Path:
    path = Path(_env(name)).expanduser()
    # absolute, but links are NOT resolved: TTHC_PUBLISH_DIR is itself a link to the
    # current publication, and resolving it would publish into that publication
    return Path(os.path.abspath(path))


_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?)(i?B)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes of a size written ``4GiB``, ``512MB``, ``1.5G`` or ``1048576`` (powers of 1024:
    an operator writing 4GB for a limit means the same thing as 4GiB here)."""
    match = _SIZE.match(text or "")
    if not match:
        raise ValueError(f"not a size: {text!r} (write e.g. 4GiB, 512MiB or a number of bytes)")
    number, unit = float(match.group(1)), match.group(2).upper()
    return int(number * 1024 ** (" KMGT".index(unit) if unit else 0))


def parse_as_of(text: str | None) -> dt.date | None:
    """TTHC_AS_OF: an ISO date, or None (today, resolved at use) when unset."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"TTHC_AS_OF must be a date YYYY-MM-DD, not {text!r}") from exc


def load_settings() -> Settings:
    """Resolve the configuration from the environment, with the defaults of operations.md.

    Relative paths are taken from the current directory and made absolute, because dbt runs
    in dbt_project/ and must find the same warehouse.
    """
    return Settings(
        landing_dir=_path("TTHC_LANDING_DIR"),
        warehouse_dir=_path("TTHC_WAREHOUSE_DIR"),
        publish_dir=_path("TTHC_PUBLISH_DIR"),
        dagster_home=_path("DAGSTER_HOME"),
        pii_key=_env(PII_KEY_VAR),
        duckdb_threads=int(_env("TTHC_DUCKDB_THREADS")),
        duckdb_memory_limit=_env("TTHC_DUCKDB_MEMORY_LIMIT"),
        publications_kept=int(_env("TTHC_PUBLICATIONS_KEPT")),
        alert_webhook_url=_env(ALERT_WEBHOOK_VAR),
        engine=_env("TTHC_ENGINE").strip().lower(),
        as_of=parse_as_of(_env("TTHC_AS_OF")),
        settle_seconds=float(_env("TTHC_SETTLE_SECONDS")),
        max_unpacked_bytes=parse_size(_env("TTHC_MAX_UNPACKED_BYTES")),
    )
