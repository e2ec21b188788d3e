"""Freshness of each raw source, shown on its raw asset (a warning, never blocking).

What matters is the date of the latest partition delivered, at TTHC_AS_OF, not when the
asset was last materialized (a reload of old days is recent and still stale), so Dagster's
freshness checks, which judge materialization times, do not fit. The rule, thresholds and
wording are publish/data_quality.py's, the same as the `stale_source` rows of data_quality.

The checks run in every `build_marts` run (orchestration/jobs.py), held back or not, and in
the load runs of their asset.
"""

from __future__ import annotations

import dagster as dg

from orchestration.load_records import read_all_records
from orchestration.resources import WarehouseResource
from publish.data_quality import SOURCE_OF_TABLE, accepted_partitions, freshness

FRESHNESS = "freshness"


def _freshness_check(table: str) -> dg.AssetChecksDefinition:
    source = SOURCE_OF_TABLE[table]

    @dg.asset_check(
        asset=dg.AssetKey(["raw", table]),
        name=FRESHNESS,
        blocking=False,
        description=(
            f"The latest {table} partition is recent enough at TTHC_AS_OF ({source}: see "
            "sources.md, 'Freshness'); a warning, never blocking."
        ),
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        settings = warehouse.settings
        keys = accepted_partitions(read_all_records(settings.warehouse_dir), [table])
        fresh = freshness(source, keys, settings.as_of_date)
        return dg.AssetCheckResult(
            passed=not fresh.stale,
            severity=dg.AssetCheckSeverity.WARN,
            description=fresh.details(),
            metadata={
                "latest_partition": fresh.latest or "",
                "age_days": fresh.age_days if fresh.age_days is not None else -1,
                "as_of": fresh.as_of.isoformat(),
            },
        )

    return _check


FRESHNESS_CHECKS = [
    _freshness_check(table)
    for table in ("dossier_versions", "portal_766", "portal_synced", "vneid_counts")
]
FRESHNESS_CHECK_KEYS = frozenset(key for check in FRESHNESS_CHECKS for key in check.check_keys)
