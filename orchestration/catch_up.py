"""The catch-up plan: which runs bring the warehouse up to date with the landing zone.

The plan is a pure function of the landing zone and the load records (which files changed
since they were last loaded). It is made into run requests of the asset jobs of
orchestration/jobs.py, in this order:

1. ``load_reference``   the reference files (every later rule checks codes against them);
2. ``load_dossier_days``, ``load_portal_months``, ``load_vneid_snapshots``: one run each for
   the range of partitions that holds every stale one (unchanged partitions inside the range
   are skipped by the asset, at the cost of a hash);
3. ``build_marts``      dbt build (models and tests) and the publish step behind its gate.

Who asks for them: the landing sensor (orchestration/sensors.py) returns them when files
land, and the daemon's queue runs them one at a time; `tthc build` runs the same requests in
its own process (orchestration/local_build.py). Every run that writes the warehouse holds
its build lock (``exclusive_build``, taken by the warehouse resource): DuckDB allows one
writer per file.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dagster as dg
import yaml

from ingest import pii, raw_layer
from ingest.landing import LandingInventory, ScanRules, scan_landing
from ingest.second_chance import REFERENCE_OF_REASON
from orchestration.load_records import (
    read_all_records,
    read_partition_record,
    read_reference_records,
)
from orchestration.partitions import PARTITIONS_BY_TABLE
from orchestration.settings import DBT_PROJECT_DIR, Settings
from publish.exclusive import held_exclusively

# The asset jobs of orchestration/jobs.py that a plan runs, in this order.
LOAD_REFERENCE = "load_reference"
PARTITIONED_JOBS = {  # partitions definition -> the job loading a range of its partitions
    "dossier_days": "load_dossier_days",
    "portal_months": "load_portal_months",
    "vneid_snapshots": "load_vneid_snapshots",
}
BUILD_MARTS = "build_marts"
WAREHOUSE_JOBS = (LOAD_REFERENCE, *PARTITIONED_JOBS.values(), BUILD_MARTS)


LANDING_HASHES_FILE = "landing_hashes.json"


@functools.cache
def working_calendar() -> tuple[dt.date, dt.date]:
    """The first and last day of dbt's working-day calendar (dbt_project.yml's vars): a
    dossier day outside it would get no working-day count at all."""
    variables = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    return (
        dt.date.fromisoformat(variables["calendar_start_date"]),
        dt.date.fromisoformat(variables["calendar_end_date"]),
    )


def scan_rules(settings: Settings) -> ScanRules:
    """Settled files only; folder dates within the working calendar and not after TTHC_AS_OF."""
    first, last = working_calendar()
    return ScanRules(
        settle_seconds=settings.settle_seconds,
        first_date=first,
        last_date=min(last, settings.as_of_date),
    )


def scan(settings: Settings, with_sha256: bool = True) -> LandingInventory:
    """The landing zone with the sha256 of every file; the hashes of unchanged files are
    kept in the warehouse between builds (ingest/landing.py), so only new files are read."""
    return scan_landing(
        settings.landing_dir,
        with_sha256=with_sha256,
        hash_cache=settings.warehouse_dir / LANDING_HASHES_FILE if with_sha256 else None,
        rules=scan_rules(settings),
    )


def reference_fingerprint(inventory: LandingInventory) -> str:
    """One hash over the reference files that door rules depend on (codes of procedures,
    agencies and administrative units): a change gives their quarantined rows a second chance."""
    digest = hashlib.sha256()
    for name in sorted(set(REFERENCE_OF_REASON.values())):
        landed = inventory.reference.get(name)
        digest.update(f"{name}={landed.fingerprint if landed else '-'};".encode())
    return digest.hexdigest()


def partition_keys(inventory: LandingInventory, table: str) -> set[str]:
    """Partitions a source delivered: accepted files and ambiguous deliveries of a partition
    (loaded too, so that the rejection is recorded beside the last accepted delivery)."""
    keys = set(inventory.files(table))
    keys |= {r.partition_key for r in inventory.rejections if r.table == table and r.partition_key}
    return keys


def delivery_fingerprint(inventory: LandingInventory, table: str, key: str) -> str:
    landed = inventory.files(table).get(key)
    if landed is not None:
        return landed.fingerprint
    messages = sorted(r.message for r in inventory.rejections_for(table, key))
    return "rejected:" + hashlib.sha256("\n".join(messages).encode()).hexdigest()


def unfinished_load_runs(
    instance: dg.DagsterInstance, warehouse_dir, current_run_id: str | None = None
) -> frozenset[str]:
    """Runs that wrote load records but did not succeed (killed, crashed).

    Such a run may have saved a partition's record and died before its door checks
    reported; the gate, which reads the latest result of every blocking check, would then
    hold the publication back for a check that never ran. Their partitions are loaded again.
    A run the instance does not know (a new DAGSTER_HOME) is not counted: no check of it is
    waiting either.
    """
    run_ids = {r.run_id for r in read_all_records(warehouse_dir) if r.run_id}
    run_ids.discard(current_run_id)
    if not run_ids:
        return frozenset()
    known = instance.get_run_records(filters=dg.RunsFilter(run_ids=sorted(run_ids)))
    return frozenset(
        record.dagster_run.run_id for record in known
        if record.dagster_run.status != dg.DagsterRunStatus.SUCCESS
    )  # fmt: skip


def is_stale(
    settings: Settings,
    inventory: LandingInventory,
    table: str,
    key: str,
    unfinished_runs: frozenset[str] = frozenset(),
) -> bool:
    """Whether a partition must be (re)loaded: never loaded, its delivery changed, its raw
    file is missing, its load run did not finish, or it holds rows quarantined for a code
    the reference now may know."""
    record = read_partition_record(settings.warehouse_dir, table, key)
    if record is None:
        return True
    if record.run_id in unfinished_runs:
        return True
    if record.delivery_fingerprint != delivery_fingerprint(inventory, table, key):
        return True
    if not record.rejected and not raw_layer.partition_path(
        settings.warehouse_dir, table, key
    ).exists():
        return True
    # applicant_key depends on TTHC_PII_KEY: a new key reloads every day (never a mix)
    if (
        table == "dossier_versions"
        and settings.pii_key
        and not record.rejected
        and record.pii_key_id != pii.key_id(settings.pii_key.encode("utf-8"))
    ):
        return True
    if record.retry:  # the load failed unexpectedly (not a verdict on the file)
        return True
    if any(r in record.quarantine_reasons for r in REFERENCE_OF_REASON):
        return record.reference_fingerprint != reference_fingerprint(inventory)
    return False


def reference_is_stale(settings: Settings, inventory: LandingInventory) -> bool:
    """Whether any reference file changed (or appeared, or vanished) since its last load."""
    records = {r.table: r for r in read_reference_records(settings.warehouse_dir)}
    if set(records) != set(inventory.reference) or not records:
        return True
    for name, landed in inventory.reference.items():
        if records[name].delivery_fingerprint != landed.fingerprint:
            return True
        if not records[name].rejected and not raw_layer.reference_path(settings.warehouse_dir, name).exists():
            return True
    return False


@dataclass(frozen=True)
class PlannedRun:
    """One run of an asset job: the reference, a range of one source's partitions, or the
    marts and the publication."""

    job_name: str
    partition_range: tuple[str, str] | None = None  # (first, last) in the partitions' order
    stale_keys: tuple[str, ...] = ()

    def tags(self) -> dict[str, str]:
        if self.partition_range is None:
            return {}
        return {
            "dagster/asset_partition_range_start": self.partition_range[0],
            "dagster/asset_partition_range_end": self.partition_range[1],
        }

    def describe(self) -> str:
        if self.partition_range is None:
            return self.job_name
        first, last = self.partition_range
        scope = first if first == last else f"{first}..{last}"
        return f"{self.job_name} {scope} ({len(self.stale_keys)} to load)"


@dataclass
class Plan:
    runs: list[PlannedRun] = field(default_factory=list)
    new_partitions: dict[str, list[str]] = field(default_factory=dict)

    @property
    def stale_partitions(self) -> int:
        return sum(len(r.stale_keys) for r in self.runs)

    def partition_requests(self) -> list[dg.AddDynamicPartitionsRequest]:
        """The partitions the landing zone added: they must exist before a run targets them."""
        return [
            dg.AddDynamicPartitionsRequest(partitions_def_name=name, partition_keys=keys)
            for name, keys in sorted(self.new_partitions.items())
            if keys
        ]

    def run_requests(
        self, trigger: str, plan_id: str, extra_tags: dict[str, str] | None = None
    ) -> list[dg.RunRequest]:
        """The plan as run requests of the asset jobs, in the order they must run.

        The instance runs one at a time, oldest first (dagster.yaml: ``max_concurrent_runs:
        1``), so the loads end before the marts are built. ``plan_id`` names the plan (the
        sensor: a hash of the files it saw) and makes each request's run key, so a tick that
        is evaluated twice does not start the runs twice.
        """
        return [
            dg.RunRequest(
                job_name=planned.job_name,
                run_key=f"{plan_id}:{position}:{planned.job_name}",
                tags={**planned.tags(), **(extra_tags or {}), TRIGGER_TAG: trigger, PLAN_TAG: plan_id},
            )
            for position, planned in enumerate(self.runs)
        ]


TRIGGER_TAG = "tthc/trigger"  # landing_sensor, nightly_0200 or tthc_build
PLAN_TAG = "tthc/plan"  # the runs of one catch-up share it


def make_plan(
    settings: Settings,
    inventory: LandingInventory,
    known_partitions: dict[str, list[str]],
    unfinished_runs: frozenset[str] = frozenset(),
) -> Plan:
    """Pure: which runs bring the warehouse up to date.

    ``known_partitions`` maps each partitions definition to its keys in the instance, in
    their order; keys the landing zone adds are appended (sorted) in ``new_partitions``.
    """
    plan = Plan()
    if reference_is_stale(settings, inventory):
        plan.runs.append(PlannedRun(LOAD_REFERENCE))
    for partitions_name, job_name in PARTITIONED_JOBS.items():
        tables = [t for t, p in PARTITIONS_BY_TABLE.items() if p.name == partitions_name]
        delivered = set().union(*(partition_keys(inventory, t) for t in tables))
        known = list(known_partitions.get(partitions_name, []))
        new = sorted(delivered - set(known))
        plan.new_partitions[partitions_name] = new
        order = known + new
        stale = sorted(
            {k for t in tables for k in partition_keys(inventory, t) if is_stale(settings, inventory, t, k, unfinished_runs)},
            key=order.index,
        )  # fmt: skip
        if stale:
            plan.runs.append(PlannedRun(job_name, (stale[0], stale[-1]), tuple(stale)))
    plan.runs.append(PlannedRun(BUILD_MARTS))
    return plan


def plan_catch_up(settings: Settings, instance: dg.DagsterInstance) -> Plan:
    """The plan for the warehouse as it is now: the landing zone scanned (hashes of unchanged
    files reused), the partitions the instance knows, the load runs that did not finish."""
    inventory = scan(settings)
    known = {name: list(instance.get_dynamic_partitions(name)) for name in PARTITIONED_JOBS}
    return make_plan(
        settings, inventory, known, unfinished_load_runs(instance, settings.warehouse_dir)
    )


def warehouse_runs_pending(instance: dg.DagsterInstance) -> list[str]:
    """Ids of the runs of the warehouse's jobs that are queued or running: a new plan waits
    for them (their loads would otherwise be planned a second time)."""
    records = instance.get_run_records(filters=dg.RunsFilter(statuses=PENDING_STATUSES))
    return [r.dagster_run.run_id for r in records if r.dagster_run.job_name in WAREHOUSE_JOBS]


PENDING_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


@contextmanager
def exclusive_build(settings: Settings) -> Iterator[None]:
    """Hold the warehouse's build lock, or fail at once naming the holder's lock file."""
    lock_path = settings.warehouse_dir / ".build.lock"
    refusal = BuildInProgress(
        f"another build is writing the warehouse (lock {lock_path}); "
        "runs are serialized: try again when it ends"
    )
    with held_exclusively(lock_path, refusal):
        yield


class BuildInProgress(RuntimeError):
    pass
