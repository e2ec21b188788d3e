"""The levels and bases of reorganisation.md (issue 16) and the ISO weeks, on the hand-made
dossiers (roles in test_bieu_06). Columns in the order of test_bieu_06.COLUMNS.

Tiers in April 2024: tinh = PROV's dossiers; huyen = HUYEN_B's D01 (post, in progress);
xa = XA's B01 (in person) and CEASED's C01 (online), both in progress within deadline.
Restated (data_through 20/5): CEASED ended 31/3 with XA as successor, so C01 counts under XA;
every dossier takes its restated agency's district at data_through: XA's is 222 (under
HUYEN_B from 15/5), so B01 and C01 leave 213 for 222.
"""

import pytest

from tests.figures.raw_fixture import CEASED, HUYEN_B, PROV, XA
from tests.figures.test_bieu_06 import COLUMNS, row

APRIL_PROVINCE = (5, 6, 1, 12, 6, 2, 2, 2, 6, 5, 1)


@pytest.mark.parametrize(
    ("unit_code", "expected"),
    [
        ("tinh", (4, 4, 1, 9, 6, 2, 2, 2, 3, 2, 1)),
        ("huyen", (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)),
        ("xa", (1, 1, 0, 2, 0, 0, 0, 0, 2, 2, 0)),
    ],
)
def test_tier_rows_april(built, unit_code, expected):
    assert row(built, "month", "2024-04", "tier", unit_code) == expected


def test_tier_rows_sum_to_province_rows(built):
    assert [sum(column) for column in zip(
        *(row(built, "month", "2024-04", "tier", tier) for tier in ("tinh", "huyen", "xa")),
        strict=True,
    )] == list(APRIL_PROVINCE)
    sums = ", ".join(f"sum({c.strip()})" for c in COLUMNS.split(","))
    for mart in ("bieu_06", "bieu_06_restated", "bieu_06_fields"):
        tiers = built.query(
            f"select period_type, period, {sums} from marts.{mart} where level = 'tier'"
            " group by all order by 1, 2"
        )
        provinces = built.query(
            f"select period_type, period, {sums} from marts.{mart} where level = 'province'"
            " group by all order by 1, 2"
        )
        assert tiers == provinces and len(tiers) == 16, mart  # 7 periods and 9 weeks


def test_tier_names(built):
    assert built.query(
        "select distinct unit_code, unit_name from marts.bieu_06 where level = 'tier' order by 1"
    ) == [("huyen", "Cấp huyện"), ("tinh", "Cấp tỉnh"), ("xa", "Cấp xã")]


def test_one_province_row_per_province_of_the_period(built):
    # every agency's ma_dvhc reaches 24 up dvhc.csv: one province row per period, summing the
    # agencies (the two-province chain is the unit test test_positions_across_the_reform)
    assert built.query(
        "select distinct level, unit_code from marts.bieu_06"
        " where level = 'province' and period = '2024-04'"
    ) == [("province", "24")]
    assert row(built, "month", "2024-04", "province", "24") == APRIL_PROVINCE


def test_levels_of_each_mart(built):
    def levels(mart, extra=""):
        return {r[0] for r in built.query(f"select distinct level from marts.{mart} {extra}")}

    every = {"agency", "tier", "district", "province"}
    assert levels("bieu_06") == levels("bieu_06_restated") == every
    assert levels("kpi_values") == levels("kpi_values_restated") == every
    assert levels("bieu_06_fields") == {"agency", "tier", "province"}
    assert levels("index_766") == {"agency", "district", "province"}


def test_restated_columns_are_the_as_was_columns(built):
    def columns(mart):
        return built.query(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [mart],
        )

    assert columns("bieu_06_restated") == columns("bieu_06")
    assert columns("kpi_values_restated") == columns("kpi_values")


@pytest.mark.parametrize(
    ("level", "unit_code", "expected"),
    [
        # XA: its B01 and CEASED's C01
        ("agency", XA, (1, 1, 0, 2, 0, 0, 0, 0, 2, 2, 0)),
        # 222: B01, C01 (at XA's district at data_through) and D01
        ("district", "222", (1, 2, 0, 3, 0, 0, 0, 0, 3, 3, 0)),
        ("province", "24", APRIL_PROVINCE),
        ("tier", "xa", (1, 1, 0, 2, 0, 0, 0, 0, 2, 2, 0)),
    ],
)
def test_restated_april(built, level, unit_code, expected):
    assert row(built, "month", "2024-04", level, unit_code, "bieu_06_restated") == expected


def test_restated_moves_dossiers_of_ceased_agencies(built):
    # as was, CEASED has C01 and 213 has B01 and C01; restated, neither has a row
    assert row(built, "month", "2024-04", "agency", CEASED)[3] == 1
    assert row(built, "month", "2024-04", "district", "213")[3] == 2
    assert built.query(
        "select count(*) from marts.bieu_06_restated"
        " where (level = 'agency' and unit_code = ?) or (level = 'district' and unit_code = '213')",
        [CEASED],
    ) == [(0,)]
    # an agency valid at data_through keeps its dossiers
    assert row(built, "quarter", "2024-Q2", "agency", PROV, "bieu_06_restated") == row(
        built, "quarter", "2024-Q2", "agency", PROV
    )


