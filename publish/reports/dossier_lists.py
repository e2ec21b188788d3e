"""The dossiers behind two figures, per agency: those overdue now and those whose appointment
exceeds the statutory date. No personal data: the dossiers mart's applicant_key is never read.

Beside the handling agency, each row names the one-stop desk that received the dossier
(reorganisation.md: from 1 July 2025 any desk may receive it): ``receiving_agency_code`` and,
where the publication names that agency (bieu_06), ``receiving_agency_name``."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from publish.reports.marts import AGENCY_NAMES, Marts
from publish.reports.safe_text import neutralise_frame

OVERDUE_CSV = "overdue_dossiers.csv"
INFLATED_CSV = "inflated_appointments.csv"
HANDLING = ["dossier_code", "procedure_code", "agency_code", "agency_name"]
RECEIVING = ["receiving_agency_code", "receiving_agency_name"]
OVERDUE_COLUMNS = [*HANDLING, *RECEIVING, "due_date", "days_over"]
INFLATED_COLUMNS = [*HANDLING, *RECEIVING, "statutory_due_date", "appointment_date", "days_over"]


def with_receiving_desks(marts: Marts, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (a list with dossier_code) with the receiving desk of each dossier, in the
    same row order. The name is the agency's latest in bieu_06 (as agency_name's): a desk
    that handles no dossier of its own has no row there, and shows its code alone. A
    publication from before the column (reorganisation.md) had no desk but the handling
    agency."""
    columns = {name for (name,) in marts.rows(
        "select column_name from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'dossiers'"
    )}  # fmt: skip
    desk = "d.receiving_agency_code" if "receiving_agency_code" in columns else "d.agency_code"
    desks = marts.df(
        f"""
        select d.dossier_code, {desk} as receiving_agency_code, u.unit_name as receiving_agency_name
        from marts.dossiers d
        left join ({AGENCY_NAMES}) u on u.unit_code = {desk}
        where d.dossier_code in (select unnest(?::varchar[]))
        """,
        [frame.get_column("dossier_code").to_list()],
    )
    return frame.join(desks, on="dossier_code", how="left", maintain_order="left")


def write_dossier_lists(overdue: pl.DataFrame, inflated: pl.DataFrame, reports: Path) -> list[Path]:
    """UTF-8 with a byte-order mark, so that Excel shows the Vietnamese agency names; a text
    field that Excel would read as a formula is prefixed with ' (safe_text)."""
    written = []
    for frame, columns, name in (
        (overdue, OVERDUE_COLUMNS, OVERDUE_CSV),
        (inflated, INFLATED_COLUMNS, INFLATED_CSV),
    ):
        path = reports / name
        path.write_text(neutralise_frame(frame.select(columns)).write_csv(), encoding="utf-8-sig")
        written.append(path)
    return written


def summarise_by_agency(overdue: pl.DataFrame, inflated: pl.DataFrame) -> pl.DataFrame:
    """One row per agency: how many of each, and the largest number of days over."""
    def summarise(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
        return frame.group_by("agency_code", "agency_name").agg(
            pl.len().alias(f"{prefix}_count"), pl.col("days_over").max().alias(f"{prefix}_max_days")
        )

    joined = summarise(overdue, "overdue").join(
        summarise(inflated, "inflated"), on=["agency_code", "agency_name"], how="full", coalesce=True
    )
    return joined.with_columns(
        pl.col("overdue_count", "inflated_count").fill_null(0)
    ).sort(["overdue_count", "inflated_count", "agency_code"], descending=[True, True, False])
