"""The landing zone as external assets: files that upstream systems drop (sources.md).

Dagster does not produce them; declaring them makes the UI's lineage start where the data
does, at the files, and lets the sensor report which landing folder changed.
"""

import dagster as dg

landing_dossier_system = dg.AssetSpec(
    key=["landing", "dossier_system"],
    group_name="landing",
    description="Daily change extracts of the provincial dossier system: "
    "dossier_system/YYYY-MM-DD/hoso_YYYYMMDD.jsonl[.gz] (sources.md §1). Holds personal data.",
    kinds={"json"},
    owners=["team:data-engineering"],
)
landing_dvc_portal = dg.AssetSpec(
    key=["landing", "dvc_portal"],
    group_name="landing",
    description="Monthly files of the national public service portal (Cổng DVCQG): the 766 "
    "report (xlsx or csv) and the synced-dossier list (sources.md §2).",
    kinds={"excel", "csv"},
    owners=["team:data-engineering"],
)
landing_vneid = dg.AssetSpec(
    key=["landing", "vneid"],
    group_name="landing",
    description="Weekly VNeID e-identification counts per commune (sources.md §3).",
    kinds={"csv"},
    owners=["team:data-engineering"],
)
landing_reference = dg.AssetSpec(
    key=["landing", "reference"],
    group_name="landing",
    description="Reference files: agencies, administrative units, procedures, publication "
    "decisions, the working calendar and KPI targets (sources.md §4).",
    kinds={"csv"},
    owners=["team:data-engineering"],
)

LANDING_ASSETS = [landing_dossier_system, landing_dvc_portal, landing_vneid, landing_reference]
