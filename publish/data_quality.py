"""The `data_quality` mart (marts.md): what the checks of the publishing run found.

Built by the publish step, not by dbt, because it reports on dbt's own tests: one row per
check evaluation of the run, per quarantine reason and file, per rejected file, and per
completeness gap (a day without an accepted dossier extract, a month without a portal
report or synced list, a week without a VNeID snapshot). It carries counts, codes, file
paths and messages only, never a value from a row.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl

from publish.gate import QUARANTINE_BLOCKING_SHARE

SCHEMA = pl.Schema(
    {
        "run_id": pl.String,
        "checked_at": pl.Datetime("us"),
        "source": pl.String,
        "object": pl.String,
        "check_name": pl.String,
        "severity": pl.String,
        "passed": pl.Boolean,
        "failing_rows": pl.Int64,
        "details": pl.String,
    }
)

SOURCE_OF_TABLE = {
    "dossier_versions": "dossier_system",
    "portal_766": "dvc_portal",
    "portal_synced": "dvc_portal",
    "vneid_counts": "vneid",
}


@dataclass(frozen=True)
class CheckRow:
    source: str
    object: str
    check_name: str
    severity: str  # error | warn
    passed: bool
    failing_rows: int | None = None
    details: str | None = None


def check_rows(outcomes) -> list[CheckRow]:
    """Rows for the asset-check evaluations of the run (publish.gate.CheckOutcome)."""
    rows = []
    for outcome in outcomes:
        asset, _, check = outcome.name.rpartition(":")
        rows.append(
            CheckRow(
                source="dbt" if asset.split("/")[0] in ("staging", "intermediate", "marts") else "dagster",
                object=asset,
                check_name=check,
                severity="error" if outcome.blocking else "warn",
                passed=outcome.passed,
                failing_rows=outcome.failing_rows,
                details=outcome.details or None,
            )
        )
    return rows


def load_rows(records: list[dict]) -> list[CheckRow]:
    """Rows for rejected files and for each quarantine reason of each file."""
    rows = []
    for record in records:
        source = SOURCE_OF_TABLE.get(record["table"], "reference")
        where = record.get("file") or f"{record['table']}/{record.get('partition_key')}"
        if record.get("rejected"):
            rows.append(CheckRow(source, where, "rejected_file", "warn", False, None, record["rejected"]))
            continue
        total_row = record.get("checks", {}).get("total_row")
        if total_row is not None and not total_row.get("passed", True):
            rows.append(CheckRow(source, where, "total_row_matches", "warn", False, None,
                                 _short(total_row.get("details"))))  # fmt: skip
        read = record["rows_read"]
        blocking = bool(read) and record["rows_quarantined"] / read > QUARANTINE_BLOCKING_SHARE
        for reason, count in sorted(record.get("quarantine_reasons", {}).items()):
            rows.append(
                CheckRow(
                    source, where, f"quarantine:{reason}", "error" if blocking else "warn",
                    False, count, f"{count} of {read} rows of the file",
                )
            )  # fmt: skip
    return rows


def _short(details) -> str:
    text = details if isinstance(details, str) else json.dumps(details, ensure_ascii=False)
    return f"Tổng cộng differs from the sum of agency rows: {text}"[:1000]


def landing_rows(rejections) -> list[CheckRow]:
    """Files of the landing zone that belong to no partition (bad folder names, unexpected
    files, links): rejected without a load, so no load record tells of them."""
    return [
        CheckRow(r.path.split("/")[0], r.path, "rejected_file", "warn", False, None, r.message)
        for r in rejections
        if r.table is None
    ]


def completeness_rows(records: list[dict]) -> list[CheckRow]:
    """Gaps between the first and the last delivery of each source."""
    accepted: dict[str, set[str]] = {}
    for record in records:
        if record.get("partition_key") and not record.get("rejected"):
            accepted.setdefault(record["table"], set()).add(record["partition_key"])
    rows = []
    days = sorted(date.fromisoformat(d) for d in accepted.get("dossier_versions", ()))
    if days:
        present = set(days)
        day = days[0]
        while day <= days[-1]:
            if day not in present:
                rows.append(CheckRow("dossier_system", f"dossier_system/{day.isoformat()}",
                                     "missing_day", "warn", False, None,
                                     f"no accepted dossier extract for {day.isoformat()}"))  # fmt: skip
            day += timedelta(days=1)
    months = sorted(accepted.get("portal_766", set()) | accepted.get("portal_synced", set()))
    if months:
        for month in _month_range(months[0], months[-1]):
            for table, what in (("portal_766", "766 report"), ("portal_synced", "synced-dossier list")):
                if month not in accepted.get(table, set()):
                    rows.append(CheckRow("dvc_portal", f"dvc_portal/{month}", f"missing_month:{table}",
                                         "warn", False, None, f"no accepted {what} for {month}"))  # fmt: skip
    snapshots = sorted(date.fromisoformat(d) for d in accepted.get("vneid_counts", ()))
    for before, after in itertools.pairwise(snapshots):
        if (after - before).days > 7:
            rows.append(CheckRow("vneid", f"vneid/{before.isoformat()}..{after.isoformat()}",
                                 "missing_week", "warn", False, None,
                                 f"{(after - before).days} days between VNeID snapshots {before} and {after}"))  # fmt: skip
    return rows


def data_quality_frame(run_id: str, checked_at: datetime, rows: list[CheckRow]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"run_id": run_id, "checked_at": checked_at.replace(tzinfo=None), **row.__dict__}
            for row in rows
        ],
        schema=SCHEMA,
    )


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
