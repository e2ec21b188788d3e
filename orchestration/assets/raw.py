"""Raw layer assets: each landing source read, checked at the door and written as Parquet.

One asset per raw table, partitioned like its source. A run may cover a range of partitions
(the nightly catch-up loads all new days in one run); a partition whose landing file is
unchanged since its last load is skipped, so re-running costs nothing and changes nothing.
"""


import os
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dagster as dg

from ingest import pii, raw_layer
from ingest.dossier_system import load_dossier_day
from ingest.dvc_portal import load_report_766, load_synced_list
from ingest.load_result import LoadResult
from ingest.reference import load_reference
from ingest.vneid import load_vneid_snapshot
from orchestration import catch_up, load_records, timings
from orchestration.assets.landing import (
    landing_dossier_system,
    landing_dvc_portal,
    landing_reference,
    landing_vneid,
)
from orchestration.checks.door import door_check_results, door_check_specs
from orchestration.load_records import (
    LoadRecord,
    read_partition_record,
    save_partition_record,
    save_reference_records,
)
from orchestration.partitions import PARTITIONS_BY_TABLE
from orchestration.resources import WarehouseResource
from orchestration.settings import MissingPiiKey, Settings
from orchestration.timings import timed

# A read can fail for a passing reason (a network share that blinks, a file still being
# copied by the upstream system): retry a step twice, a minute apart, before failing.
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=2, delay=60, backoff=dg.Backoff.LINEAR)

FORCE_TAG = "tthc/force_reload"  # "true": reload even files whose content is unchanged

REFERENCE_KEY = dg.AssetKey(["raw", "reference"])


