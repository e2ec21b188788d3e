import dagster as dg

from orchestration.jobs import nightly_build

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_0200",
    job=nightly_build,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 Vietnam time, after the source systems' exports.",
)
