"""The dossier drill-down CSVs name the desk that received each dossier beside the agency that
handles it (reorganisation.md), on a hand-made publication of two marts."""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import polars as pl
import pytest

from publish.reports.dossier_lists import (
    INFLATED_COLUMNS,
    OVERDUE_COLUMNS,
    OVERDUE_CSV,
    with_receiving_desks,
    write_dossier_lists,
)
from publish.reports.marts import Marts

PROV, XA, UNKNOWN = "000.00.11.H04", "201.21.21.H04", "999.99.99.H99"


def publication(path, with_receiving_column=True):
    dossiers = {"dossier_code": ["HS1", "HS2", "HS3"], "agency_code": [PROV, PROV, XA]}
    if with_receiving_column:
        dossiers["receiving_agency_code"] = [PROV, UNKNOWN, PROV]
    names = [  # the latest name of each agency (bieu_06, as agency_name's)
        ("agency", PROV, "Sở Tư pháp (cũ)", date(2024, 3, 31)),
        ("agency", PROV, "Sở Tư pháp", date(2024, 4, 30)),
        ("agency", XA, "UBND phường Thọ Xương", date(2024, 4, 30)),
    ]
    bieu_06 = pl.DataFrame(names, schema=["level", "unit_code", "unit_name", "period_end"], orient="row")
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for name, frame in (("dossiers", pl.DataFrame(dossiers)), ("bieu_06", bieu_06.with_columns(
            period_type=pl.lit("month")
        ))):
            con.register("frame", frame)
            con.execute(f"create table marts.{name} as select * from frame")
            con.unregister("frame")
    return path


def listed(codes):
    return pl.DataFrame(
        {"dossier_code": codes, "agency_code": [PROV] * len(codes)},
        schema={"dossier_code": pl.String, "agency_code": pl.String},
    )


def test_each_row_gets_its_receiving_desk_in_the_same_order(tmp_path):
    with Marts(publication(tmp_path / "m.duckdb")) as marts:
        rows = with_receiving_desks(marts, listed(["HS3", "HS1", "HS2"])).rows()
    assert rows == [
        ("HS3", PROV, PROV, "Sở Tư pháp"),  # XA's dossier, received at PROV's desk
        ("HS1", PROV, PROV, "Sở Tư pháp"),
        ("HS2", PROV, UNKNOWN, None),  # a desk the publication does not name: its code alone
    ]


def test_a_publication_before_the_column_shows_the_handling_agency(tmp_path):
    with Marts(publication(tmp_path / "m.duckdb", with_receiving_column=False)) as marts:
        frame = with_receiving_desks(marts, listed(["HS3"]))
        empty = with_receiving_desks(marts, listed([]))
    assert frame.select("receiving_agency_code", "receiving_agency_name").rows() == [
        (XA, "UBND phường Thọ Xương")
    ]
    assert empty.height == 0 and "receiving_agency_code" in empty.columns


@pytest.mark.parametrize("columns", [OVERDUE_COLUMNS, INFLATED_COLUMNS])
def test_the_receiving_desk_stands_beside_the_handling_agency(columns):
    at = columns.index("agency_name")
    assert columns[at + 1 : at + 3] == ["receiving_agency_code", "receiving_agency_name"]


def test_the_csv_carries_the_receiving_desk(tmp_path):
    with Marts(publication(tmp_path / "m.duckdb")) as marts:
        overdue = with_receiving_desks(marts, listed(["HS2"])).with_columns(
            procedure_code=pl.lit("1.000001"), agency_name=pl.lit("Sở Tư pháp"),
            due_date=pl.lit(date(2024, 4, 5)), days_over=pl.lit(3),
        )  # fmt: skip
    inflated = overdue.drop("due_date").with_columns(
        statutory_due_date=pl.lit(date(2024, 4, 5)), appointment_date=pl.lit(date(2024, 4, 8))
    )
    reports = tmp_path / "reports"
    reports.mkdir()
    write_dossier_lists(overdue, inflated, reports)
    with open(reports / OVERDUE_CSV, encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["agency_code"], row["receiving_agency_code"], row["receiving_agency_name"]) == (
        PROV, UNKNOWN, ""
    )  # fmt: skip
