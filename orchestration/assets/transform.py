"""dbt models as Dagster assets: staging, intermediate and marts (dbt_project/)."""


from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration import dbt_increment
from orchestration.dbt_manifest import dbt_project, load_manifest
from orchestration.resources import WarehouseResource
from orchestration.timings import timed

LAYERS = ("staging", "intermediate", "marts")


class LayeredTranslator(DagsterDbtTranslator):
    """Asset keys and groups follow the folder of the model: staging/, intermediate/, marts/."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([model_layer(dbt_resource_props), dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] in ("model", "seed"):
            return model_layer(dbt_resource_props)
        return super().get_group_name(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:data-engineering"]


def model_layer(dbt_resource_props: Mapping[str, Any]) -> str:
    # Seeds (dbt_project/seeds/: fixed definitions such as kpi_definitions) are reference
    # data that models read like staging views: the staging group, so that every job
    # selecting the layers loads them before the models that read them.
    if dbt_resource_props.get("resource_type") == "seed":
        return "staging"
    fqn = dbt_resource_props.get("fqn", [])
    return fqn[1] if len(fqn) > 2 and fqn[1] in LAYERS else "models"


# `dagster dev` (make ui) parses the project again at each code load, so an edited model
# shows at once; elsewhere the manifest is parsed before the load (orchestration/dbt_manifest.py)
dbt_project.prepare_if_dev()
translator = LayeredTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # The six reference files are six dbt sources loaded by one ingest asset.
        enable_duplicate_source_asset_keys=True,
    )
)


def published_marts() -> list[str]:
    """The models under models/marts/: exactly what the publish step copies to BI."""
    return sorted(
        node["name"]
        for node in load_manifest()["nodes"].values()
        if node["resource_type"] == "model" and model_layer(node) == "marts"
    )


@dbt_assets(
    manifest=load_manifest(),
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="dbt_models",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build`: every model, then its tests, in dependency order (tests become checks).

    A failing test of severity error fails this step, so nothing downstream (the publish
    step) runs; the publish step reads the latest result of every check again on its own.
    """
    settings = warehouse.settings
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    # a night recomputes only the dossiers of the new days (orchestration/dbt_increment.py)
    increment = dbt_increment.prepare(
        settings, full_refresh=context.run.tags.get(dbt_increment.FULL_REFRESH_TAG) == "true"
    )
    context.log.info(increment.describe())
    with timed(settings.warehouse_dir, "dbt", context.run.run_id,
               increment="full" if increment.full_refresh else len(increment.changed_days)):  # fmt: skip
        # artifacts and logs beside the warehouse, not in the source tree; a fixed folder
        # keeps dbt's partial parsing between runs
        invocation = dbt.cli(
            increment.build_args(settings), context=context, target_path=settings.dbt_target_dir
        )
        yield from invocation.stream()
    # reached only when dbt succeeded; a subset (one model from the UI) did not bring every
    # incremental model up to date, so the next build recomputes those days again
    if not context.is_subset:
        dbt_increment.save(settings, increment)
