"""The `data_quality` mart (marts.md): what the checks behind the publication found.

Built by the publish step, not by dbt, because it reports on dbt's own tests: one row per
check that the publication depends on (the latest evaluation of each, whatever run made
it), per quarantine reason and file, per rejected file, per completeness gap (a day without
an accepted dossier extract, a month without a portal report or synced list, a week without
a VNeID snapshot) and per source's freshness at TTHC_AS_OF. It carries counts, codes, file
paths and messages only, never a value from a row.
"""

from __future__ import annotations

import calendar
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from publish.descriptions import MartDescription

if TYPE_CHECKING:  # annotations only: orchestration/ imports publish/, never the reverse
    from orchestration.load_records import LoadRecord

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

# data_quality is written here, not by dbt: its descriptions live beside its schema (the
# dbt marts' are in their YAML; publish/descriptions.py).
DESCRIPTION = MartDescription(
    "Chất lượng dữ liệu của lần công bố: kết quả mới nhất của mọi kiểm tra, dòng bị cách ly theo "
    "lý do và tệp, tệp bị từ chối, khoảng trống dữ liệu, độ mới của từng nguồn. — What the checks "
    "behind this publication found: the latest result of every check, quarantined rows per reason "
    "and file, rejected files, completeness gaps and each source's freshness.",
    {
        "run_id": "Lần chạy Dagster đã công bố. — The Dagster run that published.",
        "checked_at": "Thời điểm kiểm tra (giờ Việt Nam). — When the gate checked (Vietnam time).",
        "source": "Nguồn: dossier_system, dvc_portal, vneid, reference, dbt hoặc dagster. — The source or the checking layer.",
        "object": "Đối tượng được kiểm tra: tài sản, tệp hoặc phân vùng. — What was checked: an asset, a file or a partition.",
        "check_name": "Tên kiểm tra hoặc lý do cách ly (mã). — The check's name or the quarantine reason (a code).",
        "severity": "error: chặn công bố; warn: cảnh báo. — error blocks the publication; warn does not.",
        "passed": "Đạt hay không. — Whether it passed.",
        "failing_rows": "Số dòng không đạt (nếu có). — Rows that failed, where counted.",
        "details": "Diễn giải: đếm, mã, đường dẫn tệp; không bao giờ là giá trị của một dòng. — Counts, codes, paths; never a row's value.",
    },
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
    """Rows for the asset checks the publication depends on (publish.gate.CheckOutcome)."""
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


def load_rows(records: list[LoadRecord]) -> list[CheckRow]:
    """Rows for rejected files and for each quarantine reason of each file."""
    rows = []
    for record in records:
        source = SOURCE_OF_TABLE.get(record.table, "reference")
        where = record.where
        if record.rejected:
            rows.append(CheckRow(source, where, "rejected_file", "warn", False, None, record.rejected))
            continue
        if record.rejected_redelivery:
            # the re-delivery is refused; the accepted delivery below stays in force
            rows.append(CheckRow(source, rejected_redelivery_file(record), "rejected_file", "warn",
                                 False, None, record.rejected_redelivery))  # fmt: skip
        total_row = record.checks.get("total_row")
        if total_row is not None and not total_row.get("passed", True):
            rows.append(CheckRow(source, where, "total_row_matches", "warn", False, None,
                                 _short(total_row.get("details"))))  # fmt: skip
        severity = "error" if record.over_quarantine_limit else "warn"
        for reason, count in sorted(record.quarantine_reasons.items()):
            rows.append(
                CheckRow(
                    source, where, f"quarantine:{reason}", severity,
                    False, count, f"{count} of {record.rows_read} rows of the file",
                )
            )  # fmt: skip
    return rows


# reorganisation.md: a receiving desk (MaDonViTiepNhan) unknown to don_vi.csv is a warning
# with its count per file, never a quarantine. dbt computes it from the current reference at
# every build (so a corrected don_vi.csv clears it without reloading an extract); the dbt
# test of the same name shows the total in the UI and in the check rows above.
UNKNOWN_RECEIVING_AGENCY = "unknown_receiving_agency"
UNKNOWN_RECEIVING_AGENCIES_TABLE = "intermediate.int_dossiers__unknown_receiving_agencies"


def unknown_receiving_agency_rows(files: Iterable[tuple[str, int, str | None]]) -> list[CheckRow]:
    """One warning row per dossier extract: (file, dossier versions, unknown codes) as
    ``read_unknown_receiving_agencies`` returns them."""
    return [
        CheckRow(
            "dossier_system", file, UNKNOWN_RECEIVING_AGENCY, "warn", False, int(count),
            f"{count} dossier version(s) of the file name a receiving desk (MaDonViTiepNhan) "
            f"unknown to don_vi.csv: {codes}; loaded and counted under their handling agency "
            "(MaCoQuan)",
        )
        for file, count, codes in sorted(files)
    ]  # fmt: skip


def read_unknown_receiving_agencies(con) -> list[tuple[str, int, str | None]]:
    """The per-file counts dbt built (int_dossiers__unknown_receiving_agencies), read on an
    open DuckDB connection to the working warehouse; none when the model was never built
    (no dbt build yet, or the Spark engine, whose intermediate tables stay in Spark)."""
    try:
        return con.execute(
            f"select source_file, dossier_versions, unknown_codes from {UNKNOWN_RECEIVING_AGENCIES_TABLE}"
        ).fetchall()
    except duckdb.CatalogException:
        return []


def _short(details) -> str:
    text = details if isinstance(details, str) else json.dumps(details, ensure_ascii=False)
    return f"Tổng cộng differs from the sum of agency rows: {text}"[:1000]


def rejected_redelivery_file(record: LoadRecord) -> str:
    """The file(s) of a refused re-delivery, as its message names them."""
    return record.rejected_redelivery.split(": rejected:", 1)[0]


def pending_rows(pending: list[str]) -> list[CheckRow]:
    """Files still being uploaded at the scan (changed less than TTHC_SETTLE_SECONDS
    before it): left for the next build, never loaded in part."""
    return [
        CheckRow(path.split("/")[0], path, "pending_file", "warn", False, None,
                 f"{path}: still being uploaded (changed less than TTHC_SETTLE_SECONDS before "
                 "the build); left for the next build")
        for path in pending
    ]  # fmt: skip


def landing_rows(rejections) -> list[CheckRow]:
    """Files of the landing zone that belong to no partition (bad folder names, unexpected
    files, links): rejected without a load, so no load record tells of them."""
    return [
        CheckRow(r.path.split("/")[0], r.path, "rejected_file", "warn", False, None, r.message)
        for r in rejections
        if r.table is None
    ]


def completeness_rows(records: list[LoadRecord]) -> list[CheckRow]:
    """Gaps between the first and the last delivery of each source."""
    accepted: dict[str, set[str]] = {}
    for record in records:
        if record.partition_key and not record.rejected:
            accepted.setdefault(record.table, set()).add(record.partition_key)
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


# sources.md, "Freshness": how old the latest partition of a source may be at TTHC_AS_OF.
MAX_AGE_DAYS = {"dossier_system": 2, "dvc_portal": 40, "vneid": 8}
CADENCE = {
    "dossier_system": "a dossier extract every day",
    "dvc_portal": "a portal report and synced list every month",
    "vneid": "a VNeID snapshot every week",
}


@dataclass(frozen=True)
class Freshness:
    source: str
    latest: str | None  # the latest accepted partition key (a day, or a month YYYY-MM)
    covers_through: date | None  # the last day that partition covers
    age_days: int | None  # as_of - covers_through
    as_of: date

    @property
    def stale(self) -> bool:
        return self.age_days is None or self.age_days > MAX_AGE_DAYS[self.source]

    def details(self) -> str:
        allowed = f"{CADENCE[self.source]} is expected, at most {MAX_AGE_DAYS[self.source]} days old"
        if self.latest is None:
            return f"no accepted partition delivered; {allowed}"
        through = f" (through {self.covers_through})" if len(self.latest) == 7 else ""
        return (
            f"latest partition {self.latest}{through} is {self.age_days} "
            f"day{'' if abs(self.age_days) == 1 else 's'} old at "
            f"{self.as_of} (TTHC_AS_OF); {allowed}"
        )


def freshness(source: str, partition_keys: Iterable[str], as_of: date) -> Freshness:
    """How old a source's latest partition is at ``as_of``.

    A day partition (dossier extract, VNeID snapshot) covers its own day. A month partition
    (portal) covers the whole month, so it is judged from the month's last day: June's
    report, delivered in early July, is 1 day old on 1 July and 40 days old on 9 August,
    when July's report is due.
    """
    keys = sorted(partition_keys)
    if not keys:
        return Freshness(source, None, None, None, as_of)
    latest = keys[-1]
    if len(latest) == 7:  # YYYY-MM
        year, month = int(latest[:4]), int(latest[5:7])
        through = date(year, month, calendar.monthrange(year, month)[1])
    else:
        through = date.fromisoformat(latest)
    return Freshness(source, latest, through, (as_of - through).days, as_of)


def accepted_partitions(records: list[LoadRecord], tables: Iterable[str]) -> set[str]:
    """Partition keys with an accepted delivery (a rejected file brings no data)."""
    tables = set(tables)
    return {r.partition_key for r in records if r.table in tables and r.partition_key and not r.rejected}


def freshness_rows(records: list[LoadRecord], as_of: date) -> list[CheckRow]:
    """One `stale_source` row per source: its latest partition and its age; failing (a
    warning, never blocking) when older than the source's cadence allows."""
    rows = []
    for source in MAX_AGE_DAYS:
        tables = [t for t, s in SOURCE_OF_TABLE.items() if s == source]
        fresh = freshness(source, accepted_partitions(records, tables), as_of)
        rows.append(
            CheckRow(source, f"{source}/{fresh.latest}" if fresh.latest else source,
                     "stale_source", "warn", not fresh.stale, None, fresh.details())
        )  # fmt: skip
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
