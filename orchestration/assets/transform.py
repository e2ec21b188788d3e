"""dbt models as Dagster assets: staging, intermediate and marts (dbt_project/)."""


import fcntl
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration import dbt_increment
from orchestration.resources import WarehouseResource, dbt_executable
from orchestration.settings import DBT_PROJECT_DIR
from orchestration.timings import timed

MANIFEST_TARGET = DBT_PROJECT_DIR / "target"
LAYERS = ("staging", "intermediate", "marts")


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than any project file.

    The asset graph is read from the manifest at load time; a stale manifest would show the
    UI a graph that `dbt build` no longer builds. Parsing takes a few seconds and needs no
    warehouse (the warehouse path only has to be set).
    """
    manifest = MANIFEST_TARGET / "manifest.json"
    newest_source = max(
        path.stat().st_mtime
        for path in DBT_PROJECT_DIR.rglob("*")
        if path.is_file() and path.suffix in {".sql", ".yml", ".yaml", ".csv"}
        and "target" not in path.relative_to(DBT_PROJECT_DIR).parts
        and "logs" not in path.relative_to(DBT_PROJECT_DIR).parts
    )
    if manifest.exists() and manifest.stat().st_mtime >= newest_source:
        return manifest
    MANIFEST_TARGET.mkdir(parents=True, exist_ok=True)
    # several processes may load the definitions at once (the UI, a build, parallel tests):
    # one parses, the others wait and then find the manifest fresh
    with open(MANIFEST_TARGET / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if manifest.exists() and manifest.stat().st_mtime >= newest_source:
            return manifest
        env = {**os.environ, "TTHC_WAREHOUSE_DIR": os.environ.get("TTHC_WAREHOUSE_DIR", "/tmp")}
        subprocess.run(
            [dbt_executable(), "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(MANIFEST_TARGET)],
            check=True, env=env, cwd=DBT_PROJECT_DIR,
        )  # fmt: skip
    return manifest


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


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, target_path=MANIFEST_TARGET)
translator = LayeredTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=True,
        # The six reference files are six dbt sources loaded by one ingest asset.
        enable_duplicate_source_asset_keys=True,
    )
)
MANIFEST_PATH = ensure_manifest()


def published_marts() -> list[str]:
    """The models under models/marts/: exactly what the publish step copies to BI."""
    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and model_layer(node) == "marts"
    )


@dbt_assets(
    manifest=MANIFEST_PATH,
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="dbt_models",
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build`: every model, then its tests, in dependency order (tests become checks).

    A failing test of severity error fails this step, so nothing downstream (the publish
    step) runs; the publish step reads the latest result of every check again on its own.
    """
    os.environ.update(warehouse.settings.dbt_env())  # profiles.yml reads these
    warehouse.settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    # artifacts and logs beside the warehouse, not in the source tree; a fixed folder keeps
    # dbt's partial parsing between runs
    # a night recomputes only the dossiers of the new days (orchestration/dbt_increment.py)
    increment = dbt_increment.plan(warehouse.settings)
    os.environ.update(increment.dbt_env(warehouse.settings))
    context.log.info(increment.describe())
    with timed(warehouse.settings.warehouse_dir, "dbt", context.run_id,
               increment="full" if increment.full_refresh else len(increment.changed_days)):  # fmt: skip
        invocation = dbt.cli(
            ["build", *increment.cli_args()], context=context, target_path=warehouse.settings.dbt_target_dir
        )
        yield from invocation.stream()
    # reached only when dbt succeeded; a subset (one model from the UI) did not bring every
    # incremental model up to date, so the next build recomputes those days again
    if not context.is_subset:
        dbt_increment.save(warehouse.settings, increment)
