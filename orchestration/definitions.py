"""The one Definitions object of the warehouse (loaded by workspace.yaml and `tthc build`)."""

import dagster as dg

from orchestration.alerts import alert_on_failure
from orchestration.assets.landing import LANDING_ASSETS
from orchestration.assets.publish import publication
from orchestration.assets.raw import RAW_ASSETS
from orchestration.assets.transform import dbt_models
from orchestration.checks.freshness import FRESHNESS_CHECKS
from orchestration.jobs import JOBS
from orchestration.resources import build_resources
from orchestration.schedules import nightly_schedule
from orchestration.sensors import landing_sensor
from orchestration.settings import Settings, load_settings


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=[*LANDING_ASSETS, *RAW_ASSETS, dbt_models, publication],
        asset_checks=FRESHNESS_CHECKS,
        jobs=JOBS,
        schedules=[nightly_schedule],
        sensors=[landing_sensor, alert_on_failure],
        resources=build_resources(settings),
    )


defs = build_definitions(load_settings())
