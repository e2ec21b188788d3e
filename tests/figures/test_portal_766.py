"""portal_766_indicators, portal_766_scores and portal_766_dossiers (portal_766.md) on the
hand-made raw layer (raw_fixture), every expected value derived by hand below.

The portal's 2.1 differs from Biểu 06 on three fixture dossiers: A04 (withdrawn 10/4 09:00,
after its NgayHenTra 8/4 17:00: on time in Biểu 06, late for the portal), A06 (its
NgayHenTraMoi 8/5 is ignored: judged against NgayHenTra 25/4 17:00) and A08 (one request
unanswered at E, made 26/4 09:00 before NgayHenTra 26/4 17:00: on time).

PROV's April 2.1 denominator (Biểu 06 col 3 of April): A01–A08 received in April, A09
carried over from March (ended 2/4) = 9. At E = 30/4 23:59:59:
  A01 ended 3/4 10:00 ≤ NgayHenTra 4/4 17:00         ended_on_time
  A02 ended 5/4 15:00 ≤ 5/4 17:00                    ended_on_time
  A03 ended 8/4 10:00 > 5/4 17:00                    ended_late
  A04 withdrawn 10/4 09:00 > 8/4 17:00               ended_late
  A05 two supplement requests by E                   more_than_one_supplement
  A06 one request 24/4 09:00, answered only 2/5      waiting_supplement_on_time (24/4 ≤ 25/4 17:00)
  A07 open, NgayHenTra 18/4 17:00 < E                open_past_due
  A08 one request 26/4 09:00, unanswered             waiting_supplement_on_time
  A09 ended 2/4 10:00 ≤ 3/4 17:00                    ended_on_time
→ 5 on time of 9.
"""

from __future__ import annotations

import pytest

from tests.figures.raw_fixture import CEASED, PROV, XA

INDICATOR = (
    "select numerator, denominator, rate, max_points, points, points_lost, rule_set, group_code"
    " from marts.portal_766_indicators"
    " where period_type = ? and period = ? and level = ? and unit_code = ? and indicator_code = ?"
)
SCORE = (
    "select recomputed_points, portal_points, diff, status from marts.portal_766_scores"
    " where period = ? and level = ? and unit_code = ? and group_code = ?"
)


def indicator(built, period_type, period, level, unit, code):
    rows = built.query(INDICATOR, [period_type, period, level, unit, code])
    assert len(rows) == 1, (period_type, period, level, unit, code, rows)
    return rows[0]


def test_dbt_build_passed(built):
    assert built.returncode == 0, built.output[-4000:]


def test_portal_766_nodes_built_and_tested(built):
    # Independent of the other models' state: none of this feature's nodes (seed, models,
    # data and unit tests) errored or failed.
    failed = [
        line
        for line in built.output.splitlines()
        if ("766" in line or "rules_766" in line) and (" ERROR " in line or " FAIL " in line)
    ]
    assert failed == []
    assert built.query("select count(*) from marts.portal_766_indicators")[0][0] > 0


def test_progress_2_1_prov_april(built):
    # module docstring: 5 on time of 9; points = 20 × 5/9, full_at 1
    numerator, denominator, _rate, _max_points, points, lost, rule_set, group = indicator(
        built, "month", "2024-04", "agency", PROV, "2.1"
    )
    assert (numerator, denominator, rule_set, group) == (5, 9, "qd766_2024", "tien_do")
    assert points == pytest.approx(100 / 9)
    assert lost == pytest.approx(20 - 100 / 9)


def test_progress_2_1_province_april(built):
    # PROV's 9 (5 on time) + B01 (XA), C01 (CEASED), D01 (HUYEN_B), all received 10/4 and
    # open at E with NgayHenTra 28/6: open_within_due → 8 of 12, all in province 24.
    numerator, denominator, *_ = indicator(built, "month", "2024-04", "province", "24", "2.1")
    assert (numerator, denominator) == (8, 12)


def test_progress_2_1_prov_second_quarter(built):
    # E = data_through 20/5 23:59:59; received by then and not ended before 1/4: A01–A09 and
    # A12–A15 = 13. On time at E: A01, A02, A09 (ended in time), A08 (still waiting on its one
    # request made before NgayHenTra), A13 (ended 3/5 09:00 ≤ 7/5 17:00), A15 (ended 9/5
    # 16:00 ≤ 9/5 17:00) = 6. A06 ended 8/5 17:30; its answered supplement time (2/5 08:00 −
    # 24/4 09:00 = 7 d 23 h) is subtracted: 30/4 18:30 > NgayHenTra 25/4 17:00, ended_late. A12 (P_CD, no NgayHenTra: 6/5 + 5 days
    # = Saturday 11/5 → Monday 13/5 23:59:59) and A14 (6/5 17:00) are open past due.
    numerator, denominator, *_ = indicator(built, "quarter", "2024-Q2", "agency", PROV, "2.1")
    assert (numerator, denominator) == (6, 13)


