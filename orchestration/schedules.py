"""The nightly build of the marts and the publication.

The schedule starts ``build_marts`` itself, an asset job: its run shows in the UI the dbt
models it materialized, their tests and the freshness checks, and publishes behind the gate.
Every night, new files or not, so that freshness is judged each day and the publication's
``data_through`` says how current it is. Loading the files is the landing sensor's work
(orchestration/sensors.py): a Dagster schedule starts runs of one job only, and the loads are
four jobs over three partitions definitions. When both fire together the daemon's queue runs
one at a time, oldest first, so the sensor's loads come before a later build of the marts.
"""

import dagster as dg

from orchestration.catch_up import TRIGGER_TAG
from orchestration.jobs import build_marts

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_0200",
    job=build_marts,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    tags={TRIGGER_TAG: "nightly_0200"},
    description="Every night at 02:00 Vietnam time, after the source systems' exports: "
    "rebuild the marts from what is loaded, judge freshness, publish.",
)
