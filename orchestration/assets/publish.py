"""The publish step: audit every check, then release the marts to BI (write, audit, publish)."""


import os
import shutil
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb

from orchestration import catch_up, timings
from orchestration.assets.transform import published_marts
from orchestration.checks.freshness import FRESHNESS_CHECK_KEYS
from orchestration.dbt_manifest import MANIFEST_PATH, load_manifest, manifest_digest
from orchestration.load_records import read_all_records
from orchestration.resources import WarehouseResource
from publish import data_quality, gate
from publish.descriptions import mart_descriptions
from publish.publication import PublishInProgress, import_spark_tables, publish, publish_lock
from publish.reports import write_dbt_docs, write_reports

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MARTS = published_marts()


PUBLICATION_KEY = dg.AssetKey(["publish", "publication"])


def latest_check_outcomes(context: dg.AssetExecutionContext) -> list[gate.CheckOutcome]:
    """The latest evaluation of every asset check of every asset upstream of the publication
    (dbt tests, door checks), whatever run made it: the publish step may run alone, in a run
    of its own, after a build that a failed test held back.

    The graph is the project's Definitions, not the run's: a run of build_marts holds only
    its own assets, and one of the publish asset alone (the UI, ``dg.materialize``) none of
    the upstream ones. The freshness checks are left out: the step judges freshness itself,
    at this moment.
    """
    from orchestration.definitions import defs  # imports this module

    graph = defs.resolve_asset_graph()
    upstream = graph.get_ancestor_asset_keys(PUBLICATION_KEY)
    check_keys = sorted(
        (k for k in graph.get_check_keys_for_assets(upstream) if k not in FRESHNESS_CHECK_KEYS),
        key=lambda k: (k.asset_key.to_user_string(), k.name),
    )
    instance = context.instance
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(check_keys)
    materialized = {
        record.asset_entry.asset_key
        for record in instance.get_asset_records(list(upstream))
        if record.asset_entry.last_materialization_record is not None
    }
    outcomes = []
    for key in check_keys:
        name = f"{key.asset_key.to_user_string()}:{key.name}"
        blocking = graph.get_check_spec(key).blocking
        execution = latest.get(key)
        if _has_result(execution):
            evaluation = execution.evaluation
            outcomes.append(
                gate.CheckOutcome(
                    name=name,
                    passed=evaluation.passed,
                    # the evaluation's severity: a dbt test of severity error that only
                    # reached its warn_if threshold reports WARN
                    blocking=evaluation.severity == dg.AssetCheckSeverity.ERROR,
                    details=str(evaluation.description or ""),
                    failing_rows=_failed_row_count(evaluation.metadata),
                )
            )
            continue
        outcome = gate.unevaluated_outcome(
            name, blocking, execution.run_id if execution is not None else None,
            key.asset_key in materialized,
        )  # fmt: skip
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def _has_result(execution) -> bool:
    """Whether the execution record holds an evaluation, not only the plan to make one."""
    event = execution.event if execution is not None else None
    return (
        event is not None and event.dagster_event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    )


def _failed_row_count(metadata) -> int | None:
    value = (metadata or {}).get("dagster_dbt/failed_row_count")
    return int(value.value) if value is not None and value.value is not None else None


def _as_outcome(row: data_quality.CheckRow) -> gate.CheckOutcome:
    """A freshness row as the gate counts it: a warning when stale, never blocking."""
    return gate.CheckOutcome(f"{row.object}:{row.check_name}", row.passed, False, row.details or "")


def write_data_quality(warehouse_db, frame, duckdb_config: dict | None = None) -> None:
    """Store the run's data_quality rows beside the dbt marts, to be published with them."""
    con = duckdb.connect(str(warehouse_db), config=dict(duckdb_config or {}))
    try:
        con.register("data_quality_rows", frame.to_arrow())
        con.execute("create or replace table marts.data_quality as select * from data_quality_rows")
    finally:
        con.close()


def write_all_reports(folder: Path, manifest: dict, settings) -> None:
    """Dashboard, Biểu 06 workbooks, dossier lists, and the dbt docs of this project version."""
    write_reports(folder, manifest, cache_dir=settings.warehouse_dir / "reports_cache" / "bieu_06")
    cached_dbt_docs(folder, settings.warehouse_dir)


def cached_dbt_docs(folder: Path, warehouse_dir: Path) -> None:
    """dbt docs describe the project (models, columns, types, lineage), which changes with the
    code, not with the nightly data: generate them once per project version (~15 s) and copy.
    The cache sits beside the project's manifest, so every warehouse built from the same
    code shares it."""
    cached = MANIFEST_PATH.parent / "dbt_docs_cache" / f"{manifest_digest()}.html"
    target = folder / "reports" / "dbt_docs" / "index.html"
    if not cached.exists():
        page = write_dbt_docs(folder, warehouse_dir)
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        shutil.copyfile(page, partial)
        os.replace(partial, cached)  # another build may read the cache meanwhile
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)


