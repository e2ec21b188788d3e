"""The asset jobs that the catch-up's run requests name (orchestration/catch_up.py).

Every job runs in one process: a step per process costs seconds of start-up each (a 3-step
run took 48 s with the multiprocess executor against 16 s in-process), and the warehouse has
one writer anyway. A run whose process crashed (a machine restart) is retried whole; a failed
step or a blocked publication is not: those need a person, and the alert says so. Loads and
builds are idempotent, so running one again is safe.
"""

import dagster as dg

from orchestration.catch_up import BUILD_MARTS, LOAD_REFERENCE, PARTITIONED_JOBS
from orchestration.checks.freshness import FRESHNESS_CHECKS

RETRY_AFTER_CRASH = {"dagster/max_retries": "2", "dagster/retry_on_asset_or_op_failure": "false"}


def _job(name: str, selection: dg.AssetSelection, description: str):
    return dg.define_asset_job(
        name,
        selection=selection,
        executor_def=dg.in_process_executor,
        tags=RETRY_AFTER_CRASH,
        description=description,
    )


load_reference = _job(
    LOAD_REFERENCE,
    dg.AssetSelection.assets(["raw", "reference"]),
    "Reload the reference files (agencies, units, procedures, calendar, targets).",
)
load_dossier_days = _job(
    PARTITIONED_JOBS["dossier_days"],
    dg.AssetSelection.assets(["raw", "dossier_versions"]),
    "Load daily dossier extracts (a day or a range of days).",
)
load_portal_months = _job(
    PARTITIONED_JOBS["portal_months"],
    dg.AssetSelection.assets(["raw", "portal_766"], ["raw", "portal_synced"]),
    "Load the national portal's monthly 766 reports and synced-dossier lists.",
)
load_vneid_snapshots = _job(
    PARTITIONED_JOBS["vneid_snapshots"],
    dg.AssetSelection.assets(["raw", "vneid_counts"]),
    "Load weekly VNeID snapshots.",
)
build_marts = _job(
    BUILD_MARTS,
    # with the raw sources' freshness: judged at every build, new files or not
    dg.AssetSelection.groups("staging", "intermediate", "marts", "publish")
    | dg.AssetSelection.checks(*FRESHNESS_CHECKS),
    "dbt build (models and tests) and the raw sources' freshness, then publish if the latest "
    "result of every blocking check passed.",
)

JOBS = [load_reference, load_dossier_days, load_portal_months, load_vneid_snapshots, build_marts]
