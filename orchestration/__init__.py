"""Dagster definitions of the warehouse: assets, checks, jobs, schedules, sensors, the CLI."""

import warnings

# Single-run backfills of dynamic partitions (BackfillPolicy) are "beta" in Dagster 1.13;
# they are what lets the catch-up load a year of days in one run. Silence that notice only.
warnings.filterwarnings("ignore", message=".*backfill_policy.*")
