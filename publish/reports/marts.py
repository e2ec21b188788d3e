"""Read-only access to a publication's marts, and the choices every report shares: which period
the headline shows, which district an agency belongs to, which dossiers are overdue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Self

import duckdb
import polars as pl

from publish.publication import MANIFEST, MARTS_DB

BIEU_06_COUNTS = [
    "total",
    "received_online",
    "received_in_person_postal",
    "carried_over",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_overdue",
    "in_progress",
    "in_progress_within_deadline",
    "in_progress_overdue",
]
"""Columns 3..13 of the form, in the form's column order (kpis.md numbers them)."""

FORM_PERIOD_TYPES = ("month", "quarter", "half", "year")
"""The periods Biểu 06 is reported for; the marts also hold ISO weeks (`week`)."""


# The agency's latest name in bieu_06 (names change with mergers; the latest is what readers know).
AGENCY_NAMES = """
    select unit_code, unit_name from marts.bieu_06 where level = 'agency'
    qualify row_number() over (partition by unit_code order by period_end desc, period_type) = 1
"""


@dataclass(frozen=True)
class Period:
    period_type: str
    period: str
    start: date
    end: date


@dataclass(frozen=True)
class Province:
    """The province a report is about: its code and its name in the period shown."""

    code: str | None
    name: str | None


def pick_province(rows: list[dict]) -> Province | None:
    """The province of one period's bieu_06 rows (level, unit_code, unit_name, total): its
    province row, whose unit_name is the dvhc.csv name valid at the period's end
    (int_units__period_names); with several province rows, the one with the most dossiers.
    None without a province row (no data): a report then names no province."""
    provinces = [row for row in rows if row["level"] == "province"]
    if not provinces:
        return None
    row = min(provinces, key=lambda row: (-(row["total"] or 0), row["unit_code"] or ""))
    return Province(row["unit_code"], row["unit_name"])