def test_dossier_reasons(built):
    rows = dict(
        built.query(
            "select period || ' ' || dossier_code, reason from marts.portal_766_dossiers"
            " where dossier_code in ('A04', 'A05', 'A06', 'A08', 'A12')"
        )
    )
    assert rows == {
        "2024-04 A04": "ended_late",
        "2024-04 A05": "more_than_one_supplement",
        "2024-04 A06": "waiting_supplement_on_time",
        "2024-05 A06": "ended_late",
        "2024-04 A08": "waiting_supplement_on_time",
        "2024-05 A08": "waiting_supplement_on_time",
        "2024-05 A12": "open_past_due",
    }
    # April's denominator: PROV's 9 and B01, C01, D01
    assert built.query(
        "select count(*) from marts.portal_766_dossiers where period = '2024-04'"
    )[0][0] == 12


def test_online_3_3_prov_april(built):
    # Received in April at PROV: 8. Online (channel 2): A01, A04, A05, A07, all on P_WD
    # (yeu_cau_ket_qua_giay = 1); only A01 has a result entry with MaGiayToKetQua and a link
    # → numerator 1. The published rate is 1/8 × sync_rate_766 (A01–A03 in April's list of
    # 8 received: 3/8) = 3/64; points = 6 × min(1, (3/64) / 0.5) = 0.5625.
    numerator, denominator, rate, _, points, *_ = indicator(
        built, "month", "2024-04", "agency", PROV, "3.3"
    )
    assert (numerator, denominator) == (1, 8)
    assert rate == pytest.approx(3 / 64)
    assert points == pytest.approx(0.5625)
    # May has no synced list: no sync rate, so 3.3 has no rate and no points
    row = indicator(built, "month", "2024-05", "agency", PROV, "3.3")
    assert row[2] is None and row[4] is None


def test_paid_online_3_6_prov_april(built):
    # P_WD has co_phi = 1: the 8 April receptions less A03, whose fee list is [0] (non-empty,
    # every Gia 0) = 7; paid online: A01 → 1/7, points 6/7.
    numerator, denominator, _, _, points, *_ = indicator(
        built, "month", "2024-04", "agency", PROV, "3.6"
    )
    assert (numerator, denominator) == (1, 7)
    assert points == pytest.approx(6 / 7)


def test_sync_1_4(built):
    # PROV April: 3/8 → 6 × 3/8 = 2.25; XA: B01 in the list, 1/1, plus CEASED's agency-month
    # (C01 received, not in the list: 0/1), which the portal counts under XA (CEASED ended on
    # 31/3: docs/portal_766.md "Agencies") → 1/2. The province: A01–A03 and B01 synced of
    # max(received, list rows) per agency: PROV 8, XA 1, CEASED 1, HUYEN_B 1 = 4/11.
    assert indicator(built, "month", "2024-04", "agency", PROV, "1.4")[:2] == (3, 8)
    assert indicator(built, "month", "2024-04", "agency", PROV, "1.4")[4] == pytest.approx(2.25)
    assert indicator(built, "month", "2024-04", "agency", XA, "1.4")[:2] == (1, 2)
    assert indicator(built, "month", "2024-04", "province", "24", "1.4")[:2] == (4, 11)


def test_dossiers_of_an_ended_agency_count_under_its_successor(built):
    # CEASED ended on 31/3 (successor XA); its C01, received 10/4, open at every E (NgayHenTra
    # 28/6), is counted where the portal counts it: under XA in April, Q2 and 2024. XA's April
    # 2.1: B01 and C01, both open_within_due → 2/2 (XA's own B01 alone would be 1/1).
    assert indicator(built, "month", "2024-04", "agency", XA, "2.1")[:2] == (2, 2)
    # C01 is received in April: XA's April 3.3 denominator holds it with B01
    assert indicator(built, "month", "2024-04", "agency", XA, "3.3")[1] == 2
    # CEASED itself has no agency row in any period (month, Q2, 2024) of the portal's marts,
    # so no no_portal_row either
    for mart in ("portal_766_indicators", "portal_766_scores"):
        assert built.query(
            f"select count(*) from marts.{mart} where level = 'agency' and unit_code = ?", [CEASED]
        ) == [(0,)], mart
    # the dossier mart names the agency the scores count it under
    assert built.query(
        "select distinct agency_code from marts.portal_766_dossiers where dossier_code = 'C01'"
    ) == [(XA,)]
    # the province counts C01 once, as before (test_progress_2_1_province_april: 8 of 12)
    assert indicator(built, "month", "2024-04", "province", "24", "2.1")[:2] == (8, 12)


