"""`tthc build`: the catch-up's run requests executed in this process, one after another.

The same plan and the same run requests as the landing sensor's (orchestration/catch_up.py),
so a build from the terminal leaves in the UI the same runs, assets and checks as one the
daemon launched. Only the way they run differs: no daemon is needed, the build lock is held
for the whole catch-up, and the first failed run stops the rest (the daemon's queue would go
on to build the marts, and the publish gate would hold them back).
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import uuid
from dataclasses import dataclass, field

import dagster as dg

from orchestration.catch_up import BUILD_MARTS, Plan, exclusive_build, plan_catch_up
from orchestration.dbt_increment import FULL_REFRESH_TAG
from orchestration.progress import BuildProgress
from orchestration.settings import Settings

TRIGGER = "tthc_build"


@dataclass
class BuildOutcome:
    success: bool
    plan: Plan | None = None
    runs: list[tuple[str, str, bool]] = field(default_factory=list)  # job, run id, success
    failures: list[str] = field(default_factory=list)


def run_build(
    settings: Settings,
    instance: dg.DagsterInstance,
    defs: dg.Definitions,
    log_level: str = "INFO",
    progress: BuildProgress | None = None,
    full_refresh: bool = False,
) -> BuildOutcome:
    """Plan the catch-up and execute its run requests in this process, in order.

    ``full_refresh`` tags the build_marts run so that dbt rebuilds every incremental model
    whole (orchestration/dbt_increment.py), as `tthc build --full-refresh` asks."""
    from orchestration.failures import describe_failures

    settings.require_pii_key()  # fail before any work, with the clear message
    with exclusive_build(settings):
        plan = plan_catch_up(settings, instance)
        if any(planned.job_name != BUILD_MARTS for planned in plan.runs):
            from expectations.worker import prewarm

            prewarm()  # files to check: GX imports in a worker while they load
        for request in plan.partition_requests():
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        plan_id = f"{TRIGGER}-{hashlib.sha256(str(time.time_ns()).encode()).hexdigest()[:12]}"
        outcome = BuildOutcome(success=True, plan=plan)
        requests = plan.run_requests(TRIGGER, plan_id)
        for position, (planned, request) in enumerate(zip(plan.runs, requests, strict=True), start=1):
            tags = dict(request.tags)
            if planned.job_name == BUILD_MARTS:
                from expectations.worker import shutdown

                shutdown()  # every file is checked: free the GX worker's memory for dbt
                if full_refresh:
                    tags[FULL_REFRESH_TAG] = "true"
            run_id = str(uuid.uuid4())  # known before the run starts, for the progress line
            watching = (
                progress.watch(f"[{position}/{len(plan.runs)}] {planned.describe()}", run_id)
                if progress is not None
                else contextlib.nullcontext()
            )
            with watching:
                result = defs.resolve_job_def(request.job_name).execute_in_process(
                    instance=instance,
                    tags=tags,
                    run_id=run_id,
                    run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
                    raise_on_error=False,
                )
            outcome.runs.append((planned.job_name, result.run_id, result.success))
            if not result.success:
                outcome.success = False
                outcome.failures = describe_failures(result)
                break
        return outcome
