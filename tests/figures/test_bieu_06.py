"""Biểu 06 on the hand-made dossiers. Columns, in the order of the mart: 4 received online,
5 in person or by post, 6 carried over, 3 total, 7 resolved, 8 early, 9 on time, 10 overdue,
11 in progress, 12 within deadline, 13 overdue.

PROV in April (S = 1/4 00:00, E = 30/4 23:59:59):
  online A01, A04, A05, A07; in person / post A02, A03 (post), A06, A08; carried over A09
  (received 28/3, ended 2/4); refused A10 and submitted-only A11 are not received.
  resolved: early A01, A09; on time A02, A04 (withdrawn); overdue A03, A05 (2 supplements).
  in progress: A06 (due 8/5 ≥ E), A08 (waiting for its supplement at E) within deadline;
  A07 (due 18/4) overdue.
PROV in May (E = data_through 20/5 23:59:59): carried over A06, A07, A08; online A13, A15;
  in person / post A12, A14; resolved early A13, on time A15, overdue A06; in progress A08
  (waiting) within, A07, A12 (due 13/5 23:59:59), A14 (due 6/5) overdue.
"""

import pytest

from tests.figures.raw_fixture import PROV, XA

COLUMNS = (
    "received_online, received_in_person_postal, carried_over, total, resolved, resolved_early,"
    " resolved_on_time, resolved_overdue, in_progress, in_progress_within_deadline,"
    " in_progress_overdue"
)


def row(built, period_type, period, level, unit_code, mart="bieu_06", extra=""):
    rows = built.query(
        f"select {COLUMNS} from marts.{mart} where period_type = ? and period = ? and level = ?"
        f" and unit_code = ? {extra}",
        [period_type, period, level, unit_code],
    )
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize(
    ("period_type", "period", "level", "unit_code", "expected"),
    [
        ("month", "2024-03", "agency", PROV, (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)),
        ("month", "2024-04", "agency", PROV, (4, 4, 1, 9, 6, 2, 2, 2, 3, 2, 1)),
        ("month", "2024-05", "agency", PROV, (2, 2, 3, 7, 3, 1, 1, 1, 4, 1, 3)),
        ("quarter", "2024-Q1", "agency", PROV, (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)),
        # A09 received 28/3 is carried over into Q2
        ("quarter", "2024-Q2", "agency", PROV, (6, 6, 1, 13, 9, 3, 3, 3, 4, 1, 3)),
        ("half", "2024-H1", "agency", PROV, (6, 7, 0, 13, 9, 3, 3, 3, 4, 1, 3)),
        ("year", "2024", "agency", PROV, (6, 7, 0, 13, 9, 3, 3, 3, 4, 1, 3)),
        # XA's dossiers: B01 (10/4, district 213) carried over, B02 (16/5, district 222) received
        ("month", "2024-05", "agency", XA, (0, 1, 1, 2, 0, 0, 0, 0, 2, 2, 0)),
        # 213: B01 (XA, in person) and C01 (ceased agency, online); 222: D01 (post)
        ("month", "2024-04", "district", "213", (1, 1, 0, 2, 0, 0, 0, 0, 2, 2, 0)),
        ("month", "2024-04", "district", "222", (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)),
        ("month", "2024-05", "district", "213", (0, 0, 2, 2, 0, 0, 0, 0, 2, 2, 0)),
        ("month", "2024-05", "district", "222", (0, 1, 1, 2, 0, 0, 0, 0, 2, 2, 0)),
        ("month", "2024-04", "province", "24", (5, 6, 1, 12, 6, 2, 2, 2, 6, 5, 1)),
        ("month", "2024-05", "province", "24", (2, 3, 6, 11, 3, 1, 1, 1, 8, 5, 3)),
    ],
)
def test_bieu_06_rows(built, period_type, period, level, unit_code, expected):
    assert row(built, period_type, period, level, unit_code) == expected


def test_periods_from_first_reception_to_data_through(built):
    periods = built.query(
        "select distinct period_type, period, cast(period_start as varchar),"
        " cast(period_end as varchar) from marts.bieu_06 order by 1, 2"
    )
    assert periods == [
        ("half", "2024-H1", "2024-01-01", "2024-05-20"),
        ("month", "2024-03", "2024-03-01", "2024-03-31"),
        ("month", "2024-04", "2024-04-01", "2024-04-30"),
        ("month", "2024-05", "2024-05-01", "2024-05-20"),
        ("quarter", "2024-Q1", "2024-01-01", "2024-03-31"),
        ("quarter", "2024-Q2", "2024-04-01", "2024-05-20"),
        # ISO weeks, Monday to Sunday, from the first reception's (Thursday 28/3) to
        # data_through's (Monday 20/5, which ends its week)
        ("week", "2024-W13", "2024-03-25", "2024-03-31"),
        ("week", "2024-W14", "2024-04-01", "2024-04-07"),
        ("week", "2024-W15", "2024-04-08", "2024-04-14"),
        ("week", "2024-W16", "2024-04-15", "2024-04-21"),
        ("week", "2024-W17", "2024-04-22", "2024-04-28"),
        ("week", "2024-W18", "2024-04-29", "2024-05-05"),
        ("week", "2024-W19", "2024-05-06", "2024-05-12"),
        ("week", "2024-W20", "2024-05-13", "2024-05-19"),
        ("week", "2024-W21", "2024-05-20", "2024-05-20"),
        ("year", "2024", "2024-01-01", "2024-05-20"),
    ]


def test_provincial_agency_has_no_district_row(built):
    assert built.query(
        "select count(*) from marts.bieu_06 where level = 'district' and unit_code is null"
    ) == [(0,)]


def test_unit_names(built):
    assert built.query("select distinct unit_name from marts.bieu_06 where level = 'province'") == [
        ("Tỉnh Bắc Giang",)
    ]


@pytest.mark.parametrize(
    ("level", "unit_code", "field_code", "expected"),
    [
        # A12 is the only dossier of field F2 (5 calendar days), in progress overdue at 20/5
        ("agency", PROV, "F2", (0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1)),
        ("agency", PROV, "F1", (2, 1, 3, 6, 3, 1, 1, 1, 3, 1, 2)),
        ("province", "24", "F2", (0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1)),
    ],
)
def test_bieu_06_fields_may(built, level, unit_code, field_code, expected):
    assert (
        row(
            built,
            "month",
            "2024-05",
            level,
            unit_code,
            "bieu_06_fields",
            f"and field_code = '{field_code}'",
        )
        == expected
    )


def test_bieu_06_fields_sum_to_bieu_06(built):
    mismatches = built.query(
        """
        with by_field as (
            select period_type, period, level, unit_code, sum(total) as total,
                   sum(resolved) as resolved, sum(in_progress_overdue) as overdue
            from marts.bieu_06_fields group by all
        )
        select * from by_field
        join marts.bieu_06 using (period_type, period, level, unit_code)
        where by_field.total <> bieu_06.total or by_field.resolved <> bieu_06.resolved
           or by_field.overdue <> bieu_06.in_progress_overdue
        """
    )
    assert mismatches == []