class Marts:
    """A read-only connection to ``<folder>/tthc_marts.duckdb``; use as a context manager."""

    def __init__(self, marts_db: Path):
        self.con = duckdb.connect(str(marts_db), read_only=True)
        self.tables = {
            name
            for (name,) in self.con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.con.close()

    def has(self, mart: str) -> bool:
        return mart in self.tables

    def df(self, sql: str, params: list | None = None) -> pl.DataFrame:
        return self.con.execute(sql, params or []).pl()

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def periods(self, period_types: tuple[str, ...] = FORM_PERIOD_TYPES) -> list[Period]:
        """The periods of bieu_06 of ``period_types``, ordered by type and time.

        By default the form's periods (month, quarter, half, year): ISO weeks are in the marts
        for the weekly briefings (marts.md), not printed as Biểu 06 workbooks (a year would
        add 52 workbooks of every agency).
        """
        order = {period_type: rank for rank, period_type in enumerate(period_types)}
        found = [
            Period(*row)
            for row in self.rows(
                "select distinct period_type, period, period_start, period_end from marts.bieu_06"
            )
            if row[0] in order
        ]
        return sorted(found, key=lambda p: (order[p.period_type], p.period))

    def headline_period(self) -> Period | None:
        """The latest year to date; shown as its first half when the data end within H1.

        Both give the same numbers then, and 'H1' is what the notice (Thông báo 294) reports,
        so the figures of 2024-H1 sit beside the notice's under the same name
        (labels.notice_figures).
        """
        periods = self.periods()
        years = [p for p in periods if p.period_type == "year"]
        if not years:
            return periods[-1] if periods else None
        year = years[-1]
        halves = [p for p in periods if p.period_type == "half" and p.period.startswith(year.period)]
        if halves and halves[-1].period.endswith("H1"):
            return halves[-1]
        return year

    def province(self, period: Period | None) -> Province | None:
        """The province of ``period``: the code and the name (dvhc.csv, valid at the period's
        end) of its bieu_06 province row (pick_province); every report's title names it."""
        if period is None:
            return None
        rows = self.df(
            "select level, unit_code, unit_name, total from marts.bieu_06 "
            "where level = 'province' and period_type = ? and period = ?",
            [period.period_type, period.period],
        ).to_dicts()
        return pick_province(rows)

    def province_kpis(self, period: Period) -> dict[str, dict]:
        frame = self.df(
            "select kpi_code, numerator, denominator, value, target, meets_target "
            "from marts.kpi_values where level = 'province' and period_type = ? and period = ?",
            [period.period_type, period.period],
        )
        return {row["kpi_code"]: row for row in frame.to_dicts()}

    def year_on_year_halves(self) -> tuple[Period, Period] | None:
        """The latest complete half-year and the same half-year of the year before, when the
        publication has the restated basis and both halves (issue 16: a leader compares the
        first half of 2026 with the first half of 2025 for today's units).

        Complete = its period_end is the half's last day: a half that holds data_through
        would be set against a whole half. None when either is missing.
        """
        if not self.has("kpi_values_restated"):
            return None
        halves = {p.period: p for p in self.periods(("half",))}
        complete = [p for p in halves.values() if p.end == _half_end(p.period)]
        if not complete:
            return None
        latest = max(complete, key=lambda p: p.period)
        year, half = latest.period.split("-H")
        earlier = halves.get(f"{int(year) - 1}-H{half}")
        return (latest, earlier) if earlier is not None else None

    def restated_province(self, period: Period) -> tuple[Province | None, dict[str, dict]]:
        """The province row of ``period`` on the restated basis (every dossier under the unit
        that carries it on at data_through: today's map) and its KPIs by code."""
        rows = self.df(
            "select level, unit_code, unit_name, total from marts.bieu_06_restated "
            "where level = 'province' and period_type = ? and period = ?",
            [period.period_type, period.period],
        ).to_dicts()
        province = pick_province(rows)
        if province is None:
            return None, {}
        frame = self.df(
            "select kpi_code, numerator, denominator, value from marts.kpi_values_restated "
            "where level = 'province' and unit_code = ? and period_type = ? and period = ?",
            [province.code, period.period_type, period.period],
        )
        return province, {row["kpi_code"]: row for row in frame.to_dicts()}

    def vneid_province(self, on_or_before: date | None = None) -> dict | None:
        """The province's row of the latest VNeID snapshot, or of the latest one taken by
        ``on_or_before`` (a scorecard of an earlier period shows the count of its own time)."""
        if not self.has("vneid_coverage"):
            return None
        frame = self.df(
            "select * from marts.vneid_coverage where level = 'province' "
            "and snapshot_date <= coalesce(?::date, snapshot_date) "
            "order by snapshot_date desc limit 1",
            [on_or_before],
        )
        return frame.to_dicts()[0] if frame.height else None

    def agency_districts(self) -> pl.DataFrame:
        """agency_code → district_code (null for provincial agencies).

        The publication has no units table, so the district is the one most of the agency's
        dossiers carry (ties: the latest reception); an agency moved between districts by a
        merger is listed under the district of most of its dossiers.
        """
        return self.df(
            """
            select agency_code, district_code
            from (
                select agency_code, district_code, count(*) as dossiers,
                       max(coalesce(received_at, submitted_at)) as latest
                from marts.dossiers
                group by agency_code, district_code
            )
            qualify row_number() over (
                partition by agency_code order by dossiers desc, latest desc nulls last
            ) = 1
            """
        )

    def agency_tiers(self) -> dict[str, str]:
        """agency_code → its tier (cap: tinh, huyen, xa) on its latest don_vi row (dim_units);
        empty when the publication has no dim_units."""
        if not self.has("dim_units"):
            return {}
        return dict(
            self.rows(
                "select unit_code, cap from marts.dim_units where unit_type = 'agency' "
                "qualify row_number() over (partition by unit_code order by valid_from desc) = 1"
            )
        )

    def data_through(self, manifest: dict) -> date | None:
        value = manifest.get("data_through")
        if value:
            return date.fromisoformat(value)
        found = self.rows("select max(period_end) from marts.bieu_06")
        return found[0][0] if found else None

    def overdue_dossiers(self, data_through: date) -> pl.DataFrame:
        """Dossiers in progress and past due at the end of data_through (Biểu 06 col 13).

        kpis.md excludes dossiers waiting for a supplement (waiting_supplement_at(E)); the
        dossiers mart does not carry the supplement requests, so status 5 (Yêu cầu bổ sung giấy
        tờ, the status the system sets while it waits) stands for it. days_over counts calendar
        days from the due date to data_through (0: due earlier that same day).
        """
        end = datetime.combine(data_through, time(23, 59, 59))
        return self.df(
            f"""
            select d.dossier_code, d.procedure_code, d.agency_code, u.unit_name as agency_name,
                   cast(d.due_at as date) as due_date,
                   date_diff('day', cast(d.due_at as date), ?::date) as days_over
            from marts.dossiers d
            left join ({AGENCY_NAMES}) u on u.unit_code = d.agency_code
            where d.received_at is not null
              and (d.ended_at is null or d.ended_at > ?)
              and d.due_at < ?
              and d.status <> 5
            order by d.agency_code, days_over desc, d.dossier_code
            """,
            [data_through, end, end],
        )

    def inflated_appointments(self) -> pl.DataFrame:
        """Dossiers whose appointment in force is after the statutory due date; days_over =
        calendar days between the two dates."""
        return self.df(
            f"""
            select d.dossier_code, d.procedure_code, d.agency_code, u.unit_name as agency_name,
                   d.statutory_due_date, cast(d.due_at as date) as appointment_date,
                   date_diff('day', d.statutory_due_date, cast(d.due_at as date)) as days_over
            from marts.dossiers d
            left join ({AGENCY_NAMES}) u on u.unit_code = d.agency_code
            where d.is_appointment_inflated
            order by d.agency_code, days_over desc, d.dossier_code
            """
        )


def _half_end(period: str) -> date:
    year, half = period.split("-H")
    return date(int(year), 6, 30) if half == "1" else date(int(year), 12, 31)


def read_manifest(folder: Path, manifest: dict | None) -> dict:
    """The manifest passed by the publish step (written after the reports), else the file."""
    if manifest is not None:
        return manifest
    path = Path(folder) / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def marts_db(folder: Path) -> Path:
    return Path(folder) / MARTS_DB