@dg.asset(
    key=REFERENCE_KEY,
    group_name="raw",
    deps=[landing_reference],
    kinds={"polars", "parquet"},
    owners=["team:data-engineering"],
    description="The six reference files (raw/reference/<name>/current.parquet), reloaded "
    "whole: small, and a change anywhere (a new agency code) must reach every model.",
    check_specs=door_check_specs(REFERENCE_KEY),
    retry_policy=TRANSIENT_RETRY,
)
def raw_reference(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    raw_layer.ensure_schema_files(settings.warehouse_dir)
    inventory = catch_up.scan(settings)
    with timed(settings.warehouse_dir, "ingest", context.run.run_id, table="reference"):
        results = load_reference(settings.landing_dir, settings.warehouse_dir)
    records = []
    for result in results:
        landed = inventory.reference.get(result.table)
        records.append(LoadRecord.of(result, delivery_fingerprint=landed.fingerprint if landed else None))
    save_reference_records(settings.warehouse_dir, records)
    frames = {
        r.table: raw_layer.reference_path(settings.warehouse_dir, r.table)
        for r in records
        if not r.rejected
    }
    yield dg.MaterializeResult(
        metadata={
            "rows_loaded": dg.MetadataValue.json({r.table: r.rows_loaded for r in records}),
            "rows_quarantined": sum(r.rows_quarantined for r in records),
            "rejected_files": len([r for r in records if r.rejected]),
        }
    )
    with timed(settings.warehouse_dir, "checks", context.run.run_id, table="reference"):
        gx_summary = _validate_reference(frames)
    yield from door_check_results(REFERENCE_KEY, records, gx_summary)


def _validate_reference(paths: dict[str, Path]) -> dict | None:
    from expectations.worker import validate_files

    summaries = {
        name: validate_files(name, {name: path})[name]
        for name, path in sorted(paths.items())
        if path.exists()
    }
    return summarize_batches(summaries) if summaries else None


Loader = Callable[[Settings, str], object]


def _partitioned_raw_asset(
    table: str, landing: dg.AssetSpec, loader: Loader, description: str, with_total_row=False
) -> dg.AssetsDefinition:
    asset_key = dg.AssetKey(["raw", table])

    @dg.asset(
        key=asset_key,
        group_name="raw",
        partitions_def=PARTITIONS_BY_TABLE[table],
        backfill_policy=dg.BackfillPolicy.single_run(),
        deps=[landing, REFERENCE_KEY],
        kinds={"polars", "parquet"},
        owners=["team:data-engineering"],
        description=description,
        check_specs=door_check_specs(asset_key, with_total_row),
        retry_policy=TRANSIENT_RETRY,
    )
    def _asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        settings = warehouse.settings
        raw_layer.ensure_schema_files(settings.warehouse_dir)
        force = context.run.tags.get(FORCE_TAG) == "true"
        inventory = catch_up.scan(settings)
        loaded, skipped, to_load = [], [], []
        delivered = catch_up.partition_keys(inventory, table)
        unfinished = catch_up.unfinished_load_runs(context.instance, settings.warehouse_dir, context.run.run_id)
        started = time.perf_counter()
        for key in context.partition_keys:
            if key not in delivered:
                # e.g. a month with a 766 report but no synced list yet: a completeness gap
                # (data_quality), not a rejected file
                skipped.append(key)
                continue
            if not force and not (
                catch_up.is_stale(settings, inventory, table, key, unfinished)
                or _companion_missing(settings, table, key)
            ):
                record = read_partition_record(settings.warehouse_dir, table, key)
                if record is not None and record.run_id == context.run.run_id:
                    # loaded by an earlier attempt of this step (a retry): its checks
                    # below must still cover it
                    loaded.append(record)
                else:
                    skipped.append(key)
                continue
            to_load.append(key)
        # Partitions are independent files: load them on TTHC_DUCKDB_THREADS threads (polars
        # releases the GIL; 2 threads load a year of days ~1.5x faster than one on 2 cores).
        # Records are saved in partition order as each load ends.
        with ThreadPoolExecutor(max_workers=max(1, settings.duckdb_threads)) as pool:
            results = pool.map(lambda k: (k, load_one(loader, settings, table, k)), to_load)
            for key, result in results:
                record = LoadRecord.of(
                    result,
                    run_id=context.run.run_id,
                    delivery_fingerprint=catch_up.delivery_fingerprint(inventory, table, key),
                    reference_fingerprint=catch_up.reference_fingerprint(inventory),
                    pii_key_id=pii.key_id(settings.require_pii_key()) if table == "dossier_versions" else None,
                )
                previous = read_partition_record(settings.warehouse_dir, table, key)
                record = load_records.record_in_force(record, previous, settings.warehouse_dir)
                save_partition_record(settings.warehouse_dir, table, key, record)
                loaded.append(record)
        timings.record(settings.warehouse_dir, "ingest", time.perf_counter() - started, context.run.run_id,
                       table=table, partitions=len(loaded))  # fmt: skip
        context.log.info(f"{table}: loaded {len(loaded)} partition(s), {len(skipped)} unchanged")
        yield dg.MaterializeResult(
            metadata={
                "partitions_loaded": len(loaded),
                "partitions_unchanged": len(skipped),
                "rows_loaded": sum(r.rows_loaded for r in loaded),
                "rows_quarantined": sum(r.rows_quarantined for r in loaded),
                "rejected_files": len([r for r in loaded if r.rejected]),
            }
        )
        with timed(settings.warehouse_dir, "checks", context.run.run_id, table=table, batches=len(loaded)):
            gx_summary = _validate_partitions(settings, table, [r for r in loaded if not r.rejected])
        yield from door_check_results(asset_key, loaded, gx_summary, with_total_row)

    return _asset


def load_one(loader: Loader, settings: Settings, table: str, key: str) -> LoadResult:
    """One partition's load; whatever goes wrong with one file never stops the others.

    The loaders reject bad files themselves (sources.md: no file can stop a build). An
    exception that escapes one anyway (a bug, a disk error) becomes a rejection of that file
    naming the error's type only (its text could quote a value from the file), marked for
    a retry at the next build; the traceback is kept in the restricted zone.
    """
    try:
        return loader(settings, key)
    except MissingPiiKey:
        raise  # a setting, not a file: the whole build must stop with its message
    except Exception as exc:  # noqa: BLE001 - any error of one file is that file's rejection
        kept = keep_traceback(settings, table, key)
        landed = catch_up.scan(settings, with_sha256=False).files(table).get(key)
        rel = landed.path if landed else f"{table}/{key}"
        result = LoadResult(table, key, rel)
        result.rejected = (
            f"{rel}: rejected: could not be read ({type(exc).__name__}, details in "
            f"{kept.relative_to(settings.warehouse_dir)}); it is tried again at the next build, "
            "and the last accepted delivery stays in force"
        )
        result.retry = True
        return result


def keep_traceback(settings: Settings, table: str, key: str) -> Path:
    """The traceback of an unexpected load error, kept in the restricted zone (0600): its
    text may quote a value of the file, so it goes neither to the log nor to Dagster."""
    path = raw_layer.quarantine_path(settings.warehouse_dir, table, key).with_suffix(".error.txt")
    raw_layer.make_restricted_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, raw_layer.RESTRICTED_FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(traceback.format_exc())
    return path


def _companion_missing(settings: Settings, table: str, key: str) -> bool:
    """An accepted partition without its companion partitions (raw_layer.COMPANION_TABLES:
    loaded before the companion table existed, e.g. a 766 report without portal_766_totals)
    is loaded again, so that an upgraded warehouse gets them from the unchanged files."""
    record = read_partition_record(settings.warehouse_dir, table, key)
    if record is None or record.rejected:
        return False
    return any(
        not raw_layer.partition_path(settings.warehouse_dir, companion, key).exists()
        for companion in raw_layer.COMPANION_TABLES.get(table, ())
    )


def _validate_partitions(settings: Settings, table: str, records: list[LoadRecord]) -> dict | None:
    """Run the source's GX suite on each batch (partition) loaded in this run.

    Per batch: some expectations hold within one delivery only (one row per agency in a
    month's 766 report), and a failure must name the batch. validate_batches validates the
    union once with each expectation in its per-batch form, and falls back to one
    validation per batch when anything fails.

    The companion tables written by the same loads (raw_layer.COMPANION_TABLES: the 766
    report's Tổng cộng scores) are validated with their own suites in the same check, their
    batches named ``<table>/<partition>``: no raw table escapes the door's checks.
    """
    from expectations.worker import validate_files  # GX itself is imported by the worker

    summaries: dict[str, dict] = {}
    for name in (table, *raw_layer.COMPANION_TABLES.get(table, ())):
        paths = {
            r.partition_key: raw_layer.partition_path(settings.warehouse_dir, name, r.partition_key)
            for r in records
            if r.rows_loaded or name != table
        }
        paths = {key: path for key, path in sorted(paths.items()) if path.exists()}
        if not paths:
            continue
        # one GX validation for many batches, each expectation kept per batch (see
        # validate_batches); ~0.2 s per batch when each batch was validated on its own
        found = validate_files(name, paths)
        summaries |= found if name == table else {f"{name}/{k}": v for k, v in found.items()}
    return summarize_batches(summaries) if summaries else None


def summarize_batches(summaries: dict[str, dict]) -> dict:
    """One summary over many batches: which failed, and each expectation's unexpected rows."""
    failed = sorted(key for key, summary in summaries.items() if not summary["success"])
    totals: dict[str, dict] = {}
    for summary in summaries.values():
        for item in summary.get("expectations", []):
            name = f"{item['type']}({item.get('column') or ''})"
            entry = totals.setdefault(name, {"failed_batches": 0, "unexpected_count": 0})
            entry["failed_batches"] += 0 if item["success"] else 1
            entry["unexpected_count"] += item.get("unexpected_count") or 0
    return {
        "success": not failed,
        "batches": len(summaries),
        "failed_batches": failed,
        "expectations": totals,
    }


raw_dossier_versions = _partitioned_raw_asset(
    "dossier_versions",
    landing_dossier_system,
    lambda s, day: load_dossier_day(
        s.landing_dir,
        s.warehouse_dir,
        day,
        s.require_pii_key(),
        max_unpacked_bytes=s.max_unpacked_bytes,
    ),
    "Versions of dossiers from the daily extracts, one Parquet file per day; personal fields "
    "replaced by applicant_key. Rows breaking sources.md's rules are quarantined with a reason.",
)
raw_portal_766 = _partitioned_raw_asset(
    "portal_766",
    landing_dvc_portal,
    lambda s, month: load_report_766(
        s.landing_dir, s.warehouse_dir, month, max_unpacked_bytes=s.max_unpacked_bytes
    ),
    "Agency rows of the monthly 766 report of the national portal (xlsx or csv), Vietnamese "
    "numbers parsed; the Tổng cộng row checked against their sum, and its Điểm cells (the "
    "province's published scores) written to raw/portal_766_totals/<month> by the same load.",
    with_total_row=True,
)
raw_portal_synced = _partitioned_raw_asset(
    "portal_synced",
    landing_dvc_portal,
    lambda s, month: load_synced_list(
        s.landing_dir, s.warehouse_dir, month, max_unpacked_bytes=s.max_unpacked_bytes
    ),
    "The dossiers that the national portal holds for the month (synced-dossier list).",
)
raw_vneid_counts = _partitioned_raw_asset(
    "vneid_counts",
    landing_vneid,
    lambda s, day: load_vneid_snapshot(
        s.landing_dir, s.warehouse_dir, day, max_unpacked_bytes=s.max_unpacked_bytes
    ),
    "Weekly VNeID counts per commune; rows breaking activated ≤ issued ≤ eligible quarantined.",
)

RAW_ASSETS = [raw_reference, raw_dossier_versions, raw_portal_766, raw_portal_synced, raw_vneid_counts]
