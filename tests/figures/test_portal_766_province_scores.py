"""The province's rows of portal_766_scores against the `Tổng cộng` row of the 766 report
(portal_766.md "Scores and their reconciliation": that row holds the province's scores, not
a sum), on the hand-made raw layer (raw_fixture) plus the Tổng cộng scores that the ingest
keeps in raw/portal_766_totals. Built in a warehouse of its own: the session warehouse of
conftest.py has no Tổng cộng scores (its province rows stay no_portal_row).

April 2024 (the province of the fixture's agencies on 30/4 is 24): the Tổng cộng row
publishes Điểm Công khai 15.5, Tiến độ 13.33, DVCTT 9.0, Thanh toán blank, Số hóa 12.0,
Hài lòng 16.25, Tổng điểm 70.0.
- tien_do: the province's April 2.1 is 8 on time of 12 (test_portal_766), 20 × 8/12 = 40/3
  = 13.333…; against 13.33, |diff| = 0.00333 ≤ 0.015: match.
- thanh_toan: recomputed (3.5, 3.6 and 3.7 all have points at the province), blank cell:
  no_portal_value.
- cong_khai and hai_long are never recomputed at the province: not_recomputed, and the
  total takes the portal's 15.5 and 16.25 for them.
- The other groups computable at the province, over its 11 April receptions (PROV's A01–A08,
  XA's B01, CEASED's C01, HUYEN_B's D01; all on P_WD: paper result required, co_phi 1):
  dvctt = 3.1 (2 of 3 procedures online, 2 × (2/3)/0.8 = 5/3) + 3.2 (1 of 2, 4 × 1/2 = 2)
  + 3.3 (online with an electronic result: A01 only, 1/11, × the province's April sync rate
  4/11 = 4/121; 6 × (4/121)/0.5 = 48/121) = 11/3 + 48/121;
  thanh_toan = 3.5 (P_WD paid online by A01: 1/1 → 2) + 3.6 (A01 of the 10 receptions left
  when A03's all-zero fee list is taken out: 6 × 1/10 = 0.6) + 3.7 (P_WD has a fee above 0,
  A01's: 1/1 → 2) = 4.6;
  so_hoa = 4.1 (A01's electronic result, 6 × 1/11) + 4.2 (A01 digitized with it,
  6 × (1/11)/0.8) + 4.3 (A01 reused, 2 × (1/11)/0.8) + 4.4 (none, 0) + 4.5 (VNeID A01, A07:
  4 × 2/11) = 24/11.
- total = 40/3 + (11/3 + 48/121) + 4.6 + 24/11 + 15.5 + 16.25 = 55.9285…, estimated against
  Tổng điểm 70.0 (diff −14.0715…).
May 2024: the report has no Tổng cộng row (an empty partition): the province's rows are
no_portal_row, exactly as before the ingest kept the row.
"""

from __future__ import annotations

import polars as pl
import pytest

from ingest import raw_layer
from tests.figures.conftest import run_dbt
from tests.figures.raw_fixture import write_raw_layer

APRIL_TOTALS = {
    "diem_cong_khai": 15.5,
    "diem_tien_do": 13.33,
    "diem_dvctt": 9.0,
    "diem_thanh_toan": None,
    "diem_so_hoa": 12.0,
    "diem_hai_long": 16.25,
    "tong_diem": 70.0,
}
SCORE = (
    "select recomputed_points, portal_points, diff, status from marts.portal_766_scores"
    " where period = ? and level = 'province' and unit_code = '24' and group_code = ?"
)


def write_totals(warehouse, month: str, scores: dict | None) -> None:
    rows = (
        []
        if scores is None
        else [
            scores
            | {
                "_report_month": month,
                "_source_file": f"dvc_portal/{month}/dvcqg_766_{month}.csv",
                "_line_number": 9,
            }
        ]
    )
    raw_layer.write_parquet_atomically(
        pl.DataFrame(rows, schema=raw_layer.PORTAL_766_TOTALS),
        raw_layer.partition_path(warehouse, "portal_766_totals", month),
    )


@pytest.fixture(scope="module")
def province_built(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("province_scores").resolve()
    write_raw_layer(warehouse)
    write_totals(warehouse, "2024-04", APRIL_TOTALS)
    write_totals(warehouse, "2024-05", None)
    # cautious: the singular tests that also read models outside the selection stay out
    run = run_dbt(
        warehouse, "build", "--select", "+portal_766_scores", "--indirect-selection", "cautious"
    )
    assert run.returncode == 0, run.output[-4000:]
    return run


def score(built, month, group):
    rows = built.query(SCORE, [month, group])
    assert len(rows) == 1, (month, group, rows)
    return rows[0]


def test_tien_do_matches_the_tong_cong_row(province_built):
    recomputed, portal, diff, status = score(province_built, "2024-04", "tien_do")
    assert recomputed == pytest.approx(40 / 3)
    assert portal == 13.33
    assert diff == pytest.approx(40 / 3 - 13.33)
    assert status == "match"


def test_blank_cell_is_no_portal_value_and_unrecomputed_groups_show_the_portal(province_built):
    recomputed, portal, diff, status = score(province_built, "2024-04", "thanh_toan")
    assert (portal, diff, status) == (None, None, "no_portal_value")
    assert recomputed is not None
    assert score(province_built, "2024-04", "cong_khai")[1:] == (15.5, None, "not_recomputed")
    assert score(province_built, "2024-04", "hai_long")[1:] == (16.25, None, "not_recomputed")


def test_total_is_estimated_against_tong_diem(province_built):
    dvctt, thanh_toan, so_hoa = 11 / 3 + 48 / 121, 4.6, 24 / 11
    assert score(province_built, "2024-04", "dvctt")[0] == pytest.approx(dvctt)
    assert score(province_built, "2024-04", "thanh_toan")[0] == pytest.approx(thanh_toan)
    assert score(province_built, "2024-04", "so_hoa")[0] == pytest.approx(so_hoa)
    expected = 40 / 3 + dvctt + thanh_toan + so_hoa + 15.5 + 16.25
    assert expected == pytest.approx(55.92851239669)
    recomputed, portal, diff, status = score(province_built, "2024-04", "total")
    assert status == "estimated"
    assert portal == 70.0
    assert recomputed == pytest.approx(expected)
    assert diff == pytest.approx(expected - 70.0)
    # the groups compared with the Tổng cộng row's cells: 9.0 and 12.0, far from recomputed
    assert score(province_built, "2024-04", "dvctt")[3] == "mismatch"
    assert score(province_built, "2024-04", "so_hoa")[2] == pytest.approx(so_hoa - 12.0)


def test_a_report_without_tong_cong_row_leaves_the_province_without_portal_row(province_built):
    assert score(province_built, "2024-05", "tien_do")[1:] == (None, None, "no_portal_row")
    assert score(province_built, "2024-05", "total")[1:] == (None, None, "no_portal_row")


def test_agency_rows_are_unchanged(province_built):
    # PROV April as in test_portal_766.test_scores_prov_april
    rows = province_built.query(
        "select status from marts.portal_766_scores where period = '2024-04'"
        " and level = 'agency' and unit_code = '000.00.11.H04' and group_code = 'tien_do'"
    )
    assert rows == [("mismatch",)]