def restated_kpi(built, kpi_code, level, unit_code, period="2024-04"):
    return built.query(
        "select numerator, denominator from marts.kpi_values_restated"
        " where period = ? and level = ? and unit_code = ? and kpi_code = ?",
        [period, level, unit_code, kpi_code],
    )


def test_restated_sync_rate_sums_as_was_agency_months(built):
    # as was: XA 1/1, CEASED 0/1, HUYEN_B 0/1; restated CEASED's month counts under XA
    assert restated_kpi(built, "sync_rate_766", "agency", XA) == [(1, 2)]
    assert restated_kpi(built, "sync_rate_766", "agency", CEASED) == []
    assert restated_kpi(built, "sync_rate_766", "agency", HUYEN_B) == [(0, 1)]
    assert restated_kpi(built, "sync_rate_766", "district", "222") == [(1, 3)]
    assert restated_kpi(built, "sync_rate_766", "province", "24") == [(4, 11)]
    assert restated_kpi(built, "sync_rate_766", "province", "24", "2024-Q2") == [(4, 11)]


def test_restated_kpis(built):
    # received_elsewhere: B01 (at HUYEN_A's desk) and C01 (no desk) under XA
    assert restated_kpi(built, "received_elsewhere_rate", "agency", XA) == [(1, 2)]
    # province rows equal the as-was ones for every KPI and period
    assert built.query(
        """
        select * from (
            select period_type, period, kpi_code, numerator, denominator
            from marts.kpi_values where level = 'province'
        ) full join (
            select period_type, period, kpi_code, numerator, denominator
            from marts.kpi_values_restated where level = 'province'
        ) using (period_type, period, kpi_code, numerator, denominator)
        where period is null
        """
    ) == []


@pytest.mark.parametrize(
    ("period", "level", "unit_code", "expected"),
    [
        # PROV, 1/4–7/4: online A01, A04; in person / post A02, A03; carried over A09;
        # resolved early A09 (2/4), A01 (3/4), on time A02 (5/4, due 5/4 17:00);
        # in progress A04 (due 8/4 ≥ E) within deadline, A03 (due 5/4) overdue
        ("2024-W14", "agency", PROV, (2, 2, 1, 5, 3, 2, 1, 0, 2, 1, 1)),
        # 8/4–14/4: online A05; carried over A03, A04; resolved A04 (withdrawn 10/4: on time),
        # A03 (overdue), A05 (2 supplements: overdue)
        ("2024-W15", "agency", PROV, (1, 0, 2, 3, 3, 0, 1, 2, 0, 0, 0)),
        # + B01, C01, D01 received 10/4, in progress within deadline
        ("2024-W15", "province", "24", (2, 2, 2, 6, 3, 0, 1, 2, 3, 3, 0)),
        # the week of data_through ends on it (Monday 20/5): A07, A08, A12, A14 carried over
        ("2024-W21", "agency", PROV, (0, 0, 4, 4, 0, 0, 0, 0, 4, 1, 3)),
    ],
)
def test_week_rows(built, period, level, unit_code, expected):
    assert row(built, "week", period, level, unit_code) == expected
    assert row(built, "week", period, level, unit_code, "bieu_06_restated") == expected


def test_week_kpis(built):
    def kpi(code, mart="kpi_values"):
        return built.query(
            f"select numerator, denominator, cast(period_start as varchar),"
            f" cast(period_end as varchar) from marts.{mart} where period_type = 'week'"
            " and period = '2024-W14' and level = 'agency' and unit_code = ? and kpi_code = ?",
            [PROV, code],
        )

    # A09, A01 early, A02 on time of 3 resolved; A10 refused 5/4 of 4 received + 1
    assert kpi("on_time_rate") == [(3, 3, "2024-04-01", "2024-04-07")]
    assert kpi("refusal_rate") == [(1, 5, "2024-04-01", "2024-04-07")]
    # sync_rate_766 stays month and longer
    assert built.query(
        "select count(*) from marts.kpi_values where period_type = 'week'"
        " and kpi_code = 'sync_rate_766'"
    ) == [(0,)]
    assert built.query(
        "select count(*) from marts.index_766 where period like '%-W%'"
    ) == [(0,)]


def test_week_fields_sum_to_bieu_06(built):
    assert built.query(
        """
        select period, level, unit_code from (
            select period_type, period, level, unit_code, sum(total) as total
            from marts.bieu_06_fields where period_type = 'week' group by all
        ) as by_field
        join marts.bieu_06 using (period_type, period, level, unit_code)
        where by_field.total <> bieu_06.total
        """
    ) == []