def test_satisfaction_5_4_prov_april(built):
    # D = 9; overdue in 2.1: A03, A04, A05, A07 (4); not overdue and DanhGia −1: A02 → lost
    # 5, numerator 4; points = 6 × min(1, (4/9) / 0.9).
    numerator, denominator, _, _, points, *_ = indicator(
        built, "month", "2024-04", "agency", PROV, "5.4"
    )
    assert (numerator, denominator) == (4, 9)
    assert points == pytest.approx(6 * (4 / 9) / 0.9)


def test_province_procedure_and_publication_indicators(built):
    # tthc.csv: P_WD and P_CD mot_phan, P_PUB khong → 3.1 = 2/3 → 2 × min(1, (2/3)/0.8).
    # 3.2 April: of P_WD and P_CD, only P_WD had an online reception in April → 1/2.
    # 3.5 April: co_phi procedures: P_WD only, paid online by A01 → 1/1; May: none paid → 0/1.
    # 1.1 April: the only decision (P_CD, 26/4) is late (due wd_sub(6/5, 5) = 25/4) → 0/1;
    # 1.2: made public 7/5 = wd_add(26/4, 5) → 1/1. March has no decision: no row.
    rows = {
        code: indicator(built, "month", "2024-04", "province", "24", code)
        for code in ("3.1", "3.2", "3.5", "1.1", "1.2")
    }
    assert rows["3.1"][:2] == (2, 3)
    assert rows["3.1"][4] == pytest.approx(2 * (2 / 3) / 0.8)
    assert rows["3.2"][:2] == (1, 2)
    assert rows["3.5"][:2] == (1, 1)
    assert rows["1.1"][:2] == (0, 1)
    assert rows["1.2"][:2] == (1, 1)
    assert indicator(built, "month", "2024-05", "province", "24", "3.5")[:2] == (0, 1)
    assert built.query(
        "select count(*) from marts.portal_766_indicators"
        " where period = '2024-03' and indicator_code in ('1.1', '1.2')"
    ) == [(0,)]
    # agencies never carry the province-only indicators
    assert built.query(
        "select count(*) from marts.portal_766_indicators where level = 'agency'"
        " and indicator_code in ('1.1', '1.2', '3.1', '3.2', '3.5', '3.7')"
    ) == [(0,)]


def test_scores_prov_april(built):
    # tien_do: 100/9 against the portal's Điểm Tiến độ 13.0 → mismatch, diff 100/9 − 13.
    recomputed, portal, diff, status = built.query(SCORE, ["2024-04", "agency", PROV, "tien_do"])[0]
    assert status == "mismatch"
    assert recomputed == pytest.approx(100 / 9)
    assert portal == 13.0
    assert diff == pytest.approx(100 / 9 - 13)
    # so_hoa, of the 8 April receptions: 4.1 A01's electronic result of the 8 on P_WD (paper
    # required) = 1/8 → 0.75; 4.2 A01 digitized with its result (A02 digitized without one)
    # = 1/8 → 6 × 0.125/0.8 = 0.9375; 4.3 A01 reused → 2 × 0.125/0.8 = 0.3125; 4.4 none → 0;
    # 4.5 VNeID accounts A01, A07 → 4 × 2/8 = 1.0; sum 3.0. The fixture's Điểm Số hóa is
    # blank → no_portal_value.
    recomputed, portal, diff, status = built.query(SCORE, ["2024-04", "agency", PROV, "so_hoa"])[0]
    assert (status, portal, diff) == ("no_portal_value", None, None)
    assert recomputed == pytest.approx(3.0)
    # cong_khai lacks 1.3 (and at agency level 1.1, 1.2): never recomputed; it shows 1.4's 2.25
    assert built.query(SCORE, ["2024-04", "agency", PROV, "cong_khai"]) == [
        (2.25, None, None, "not_recomputed")
    ]
    # the total needs the portal's other cells, blank in the fixture → no_portal_value
    assert built.query(SCORE, ["2024-04", "agency", PROV, "total"])[0][3] == "no_portal_value"
    # XA in May has no row in May's report
    assert built.query(SCORE, ["2024-05", "agency", XA, "tien_do"])[0][3] == "no_portal_row"
    # the province: the Tổng cộng row's scores are not in the raw layer → no_portal_row
    assert built.query(SCORE, ["2024-04", "province", "24", "tien_do"])[0][3] == "no_portal_row"


def test_every_scored_row_has_the_first_rule_set(built):
    assert built.query(
        "select distinct rule_set from marts.portal_766_indicators"
        " union select distinct rule_set from marts.portal_766_scores"
    ) == [("qd766_2024",)]
