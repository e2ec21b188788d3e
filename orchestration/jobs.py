"""Jobs. Every job runs in one process: a step per process costs seconds of start-up each
(a 3-step run took 48 s with the multiprocess executor against 16 s in-process), and the
warehouse has one writer anyway."""

import dagster as dg

from orchestration.checks.freshness import FRESHNESS_CHECKS

load_reference = dg.define_asset_job(
    "load_reference",
    selection=dg.AssetSelection.assets(["raw", "reference"]),
    executor_def=dg.in_process_executor,
    description="Reload the reference files (agencies, units, procedures, calendar, targets).",
)
load_dossier_days = dg.define_asset_job(
    "load_dossier_days",
    selection=dg.AssetSelection.assets(["raw", "dossier_versions"]),
    executor_def=dg.in_process_executor,
    description="Load daily dossier extracts (a day or a range of days).",
)
load_portal_months = dg.define_asset_job(
    "load_portal_months",
    selection=dg.AssetSelection.assets(["raw", "portal_766"], ["raw", "portal_synced"]),
    executor_def=dg.in_process_executor,
    description="Load the national portal's monthly 766 reports and synced-dossier lists.",
)
load_vneid_snapshots = dg.define_asset_job(
    "load_vneid_snapshots",
    selection=dg.AssetSelection.assets(["raw", "vneid_counts"]),
    executor_def=dg.in_process_executor,
    description="Load weekly VNeID snapshots.",
)
build_marts = dg.define_asset_job(
    "build_marts",
    # with the raw sources' freshness: judged at every build, new files or not
    selection=dg.AssetSelection.groups("staging", "intermediate", "marts", "publish")
    | dg.AssetSelection.checks(*FRESHNESS_CHECKS),
    executor_def=dg.in_process_executor,
    description="dbt build (models and tests) and the raw sources' freshness, then publish "
    "if the latest result of every blocking check passed.",
)


@dg.op(
    description="Load every new or re-delivered landing file, rebuild the marts, publish. "
    "Starts the runs of the jobs above, in order, one at a time."
)
def catch_up_op(context: dg.OpExecutionContext) -> None:
    from orchestration.catch_up import run_catch_up
    from orchestration.definitions import defs
    from orchestration.settings import load_settings

    outcome = run_catch_up(
        load_settings(), context.instance, defs, extra_tags={"tthc/parent_run": context.run_id}
    )
    for job_name, run_id, success in outcome.runs:
        context.log.info(f"{job_name}: run {run_id} {'succeeded' if success else 'FAILED'}")
    if not outcome.success:
        raise dg.Failure(
            description="Nightly build did not publish:\n- " + "\n- ".join(outcome.failures)
        )


@dg.job(
    name="nightly_build",
    executor_def=dg.in_process_executor,
    description="The nightly build: what `tthc build` does, as one run that the schedule and "
    "the landing sensor start.",
    # Retry the whole run after a crash of its process (a machine restart), not after a
    # failed step or a blocked publication: those need a person, and the alert says so.
    tags={"dagster/max_retries": "2", "dagster/retry_on_asset_or_op_failure": "false"},
)
def nightly_build():
    catch_up_op()


JOBS = [load_reference, load_dossier_days, load_portal_months, load_vneid_snapshots, build_marts, nightly_build]
