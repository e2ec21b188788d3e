"""The dossiers behind two figures, per agency: those overdue now and those whose appointment
exceeds the statutory date. No personal data: the dossiers mart's applicant_key is never read."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from publish.reports.safe_text import neutralise_frame

OVERDUE_CSV = "overdue_dossiers.csv"
INFLATED_CSV = "inflated_appointments.csv"
OVERDUE_COLUMNS = ["dossier_code", "procedure_code", "agency_code", "agency_name", "due_date", "days_over"]
INFLATED_COLUMNS = [
    "dossier_code", "procedure_code", "agency_code", "agency_name",
    "statutory_due_date", "appointment_date", "days_over",
]


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