def data_through(warehouse_db) -> str | None:
    """The latest day of loaded dossier extracts (kpis.md), read from the built warehouse."""
    con = duckdb.connect(str(warehouse_db), read_only=True)
    try:
        # the period containing data_through ends on that day (kpis.md, "Calendar")
        value = con.execute("select max(period_end) from intermediate.int_calendar__periods").fetchone()[0]
    except duckdb.Error:  # no dossier data built yet
        value = None
    finally:
        con.close()
    return value.isoformat() if value else None


@dg.asset(
    key=PUBLICATION_KEY,
    group_name="publish",
    deps=[dg.AssetKey(["marts", mart]) for mart in MARTS],
    kinds={"duckdb", "parquet"},
    owners=["team:data-engineering"],
    description=(
        "The marts as BI reads them: TTHC_PUBLISH_DIR/tthc_marts.duckdb (schema marts), "
        "parquet/<mart>.parquet and publication.json, switched into place atomically. "
        "Runs only when the latest result of every blocking check of every upstream asset "
        "passed and every load record is clean; otherwise nothing in TTHC_PUBLISH_DIR "
        "changes. One publish step at a time (a lock beside TTHC_PUBLISH_DIR)."
    ),
)
def publication(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    started = time.perf_counter()
    try:
        # held from the gate to the switch: a second publish step fails at once
        with publish_lock(warehouse.settings.publish_dir):
            return _publication(context, warehouse)
    except PublishInProgress as exc:
        raise dg.Failure(description=str(exc), allow_retries=False) from exc
    finally:
        timings.record(warehouse.settings.warehouse_dir, "publish", time.perf_counter() - started, context.run.run_id)


def _publication(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    records = read_all_records(settings.warehouse_dir)
    outcomes = latest_check_outcomes(context)
    freshness_rows = data_quality.freshness_rows(records, settings.as_of_date)
    # the same rules as the build's scan: folder dates, settled files (names only, no hash)
    landing = catch_up.scan(settings, with_sha256=False)
    landing_rejections = landing.rejections
    verdict = gate.evaluate(outcomes + [_as_outcome(row) for row in freshness_rows], records)
    if not verdict.may_publish:
        raise dg.Failure(
            description="Publication held back: blocking checks failed:\n- "
            + "\n- ".join(verdict.errors),
            metadata={"failed_checks": dg.MetadataValue.json(verdict.errors)},
            allow_retries=False,
        )
    if settings.engine == "spark":
        # dbt built the marts on Spark (Parquet under spark-warehouse/): bring them, and the
        # calendar that data_through reads, into the working DuckDB that the rest reads
        import_spark_tables(
            settings.spark_warehouse_dir,
            settings.warehouse_db,
            {"marts": MARTS, "intermediate": ["int_calendar__periods"]},
            settings.duckdb_config(),
        )
    checked_at = datetime.now(VIETNAM).replace(microsecond=0)
    # a warning per extract file naming receiving desks that don_vi.csv does not know: from
    # the current reference at every build, so a corrected don_vi.csv clears it
    with duckdb.connect(str(settings.warehouse_db), read_only=True) as con:
        receiving_desks = data_quality.unknown_receiving_agency_rows(
            data_quality.read_unknown_receiving_agencies(con)
        )
    write_data_quality(
        settings.warehouse_db,
        data_quality.data_quality_frame(
            context.run.run_id,
            checked_at,
            data_quality.check_rows(outcomes)
            + data_quality.load_rows(records)
            + data_quality.completeness_rows(records)
            + freshness_rows
            + data_quality.landing_rows(landing_rejections)
            + data_quality.pending_rows(landing.pending)
            + receiving_desks,
        ),
        settings.duckdb_config(),
    )
    manifest = {
        "data_through": data_through(settings.warehouse_db),
        "checks": verdict.summary(),
        "warnings": verdict.warnings,
        "rejected_files": sorted(
            {r.file for r in records if r.rejected and r.file}
            | {data_quality.rejected_redelivery_file(r) for r in records if r.rejected_redelivery}
            | {r.path for r in landing_rejections if r.table is None}
        ),
        "quarantined_rows": {r.file: r.rows_quarantined for r in records if r.file and r.rows_quarantined},
    }
    result = publish(
        warehouse_db=settings.warehouse_db,
        publish_dir=settings.publish_dir,
        marts=[*MARTS, "data_quality"],
        manifest=manifest,
        run_id=context.run.run_id,
        published_at=checked_at,
        keep=warehouse.publications_kept,
        write_extra=lambda folder, full_manifest: write_all_reports(folder, full_manifest, settings),
        duckdb_config=settings.duckdb_config(),
        # written once in the dbt YAML, carried into COMMENTs, Parquet metadata, dictionary.md
        descriptions=mart_descriptions(load_manifest(), MARTS) | {"data_quality": data_quality.DESCRIPTION},
    )
    return dg.MaterializeResult(
        metadata={
            "version": result.version,
            "path": dg.MetadataValue.path(str(settings.publish_dir)),
            "data_through": manifest["data_through"] or "",
            "row_counts": dg.MetadataValue.json(result.manifest["row_counts"]),
            "checks": dg.MetadataValue.json(verdict.summary()),
        }
    )
