"""The landing sensor: the catch-up's runs for whatever new or re-delivered files a tick finds.

When files changed, the tick plans the catch-up (orchestration/catch_up.py) and returns its
run requests, asset jobs over the partitions the files belong to (reference, a range of days,
months or snapshots, then the marts and the publication), with the new partitions added in
the same result. The daemon's queue runs them one at a time, oldest first. While a run of the
warehouse is queued or running, the tick waits (its cursor does not move), so the next plan
sees what those runs loaded and plans nothing twice.

The cursor remembers each landing file's (size, mtime, sha256) as of the last run it asked
for; a file is hashed again only when its size or mtime changed. Uploads in progress are
not looked at: names of ``ingest.landing.is_upload_in_progress``, and files changed less than
TTHC_SETTLE_SECONDS ago, which stay out of the cursor so that a later tick sees them settled. A file is "new" when its
hash differs from the cursor's AND from its last load record, so files that `tthc build`
already loaded never start a run. The sensor opens no database (DuckDB's single-writer lock).
"""


import hashlib
import json
from pathlib import Path

import dagster as dg

from ingest.landing import ScanRules, is_upload_in_progress, sha256_of
from orchestration.catch_up import plan_catch_up, warehouse_runs_pending
from orchestration.jobs import JOBS
from orchestration.load_records import read_partition_record
from orchestration.resources import WarehouseResource

_ROOTS = ("dossier_system", "dvc_portal", "vneid", "reference")


def landing_files(landing_dir: Path, rules: ScanRules | None = None) -> dict[str, tuple[int, int]]:
    """Every settled regular file under the source folders that is not an upload in
    progress: path -> (size, mtime_ns)."""
    rules = rules or ScanRules()
    files = {}
    for root in _ROOTS:
        base = landing_dir / root
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if is_upload_in_progress(path.name) or path.is_symlink() or not path.is_file():
                continue
            stat = path.stat()
            if rules.is_settled(stat):
                files[path.relative_to(landing_dir).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return files


def already_loaded(warehouse_dir: Path, rel_path: str, sha: str) -> bool:
    """Whether the load record of this file's partition was made from this content."""
    from ingest.landing import SOURCES

    parts = rel_path.split("/")
    if len(parts) != 3 or parts[0] not in SOURCES:
        return False
    for kind in SOURCES[parts[0]][1]:
        if kind.pattern.match(parts[2]):
            try:
                record = read_partition_record(warehouse_dir, kind.table, parts[1])
            except ValueError:  # not a valid partition folder: never loaded
                return False
            return record is not None and record.file_sha256 == sha
    return False


@dg.sensor(
    name="landing_sensor",
    jobs=JOBS,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Plans the catch-up when new or re-delivered files land, and asks for its "
    "runs: the loads of their partitions, then the marts and the publication.",
)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    pending = warehouse_runs_pending(context.instance)
    if pending:
        return dg.SkipReason(
            f"{len(pending)} run(s) of the warehouse queued or running; new files wait for them"
        )
    seen: dict[str, list] = json.loads(context.cursor) if context.cursor else {}
    current = landing_files(settings.landing_dir, ScanRules(settle_seconds=settings.settle_seconds))
    cursor: dict[str, list] = {}
    changed: list[str] = []
    for rel, (size, mtime) in sorted(current.items()):
        before = seen.get(rel)
        if before and before[0] == size and before[1] == mtime:
            cursor[rel] = before
            continue
        sha = sha256_of(settings.landing_dir / rel)
        cursor[rel] = [size, mtime, sha]
        if before and before[2] == sha:
            continue  # touched, same content
        if not already_loaded(settings.warehouse_dir, rel, sha):
            changed.append(rel)
    if not changed:
        context.update_cursor(json.dumps(cursor, sort_keys=True))
        return dg.SkipReason("no new or re-delivered landing files")
    plan = plan_catch_up(settings, context.instance)
    plan_id = "landing-" + hashlib.sha256(
        json.dumps({rel: cursor[rel][2] for rel in changed}, sort_keys=True).encode()
    ).hexdigest()[:16]
    requests = plan.run_requests(
        "landing_sensor", plan_id, extra_tags={"tthc/changed_files": str(len(changed))}
    )
    context.update_cursor(json.dumps(cursor, sort_keys=True))
    return dg.SensorResult(run_requests=requests, dynamic_partitions_requests=plan.partition_requests())
