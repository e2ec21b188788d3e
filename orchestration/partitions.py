"""Partitions of the landing sources (operations.md, "Orchestration").

Dynamic partitions, keyed by the folder names of the landing zone: a partition exists for
every day, month or snapshot that a source delivered, and only for those. A province's data
does not start on a fixed date, and a day that never arrived is a completeness gap that
`data_quality` reports, not a red square for every day since an arbitrary start date.
The build and the sensor add keys as files arrive (orchestration/catch_up.py).
"""

import dagster as dg

dossier_days = dg.DynamicPartitionsDefinition(name="dossier_days")  # YYYY-MM-DD
portal_months = dg.DynamicPartitionsDefinition(name="portal_months")  # YYYY-MM
vneid_snapshots = dg.DynamicPartitionsDefinition(name="vneid_snapshots")  # YYYY-MM-DD

# Which partitions definition each partitioned raw table uses.
PARTITIONS_BY_TABLE: dict[str, dg.DynamicPartitionsDefinition] = {
    "dossier_versions": dossier_days,
    "portal_766": portal_months,
    "portal_synced": portal_months,
    "vneid_counts": vneid_snapshots,
}
