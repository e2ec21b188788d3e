"""Figures across the 2025 reorganisation (reorganisation.md), on both bases: `bieu_06` and
`kpi_values` (as was: units as they were on each dossier's date) against `bieu_06_restated`
and `kpi_values_restated` (each dossier under the agency carrying its work on at data_through),
on the hand-made raw layer of reorganisation_fixture.py (its docstring tabulates the 14
received dossiers, 2 refused ones and where each belongs on each basis; data_through
2025-07-31). The last tests build the same layer again, up to June, then July as one nightly
increment: the restated basis moves with data_through for dossiers the night did not touch.

Biểu 06 rows below are the columns 4, 5, 6, 3, 7, 8, 9, 10, 11, 12, 13 of the form, in the
mart's order: received online, in person or by post, carried over, total, resolved, early,
on time, overdue, in progress, within deadline, overdue. Each expectation maps every unit of
the level that has dossiers to handle to its row: a unit missing from it must have no row
(a unit of the other basis, a district after 1 July). Rows whose counts are all zero and KPI
rows whose denominator is zero may be omitted (marts.md), so both are left out of the
comparison.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.figures.conftest import DbtRun, run_dbt
from tests.figures.reorganisation_fixture import (
    BN_XA,
    BRANCH,
    DEPT_C,
    DEPT_T,
    HUYEN,
    XA,
    XA_GONE,
    XA_OLD,
    write_raw_layer,
)
from tests.figures.test_incremental import _build, _settings

COLUMNS = (
    "received_online, received_in_person_postal, carried_over, total, resolved, resolved_early,"
    " resolved_on_time, resolved_overdue, in_progress, in_progress_within_deadline,"
    " in_progress_overdue"
)
BIEU_06 = {"as_was": "bieu_06", "restated": "bieu_06_restated"}
KPI_VALUES = {"as_was": "kpi_values", "restated": "kpi_values_restated"}
OLD_NAME, NEW_NAME = "Tỉnh Bắc Giang", "Tỉnh Bắc Ninh"  # code 24 until / from 2025-07-01


@pytest.fixture(scope="module")
def reform(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("reorganisation").resolve()
    write_raw_layer(warehouse)
    return run_dbt(warehouse, "build")


def bieu_06(reform, basis, period_type, period, level) -> dict[str, tuple]:
    rows = reform.query(
        f"select unit_code, {COLUMNS} from marts.{BIEU_06[basis]}"
        " where period_type = ? and period = ? and level = ? and total > 0",
        [period_type, period, level],
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def kpis(reform, basis, period_type, period, level, kpi_code) -> dict[str, tuple]:
    rows = reform.query(
        f"select unit_code, numerator, denominator from marts.{KPI_VALUES[basis]}"
        " where period_type = ? and period = ? and level = ? and kpi_code = ?"
        " and denominator > 0",
        [period_type, period, level, kpi_code],
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def test_dbt_build_passes(reform):
    # the identities are blocking dbt tests too (reorganisation.md "Identities")
    assert reform.returncode == 0, reform.output[-5000:]


def test_dossiers_as_the_fixture_means_them(reform):
    """The inputs of every figure below: timeliness, district at reception, desk elsewhere."""
    rows = reform.query(
        "select dossier_code, agency_code, district_code, timeliness,"
        " coalesce(receiving_agency_code, agency_code) <> agency_code from marts.dossiers"
    )
    assert {r[0]: r[1:] for r in rows} == {
        "T1": (DEPT_T, None, "early", False),
        "T2": (DEPT_T, None, "overdue", False),
        "C1": (DEPT_C, None, "on_time", False),
        "O1": (XA_OLD, "219", "early", False),
        "G1": (XA_GONE, "219", "early", False),
        "H1": (HUYEN, "219", "overdue", False),
        "X1": (XA, "219", "overdue", False),
        "X3": (XA, "219", "early", False),  # received 30 June: the last day of district 219
        "N1": (BN_XA, None, "early", False),
        "B1": (BRANCH, None, "on_time", True),
        "X2": (XA, None, "on_time", False),  # desk = XA itself
        "N2": (BN_XA, None, None, True),
        "C2": (DEPT_C, None, "early", True),
        "C3": (DEPT_C, None, None, False),
        # refused: the district of the submission date
        "R2": (HUYEN, "219", None, False),
        "R1": (BN_XA, None, None, False),
    }


# ------------------------------------------------------------------------------ Biểu 06
# (basis, period_type, period, level, {unit_code: row})
BIEU_06_ROWS = [
    # --- 2025-02 (E = 28/2 23:59:59): T1 online, ended early 12/2; T2 in person, open at E,
    # due 5/3 ≥ E: within the deadline. Both DEPT_T's as was, DEPT_C's restated (DEPT_T has
    # no row valid at 31/7; its last row's successor DEPT_C has).
    ("as_was", "month", "2025-02", "agency", {DEPT_T: (1, 1, 0, 2, 1, 1, 0, 0, 1, 1, 0)}),
    ("as_was", "month", "2025-02", "tier", {"tinh": (1, 1, 0, 2, 1, 1, 0, 0, 1, 1, 0)}),
    ("as_was", "month", "2025-02", "district", {}),
    ("as_was", "month", "2025-02", "province", {"24": (1, 1, 0, 2, 1, 1, 0, 0, 1, 1, 0)}),
    ("restated", "month", "2025-02", "agency", {DEPT_C: (1, 1, 0, 2, 1, 1, 0, 0, 1, 1, 0)}),
    ("restated", "month", "2025-02", "tier", {"tinh": (1, 1, 0, 2, 1, 1, 0, 0, 1, 1, 0)}),
    ("restated", "month", "2025-02", "province", {"24": (1, 1, 0, 2, 1, 1, 0, 0, 1, 1, 0)}),
    # --- 2025-03: T2 carried over (open at 1/3), ended 10/3 after its due 5/3: overdue, still
    # under DEPT_T as was (its MaCoQuan); C1 online, ended 7/3 09:00 on its due date: on time.
    # Restated, both under DEPT_C. O1 in person, ended early: XA_OLD's (district 219) as was,
    # XA_GONE's restated (XA_OLD → XA_GONE, ended without successor), district 219 both ways.
    (
        "as_was", "month", "2025-03", "agency",
        {
            DEPT_T: (0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0),
            DEPT_C: (1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0),
            XA_OLD: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
        },
    ),
    (
        "as_was", "month", "2025-03", "tier",
        {"tinh": (1, 0, 1, 2, 2, 0, 1, 1, 0, 0, 0), "xa": (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)},
    ),
    ("as_was", "month", "2025-03", "district", {"219": (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)}),
    ("as_was", "month", "2025-03", "province", {"24": (1, 1, 1, 3, 3, 1, 1, 1, 0, 0, 0)}),
    (
        "restated", "month", "2025-03", "agency",
        {DEPT_C: (1, 0, 1, 2, 2, 0, 1, 1, 0, 0, 0), XA_GONE: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)},
    ),
    (
        "restated", "month", "2025-03", "tier",
        {"tinh": (1, 0, 1, 2, 2, 0, 1, 1, 0, 0, 0), "xa": (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)},
    ),
    ("restated", "month", "2025-03", "district", {"219": (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)}),
    ("restated", "month", "2025-03", "province", {"24": (1, 1, 1, 3, 3, 1, 1, 1, 0, 0, 0)}),
    # --- 2025-06 (E = 30/6 23:59:59), the districts' last month: G1 in person, ended early;
    # H1 by post, open, due 7/7 ≥ E: within; X1 online, open, due 27/6 < E: overdue; X3 in
    # person on 30/6, open, due 4/7: within. All four in district 219 as was.
    (
        "as_was", "month", "2025-06", "agency",
        {
            XA_GONE: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
            HUYEN: (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),
            XA: (1, 1, 0, 2, 0, 0, 0, 0, 2, 1, 1),
        },
    ),
    (
        "as_was", "month", "2025-06", "tier",
        {"xa": (1, 2, 0, 3, 1, 1, 0, 0, 2, 1, 1), "huyen": (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)},
    ),
    ("as_was", "month", "2025-06", "district", {"219": (1, 3, 0, 4, 1, 1, 0, 0, 3, 2, 1)}),
    ("as_was", "month", "2025-06", "province", {"24": (1, 3, 0, 4, 1, 1, 0, 0, 3, 2, 1)}),
    # restated: H1 under BRANCH (HUYEN's successor, tinh, no district); X1, X3 under XA, whose
    # row at 31/7 has no district; G1 stays under XA_GONE (no successor), whose last row is
    # in district 219: the only dossier of 219 on this basis.
    (
        "restated", "month", "2025-06", "agency",
        {
            XA_GONE: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
            BRANCH: (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),
            XA: (1, 1, 0, 2, 0, 0, 0, 0, 2, 1, 1),
        },
    ),
    (
        "restated", "month", "2025-06", "tier",
        {"xa": (1, 2, 0, 3, 1, 1, 0, 0, 2, 1, 1), "tinh": (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)},
    ),
    ("restated", "month", "2025-06", "district", {"219": (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)}),
    ("restated", "month", "2025-06", "province", {"24": (1, 3, 0, 4, 1, 1, 0, 0, 3, 2, 1)}),
    # --- 2025-07 (E = data_through 31/7 23:59:59): carried over H1 (overdue 8/7), X1 (overdue
    # 2/7), X3 (early 3/7); received N1 online (early), B1 in person (on time), X2 online
    # (on time), N2 in person (open, due 18/7 < E: overdue), C2 online (early), C3 online
    # (open, due 4/8 ≥ E: within). As was, the carried-over three keep district 219 and H1
    # tier huyen; nothing received in July has a district.
    (
        "as_was", "month", "2025-07", "agency",
        {
            HUYEN: (0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0),
            XA: (1, 0, 2, 3, 3, 1, 1, 1, 0, 0, 0),
            BRANCH: (0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0),
            BN_XA: (1, 1, 0, 2, 1, 1, 0, 0, 1, 0, 1),
            DEPT_C: (2, 0, 0, 2, 1, 1, 0, 0, 1, 1, 0),
        },
    ),
    (
        "as_was", "month", "2025-07", "tier",
        {
            "huyen": (0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0),  # H1
            "xa": (2, 1, 2, 5, 4, 2, 1, 1, 1, 0, 1),  # XA + BN_XA
            "tinh": (2, 1, 0, 3, 2, 1, 1, 0, 1, 1, 0),  # BRANCH + DEPT_C
        },
    ),
    # H1, X1, X3: carried over only (early X3, overdue H1 and X1)
    ("as_was", "month", "2025-07", "district", {"219": (0, 0, 3, 3, 3, 1, 0, 2, 0, 0, 0)}),
    # 9 dossiers: online N1 X2 C2 C3, in person/post B1 N2, carried H1 X1 X3; resolved early
    # X3 N1 C2, on time B1 X2, overdue H1 X1; open C3 (within), N2 (overdue)
    ("as_was", "month", "2025-07", "province", {"24": (4, 2, 3, 9, 7, 3, 2, 2, 2, 1, 1)}),
    (
        "restated", "month", "2025-07", "agency",
        {
            BRANCH: (0, 1, 1, 2, 2, 0, 1, 1, 0, 0, 0),  # B1 + H1 (HUYEN's)
            XA: (1, 0, 2, 3, 3, 1, 1, 1, 0, 0, 0),
            BN_XA: (1, 1, 0, 2, 1, 1, 0, 0, 1, 0, 1),
            DEPT_C: (2, 0, 0, 2, 1, 1, 0, 0, 1, 1, 0),
        },
    ),
    (
        "restated", "month", "2025-07", "tier",
        {"tinh": (2, 1, 1, 4, 3, 1, 1, 1, 1, 1, 0), "xa": (2, 1, 2, 5, 4, 2, 1, 1, 1, 0, 1)},
    ),
    ("restated", "month", "2025-07", "district", {}),
    ("restated", "month", "2025-07", "province", {"24": (4, 2, 3, 9, 7, 3, 2, 2, 2, 1, 1)}),
    # --- 2025-Q1 (its months with data: 02, 03; E = 31/3): T1 early, T2 overdue, C1 on time,
    # O1 early
    (
        "as_was", "quarter", "2025-Q1", "agency",
        {
            DEPT_T: (1, 1, 0, 2, 2, 1, 0, 1, 0, 0, 0),
            DEPT_C: (1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0),
            XA_OLD: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
        },
    ),
    ("as_was", "quarter", "2025-Q1", "province", {"24": (2, 2, 0, 4, 4, 2, 1, 1, 0, 0, 0)}),
    (
        "restated", "quarter", "2025-Q1", "agency",
        {DEPT_C: (2, 1, 0, 3, 3, 1, 1, 1, 0, 0, 0), XA_GONE: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)},
    ),
    (
        "restated", "quarter", "2025-Q1", "tier",
        {"tinh": (2, 1, 0, 3, 3, 1, 1, 1, 0, 0, 0), "xa": (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)},
    ),
    # --- 2025-Q2 = June (nothing open from Q1 at 1/4, nothing in April or May)
    ("as_was", "quarter", "2025-Q2", "district", {"219": (1, 3, 0, 4, 1, 1, 0, 0, 3, 2, 1)}),
    (
        "as_was", "quarter", "2025-Q2", "tier",
        {"xa": (1, 2, 0, 3, 1, 1, 0, 0, 2, 1, 1), "huyen": (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)},
    ),
    ("restated", "quarter", "2025-Q2", "district", {"219": (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0)}),
    # --- 2025-Q3 = 2025-H2 = July (1/7–31/7)
    ("as_was", "quarter", "2025-Q3", "district", {"219": (0, 0, 3, 3, 3, 1, 0, 2, 0, 0, 0)}),
    ("restated", "quarter", "2025-Q3", "district", {}),
    ("as_was", "half", "2025-H2", "province", {"24": (4, 2, 3, 9, 7, 3, 2, 2, 2, 1, 1)}),
    (
        "restated", "half", "2025-H2", "tier",
        {"tinh": (2, 1, 1, 4, 3, 1, 1, 1, 1, 1, 0), "xa": (2, 1, 2, 5, 4, 2, 1, 1, 1, 0, 1)},
    ),
    # --- 2025-H1 (E = 30/6): T1 T2 C1 O1 G1 H1 X1 X3. Online T1 C1 X1; in person/post T2 O1
    # G1 H1 X3; resolved early T1 O1 G1, on time C1, overdue T2; open H1 X3 (within), X1
    # (overdue).
    (
        "as_was", "half", "2025-H1", "agency",
        {
            DEPT_T: (1, 1, 0, 2, 2, 1, 0, 1, 0, 0, 0),
            DEPT_C: (1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0),
            XA_OLD: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
            XA_GONE: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
            HUYEN: (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),
            XA: (1, 1, 0, 2, 0, 0, 0, 0, 2, 1, 1),
        },
    ),
    (
        "as_was", "half", "2025-H1", "tier",
        {
            "tinh": (2, 1, 0, 3, 3, 1, 1, 1, 0, 0, 0),  # T1 T2 C1
            "huyen": (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),  # H1
            "xa": (1, 3, 0, 4, 2, 2, 0, 0, 2, 1, 1),  # O1 G1 X1 X3
        },
    ),
    ("as_was", "half", "2025-H1", "district", {"219": (1, 4, 0, 5, 2, 2, 0, 0, 3, 2, 1)}),
    ("as_was", "half", "2025-H1", "province", {"24": (3, 5, 0, 8, 5, 3, 1, 1, 3, 2, 1)}),
    (
        "restated", "half", "2025-H1", "agency",
        {
            DEPT_C: (2, 1, 0, 3, 3, 1, 1, 1, 0, 0, 0),  # T1 T2 C1
            BRANCH: (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),  # H1
            XA_GONE: (0, 2, 0, 2, 2, 2, 0, 0, 0, 0, 0),  # O1 G1
            XA: (1, 1, 0, 2, 0, 0, 0, 0, 2, 1, 1),
        },
    ),
    (
        "restated", "half", "2025-H1", "tier",
        {"tinh": (2, 2, 0, 4, 3, 1, 1, 1, 1, 1, 0), "xa": (1, 3, 0, 4, 2, 2, 0, 0, 2, 1, 1)},
    ),
    ("restated", "half", "2025-H1", "district", {"219": (0, 2, 0, 2, 2, 2, 0, 0, 0, 0, 0)}),
    ("restated", "half", "2025-H1", "province", {"24": (3, 5, 0, 8, 5, 3, 1, 1, 3, 2, 1)}),
    # --- 2025 (1/1–31/7): all 14. Online T1 C1 X1 N1 X2 C2 C3; in person/post T2 O1 G1 H1 X3
    # B1 N2; resolved early T1 O1 G1 X3 N1 C2, on time C1 B1 X2, overdue T2 H1 X1; open C3
    # (within), N2 (overdue).
    (
        "as_was", "year", "2025", "agency",
        {
            DEPT_T: (1, 1, 0, 2, 2, 1, 0, 1, 0, 0, 0),
            DEPT_C: (3, 0, 0, 3, 2, 1, 1, 0, 1, 1, 0),  # C1 C2 C3
            HUYEN: (0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0),
            XA: (2, 1, 0, 3, 3, 1, 1, 1, 0, 0, 0),  # X1 X3 X2
            XA_OLD: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
            XA_GONE: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
            BRANCH: (0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0),
            BN_XA: (1, 1, 0, 2, 1, 1, 0, 0, 1, 0, 1),
        },
    ),
    (
        "as_was", "year", "2025", "tier",
        {
            "tinh": (4, 2, 0, 6, 5, 2, 2, 1, 1, 1, 0),  # DEPT_T + DEPT_C + BRANCH
            "huyen": (0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0),  # HUYEN
            "xa": (3, 4, 0, 7, 6, 4, 1, 1, 1, 0, 1),  # XA + XA_OLD + XA_GONE + BN_XA
        },
    ),
    # O1 G1 H1 X1 X3, whatever month they ended in
    ("as_was", "year", "2025", "district", {"219": (1, 4, 0, 5, 5, 3, 0, 2, 0, 0, 0)}),
    ("as_was", "year", "2025", "province", {"24": (7, 7, 0, 14, 12, 6, 3, 3, 2, 1, 1)}),
    (
        "restated", "year", "2025", "agency",
        {
            DEPT_C: (4, 1, 0, 5, 4, 2, 1, 1, 1, 1, 0),  # T1 T2 C1 C2 C3
            BRANCH: (0, 2, 0, 2, 2, 0, 1, 1, 0, 0, 0),  # H1 B1
            XA: (2, 1, 0, 3, 3, 1, 1, 1, 0, 0, 0),
            XA_GONE: (0, 2, 0, 2, 2, 2, 0, 0, 0, 0, 0),  # O1 G1
            BN_XA: (1, 1, 0, 2, 1, 1, 0, 0, 1, 0, 1),
        },
    ),
    (
        "restated", "year", "2025", "tier",
        {"tinh": (4, 3, 0, 7, 6, 2, 2, 2, 1, 1, 0), "xa": (3, 4, 0, 7, 6, 4, 1, 1, 1, 0, 1)},
    ),
    ("restated", "year", "2025", "district", {"219": (0, 2, 0, 2, 2, 2, 0, 0, 0, 0, 0)}),
    ("restated", "year", "2025", "province", {"24": (7, 7, 0, 14, 12, 6, 3, 3, 2, 1, 1)}),
    # --- 2025-W07 (10/2–16/2): T1 alone, received online and ended early
    ("as_was", "week", "2025-W07", "agency", {DEPT_T: (1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0)}),
    ("restated", "week", "2025-W07", "agency", {DEPT_C: (1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0)}),
    # --- 2025-W12 (17/3–23/3): O1 received 20/3, open at 23/3 23:59:59, due 27/3: within
    ("as_was", "week", "2025-W12", "agency", {XA_OLD: (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)}),
    ("restated", "week", "2025-W12", "agency", {XA_GONE: (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)}),
    ("restated", "week", "2025-W12", "district", {"219": (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0)}),
    # --- 2025-W26 (23/6–29/6, named Bắc Giang): H1 carried over (within), X1 received online,
    # open at 29/6 23:59:59 past its due 27/6 (overdue)
    ("as_was", "week", "2025-W26", "province", {"24": (1, 0, 1, 2, 0, 0, 0, 0, 2, 1, 1)}),
    ("restated", "week", "2025-W26", "province", {"24": (1, 0, 1, 2, 0, 0, 0, 0, 2, 1, 1)}),
    # --- 2025-W27 (Mon 30/6 – Sun 6/7, E = 6/7 23:59:59): across 1 July. Carried over H1
    # (open, due 7/7 17:00 ≥ E: within), X1 (ended overdue 2/7); received X3 in person on
    # 30/6 (ended early 3/7), N1 online 2/7 (open: ended 7/7 > E, due 8/7: within), B1 in
    # person 3/7 (open, due 9/7: within).
    (
        "as_was", "week", "2025-W27", "agency",
        {
            HUYEN: (0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0),
            XA: (0, 1, 1, 2, 2, 1, 0, 1, 0, 0, 0),
            BRANCH: (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),
            BN_XA: (1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0),
        },
    ),
    (
        "as_was", "week", "2025-W27", "tier",
        {
            "huyen": (0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0),
            "xa": (1, 1, 1, 3, 2, 1, 0, 1, 1, 1, 0),
            "tinh": (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),
        },
    ),
    # H1 X1 carried, X3 received on 30/6 (before the reform: it has district 219)
    ("as_was", "week", "2025-W27", "district", {"219": (0, 1, 2, 3, 2, 1, 0, 1, 1, 1, 0)}),
    ("as_was", "week", "2025-W27", "province", {"24": (1, 2, 2, 5, 2, 1, 0, 1, 3, 3, 0)}),
    (
        "restated", "week", "2025-W27", "agency",
        {
            BRANCH: (0, 1, 1, 2, 0, 0, 0, 0, 2, 2, 0),  # H1 + B1
            XA: (0, 1, 1, 2, 2, 1, 0, 1, 0, 0, 0),
            BN_XA: (1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0),
        },
    ),
    (
        "restated", "week", "2025-W27", "tier",
        {"tinh": (0, 1, 1, 2, 0, 0, 0, 0, 2, 2, 0), "xa": (1, 1, 1, 3, 2, 1, 0, 1, 1, 1, 0)},
    ),
    ("restated", "week", "2025-W27", "district", {}),
    ("restated", "week", "2025-W27", "province", {"24": (1, 2, 2, 5, 2, 1, 0, 1, 3, 3, 0)}),
    # --- 2025-W28 (7/7–13/7): H1 the last dossier of district 219 (carried over, ended
    # overdue 8/7); N1 (early 7/7) and B1 (on time 9/7) carried over; X2 received online,
    # on time 11/7
    ("as_was", "week", "2025-W28", "district", {"219": (0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0)}),
    ("as_was", "week", "2025-W28", "province", {"24": (1, 0, 3, 4, 4, 1, 2, 1, 0, 0, 0)}),
    # --- 2025-W29 (14/7–20/7): N2 received; no district any more
    ("as_was", "week", "2025-W29", "district", {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("basis", "period_type", "period", "level", "expected"),
    BIEU_06_ROWS,
    ids=[f"{b}-{p}-{lv}" for b, _, p, lv, _ in BIEU_06_ROWS],
)
def test_bieu_06_rows(reform, basis, period_type, period, level, expected):
    assert bieu_06(reform, basis, period_type, period, level) == expected


# ------------------------------------------------------------------------------ KPIs
# (basis, period_type, period, level, kpi_code, {unit_code: (numerator, denominator)})
# on_time_rate = (early + on time) / resolved; online_rate = online received, less C2
# (paper result required, ended without an electronic one) / received; received_elsewhere_rate
# = received at another agency's desk (B1, N2, C2; X2's desk is XA itself) / received.
KPI_ROWS = [
    # Feb: T1 (online, early); T2 received in person, open
    ("as_was", "month", "2025-02", "agency", "on_time_rate", {DEPT_T: (1, 1)}),
    ("restated", "month", "2025-02", "agency", "on_time_rate", {DEPT_C: (1, 1)}),
    ("as_was", "month", "2025-02", "agency", "online_rate", {DEPT_T: (1, 2)}),
    ("restated", "month", "2025-02", "agency", "online_rate", {DEPT_C: (1, 2)}),
    # Mar: T2 overdue (DEPT_T as was), C1 on time, O1 early; received C1 (online), O1
    (
        "as_was", "month", "2025-03", "agency", "on_time_rate",
        {DEPT_T: (0, 1), DEPT_C: (1, 1), XA_OLD: (1, 1)},
    ),
    ("restated", "month", "2025-03", "agency", "on_time_rate", {DEPT_C: (1, 2), XA_GONE: (1, 1)}),
    ("as_was", "month", "2025-03", "agency", "online_rate", {DEPT_C: (1, 1), XA_OLD: (0, 1)}),
    ("restated", "month", "2025-03", "province", "on_time_rate", {"24": (2, 3)}),
    # Jun: received G1, H1, X3 (not online), X1 (online); resolved G1 (early)
    (
        "as_was", "month", "2025-06", "agency", "online_rate",
        {XA: (1, 2), HUYEN: (0, 1), XA_GONE: (0, 1)},
    ),
    (
        "restated", "month", "2025-06", "agency", "online_rate",
        {XA: (1, 2), BRANCH: (0, 1), XA_GONE: (0, 1)},
    ),
    ("as_was", "month", "2025-06", "tier", "online_rate", {"xa": (1, 3), "huyen": (0, 1)}),
    ("restated", "month", "2025-06", "tier", "online_rate", {"xa": (1, 3), "tinh": (0, 1)}),
    ("as_was", "month", "2025-06", "district", "online_rate", {"219": (1, 4)}),
    ("restated", "month", "2025-06", "district", "online_rate", {"219": (0, 1)}),
    ("as_was", "month", "2025-06", "province", "on_time_rate", {"24": (1, 1)}),
    ("as_was", "month", "2025-06", "province", "received_elsewhere_rate", {"24": (0, 4)}),
    # Jul: resolved H1 X1 (overdue), X3 N1 C2 (early), B1 X2 (on time); received N1 X2 C2 C3
    # online (C2 not counted), B1 N2 in person; elsewhere B1 N2 C2
    (
        "as_was", "month", "2025-07", "agency", "on_time_rate",
        {HUYEN: (0, 1), XA: (2, 3), BRANCH: (1, 1), BN_XA: (1, 1), DEPT_C: (1, 1)},
    ),
    (
        "restated", "month", "2025-07", "agency", "on_time_rate",
        {XA: (2, 3), BRANCH: (1, 2), BN_XA: (1, 1), DEPT_C: (1, 1)},
    ),
    (
        "as_was", "month", "2025-07", "tier", "on_time_rate",
        {"huyen": (0, 1), "xa": (3, 4), "tinh": (2, 2)},
    ),
    ("restated", "month", "2025-07", "tier", "on_time_rate", {"xa": (3, 4), "tinh": (2, 3)}),
    ("as_was", "month", "2025-07", "district", "on_time_rate", {"219": (1, 3)}),
    ("restated", "month", "2025-07", "district", "on_time_rate", {}),
    ("as_was", "month", "2025-07", "province", "on_time_rate", {"24": (5, 7)}),
    ("restated", "month", "2025-07", "province", "on_time_rate", {"24": (5, 7)}),
    (
        "as_was", "month", "2025-07", "agency", "online_rate",
        {XA: (1, 1), BRANCH: (0, 1), BN_XA: (1, 2), DEPT_C: (1, 2)},
    ),
    ("as_was", "month", "2025-07", "tier", "online_rate", {"xa": (2, 3), "tinh": (1, 3)}),
    # nothing received in July has a district
    ("as_was", "month", "2025-07", "district", "online_rate", {}),
    ("as_was", "month", "2025-07", "province", "online_rate", {"24": (3, 6)}),
    ("restated", "month", "2025-07", "province", "online_rate", {"24": (3, 6)}),
    (
        "as_was", "month", "2025-07", "agency", "received_elsewhere_rate",
        {XA: (0, 1), BRANCH: (1, 1), BN_XA: (1, 2), DEPT_C: (1, 2)},
    ),
    (
        "restated", "month", "2025-07", "agency", "received_elsewhere_rate",
        {XA: (0, 1), BRANCH: (1, 1), BN_XA: (1, 2), DEPT_C: (1, 2)},
    ),
    (
        "as_was", "month", "2025-07", "tier", "received_elsewhere_rate",
        {"xa": (1, 3), "tinh": (2, 3)},
    ),
    ("as_was", "month", "2025-07", "province", "received_elsewhere_rate", {"24": (3, 6)}),
    ("restated", "month", "2025-07", "province", "received_elsewhere_rate", {"24": (3, 6)}),
    # 2025-W27: resolved X1 (overdue), X3 (early); received X3, B1 in person, N1 online;
    # elsewhere B1
    ("as_was", "week", "2025-W27", "province", "on_time_rate", {"24": (1, 2)}),
    ("as_was", "week", "2025-W27", "agency", "on_time_rate", {XA: (1, 2)}),
    ("restated", "week", "2025-W27", "province", "online_rate", {"24": (1, 3)}),
    (
        "as_was", "week", "2025-W27", "agency", "online_rate",
        {XA: (0, 1), BRANCH: (0, 1), BN_XA: (1, 1)},
    ),
    ("as_was", "week", "2025-W27", "province", "received_elsewhere_rate", {"24": (1, 3)}),
    ("restated", "week", "2025-W27", "tier", "received_elsewhere_rate", {"tinh": (1, 1), "xa": (0, 2)}),
    # H1 (1/1–30/6): resolved T1 O1 G1 (early), C1 (on time), T2 (overdue); received 8,
    # online T1 C1 X1
    ("as_was", "half", "2025-H1", "province", "on_time_rate", {"24": (4, 5)}),
    ("restated", "half", "2025-H1", "province", "online_rate", {"24": (3, 8)}),
    ("as_was", "half", "2025-H1", "tier", "on_time_rate", {"tinh": (2, 3), "xa": (2, 2)}),
    ("restated", "quarter", "2025-Q1", "agency", "on_time_rate", {DEPT_C: (2, 3), XA_GONE: (1, 1)}),
    # 2025: resolved 12 (early 6, on time 3); received 14, online 7 less C2
    (
        "as_was", "year", "2025", "agency", "on_time_rate",
        {
            DEPT_T: (1, 2), DEPT_C: (2, 2), HUYEN: (0, 1), XA: (2, 3),
            XA_OLD: (1, 1), XA_GONE: (1, 1), BRANCH: (1, 1), BN_XA: (1, 1),
        },
    ),
    (
        "restated", "year", "2025", "agency", "on_time_rate",
        {DEPT_C: (3, 4), BRANCH: (1, 2), XA: (2, 3), XA_GONE: (2, 2), BN_XA: (1, 1)},
    ),
    (
        "as_was", "year", "2025", "tier", "on_time_rate",
        {"tinh": (4, 5), "huyen": (0, 1), "xa": (5, 6)},
    ),
    ("restated", "year", "2025", "tier", "on_time_rate", {"tinh": (4, 6), "xa": (5, 6)}),
    ("as_was", "year", "2025", "district", "on_time_rate", {"219": (3, 5)}),
    ("restated", "year", "2025", "district", "on_time_rate", {"219": (2, 2)}),
    ("as_was", "year", "2025", "province", "on_time_rate", {"24": (9, 12)}),
    ("restated", "year", "2025", "province", "on_time_rate", {"24": (9, 12)}),
    (
        "as_was", "year", "2025", "agency", "online_rate",
        {
            DEPT_T: (1, 2), DEPT_C: (2, 3), HUYEN: (0, 1), XA: (2, 3),
            XA_OLD: (0, 1), XA_GONE: (0, 1), BRANCH: (0, 1), BN_XA: (1, 2),
        },
    ),
    (
        "restated", "year", "2025", "agency", "online_rate",
        {DEPT_C: (3, 5), BRANCH: (0, 2), XA: (2, 3), XA_GONE: (0, 2), BN_XA: (1, 2)},
    ),
    ("as_was", "year", "2025", "district", "online_rate", {"219": (1, 5)}),
    ("as_was", "year", "2025", "province", "online_rate", {"24": (6, 14)}),
    ("restated", "year", "2025", "province", "online_rate", {"24": (6, 14)}),
    (
        "as_was", "year", "2025", "agency", "received_elsewhere_rate",
        {
            DEPT_T: (0, 2), DEPT_C: (1, 3), HUYEN: (0, 1), XA: (0, 3),
            XA_OLD: (0, 1), XA_GONE: (0, 1), BRANCH: (1, 1), BN_XA: (1, 2),
        },
    ),
    (
        "restated", "year", "2025", "agency", "received_elsewhere_rate",
        {DEPT_C: (1, 5), BRANCH: (1, 2), XA: (0, 3), XA_GONE: (0, 2), BN_XA: (1, 2)},
    ),
    ("as_was", "year", "2025", "province", "received_elsewhere_rate", {"24": (3, 14)}),
    ("restated", "year", "2025", "province", "received_elsewhere_rate", {"24": (3, 14)}),
    # refusal_rate = refused in the period / (received + refused): R2 (HUYEN, 19/6), R1
    # (BN_XA, 16/7). June received: G1 (XA_GONE), H1 (HUYEN), X1 X3 (XA).
    (
        "as_was", "month", "2025-06", "agency", "refusal_rate",
        {XA_GONE: (0, 1), HUYEN: (1, 2), XA: (0, 2)},
    ),
    (
        "restated", "month", "2025-06", "agency", "refusal_rate",
        {XA_GONE: (0, 1), BRANCH: (1, 2), XA: (0, 2)},
    ),
    ("as_was", "month", "2025-06", "tier", "refusal_rate", {"xa": (0, 3), "huyen": (1, 2)}),
    ("restated", "month", "2025-06", "tier", "refusal_rate", {"xa": (0, 3), "tinh": (1, 2)}),
    ("as_was", "month", "2025-06", "district", "refusal_rate", {"219": (1, 5)}),
    ("restated", "month", "2025-06", "district", "refusal_rate", {"219": (0, 1)}),
    ("as_was", "month", "2025-06", "province", "refusal_rate", {"24": (1, 5)}),
    ("restated", "month", "2025-06", "province", "refusal_rate", {"24": (1, 5)}),
    # July received: X2 (XA), B1 (BRANCH), N1 N2 (BN_XA), C2 C3 (DEPT_C); no district
    (
        "as_was", "month", "2025-07", "agency", "refusal_rate",
        {XA: (0, 1), BRANCH: (0, 1), BN_XA: (1, 3), DEPT_C: (0, 2)},
    ),
    ("restated", "month", "2025-07", "tier", "refusal_rate", {"xa": (1, 4), "tinh": (0, 3)}),
    ("as_was", "month", "2025-07", "district", "refusal_rate", {}),
    ("as_was", "year", "2025", "province", "refusal_rate", {"24": (2, 16)}),
    ("restated", "year", "2025", "province", "refusal_rate", {"24": (2, 16)}),
    # sync_rate_766 (reorganisation_fixture.SYNCED): per as-was agency-month, received in the
    # month and listed / max(received, listed); restated, those terms summed under the agency
    # carrying the work on. Feb: DEPT_T 1 of max(2, 1), DEPT_C 0 of max(0, 1) (Z1).
    ("as_was", "month", "2025-02", "agency", "sync_rate_766", {DEPT_T: (1, 2), DEPT_C: (0, 1)}),
    ("restated", "month", "2025-02", "agency", "sync_rate_766", {DEPT_C: (1, 3)}),
    ("as_was", "month", "2025-02", "tier", "sync_rate_766", {"tinh": (1, 3)}),
    ("restated", "quarter", "2025-Q1", "province", "sync_rate_766", {"24": (1, 3)}),
    # Jun: G1 1 of 1 (XA_GONE), H1 1 of 1 (HUYEN), X1 of X1 and X3 (XA 1 of 2)
    (
        "as_was", "month", "2025-06", "agency", "sync_rate_766",
        {XA_GONE: (1, 1), HUYEN: (1, 1), XA: (1, 2)},
    ),
    (
        "restated", "month", "2025-06", "agency", "sync_rate_766",
        {XA_GONE: (1, 1), BRANCH: (1, 1), XA: (1, 2)},
    ),
    ("as_was", "month", "2025-06", "tier", "sync_rate_766", {"xa": (2, 3), "huyen": (1, 1)}),
    ("restated", "month", "2025-06", "tier", "sync_rate_766", {"xa": (2, 3), "tinh": (1, 1)}),
    ("as_was", "month", "2025-06", "district", "sync_rate_766", {"219": (3, 4)}),
    ("restated", "month", "2025-06", "district", "sync_rate_766", {"219": (1, 1)}),
    # no list for July: no sync_rate_766 there
    ("as_was", "month", "2025-07", "province", "sync_rate_766", {}),
    ("as_was", "year", "2025", "province", "sync_rate_766", {"24": (4, 7)}),
    ("restated", "year", "2025", "province", "sync_rate_766", {"24": (4, 7)}),
    (
        "restated", "year", "2025", "agency", "sync_rate_766",
        {DEPT_C: (1, 3), BRANCH: (1, 1), XA: (1, 2), XA_GONE: (1, 1)},
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("basis", "period_type", "period", "level", "kpi_code", "expected"),
    KPI_ROWS,
    ids=[f"{b}-{p}-{lv}-{k}" for b, _, p, lv, k, _ in KPI_ROWS],
)
def test_kpi_values(reform, basis, period_type, period, level, kpi_code, expected):
    assert kpis(reform, basis, period_type, period, level, kpi_code) == expected


@pytest.mark.parametrize("mart", KPI_VALUES.values())
def test_sync_rate_has_no_week_rows(reform, mart):
    # marts.md: sync_rate_766 for months and longer periods only
    rows = reform.query(
        f"select period_type, count(*) from marts.{mart}"
        " where kpi_code = 'sync_rate_766' group by all order by 1"
    )
    assert [r[0] for r in rows] == ["half", "month", "quarter", "year"]


def test_received_elsewhere_rate_has_no_direction(reform):
    for mart in KPI_VALUES.values():
        rows = reform.query(
            f"select distinct target, meets_target from marts.{mart}"
            " where kpi_code = 'received_elsewhere_rate'"
        )
        # target 0.1 from chi_tieu.csv, meets_target null on every row
        assert rows, mart
        assert {(float(target), meets) for target, meets in rows} == {(0.1, None)}, mart


# ------------------------------------------------------------------------------ identities
def _province_rows(reform, mart, columns):
    rows = reform.query(
        f"select period_type, period, unit_code, {columns} from marts.{mart}"
        " where level = 'province'"
    )
    return sorted(rows, key=lambda r: tuple(map(str, r)))


def test_restated_province_rows_equal_as_was_province_rows(reform):
    # per period, every count (Biểu 06) and every numerator and denominator (kpi_values)
    assert _province_rows(reform, "bieu_06_restated", COLUMNS) == _province_rows(
        reform, "bieu_06", COLUMNS
    )
    kpi_columns = "kpi_code, numerator, denominator"
    assert _province_rows(reform, "kpi_values_restated", kpi_columns) == _province_rows(
        reform, "kpi_values", kpi_columns
    )


@pytest.mark.parametrize("basis", ["as_was", "restated"])
@pytest.mark.parametrize("level", ["agency", "tier"])
def test_every_dossier_counted_once_per_level(reform, basis, level):
    """Per period, the agency rows and the tier rows sum to the province rows, column by
    column (kpis.md col identities hold per row; here across rows)."""
    sums = ", ".join(f"sum({c.strip()})" for c in COLUMNS.split(","))
    by_level = reform.query(
        f"select period_type, period, level, {sums} from marts.{BIEU_06[basis]}"
        " where level in (?, 'province') group by all",
        [level],
    )
    totals: dict[tuple, dict[str, tuple]] = {}
    for period_type, period, row_level, *counts in by_level:
        totals.setdefault((period_type, period), {})[row_level] = tuple(counts)
    assert totals
    for period, levels in totals.items():
        assert levels.get(level) == levels.get("province"), period


@pytest.mark.parametrize("basis", ["as_was", "restated"])
def test_province_total_counts_each_dossier_to_handle_once(reform, basis):
    """Province col 3 of every period = the dossiers received by its end and not ended
    before its start, counted from `dossiers` (14 in 2025, 5 in 2025-W27)."""
    expected = reform.query(
        "select periods.period_type, periods.period, count(*) from"
        " (select distinct period_type, period, period_start, period_end from marts.bieu_06)"
        " as periods inner join marts.dossiers"
        " on dossiers.received_at < periods.period_end + interval 1 day"
        " and (dossiers.ended_at is null or dossiers.ended_at >= periods.period_start)"
        " where dossiers.is_received group by all"
    )
    got = reform.query(
        f"select period_type, period, total from marts.{BIEU_06[basis]} where level = 'province'"
    )
    assert sorted(got) == sorted(expected)
    assert ("year", "2025", 14) in got and ("week", "2025-W27", 5) in got


# ------------------------------------------------------------------------------ units
@pytest.mark.parametrize("mart", [*BIEU_06.values(), *KPI_VALUES.values()])
def test_one_province_row_per_code_named_at_period_end(reform, mart):
    """Every dossier is in province 24 (BN_XA's commune 09200 hangs under 24 from 1 July): one
    code per period, named by its dvhc row valid at the period's end: Bắc Giang for periods
    ending by 30/6/2025, Bắc Ninh after (2025-W27 ends 6/7, the year and H2 at 31/7)."""
    periods = {
        r[0]: r[1]
        for r in reform.query(
            "select distinct period, cast(period_end as varchar) from marts.bieu_06"
        )
    }
    rows = reform.query(
        f"select distinct period_type, period, unit_code, unit_name from marts.{mart}"
        " where level = 'province'"
    )
    seen = {}
    for period_type, period, unit_code, unit_name in rows:
        assert unit_code == "24", (period, unit_code)
        assert (period_type, period) not in seen, (period, unit_name, seen)
        seen[(period_type, period)] = unit_name
        expected = OLD_NAME if periods[period] <= "2025-06-30" else NEW_NAME
        assert unit_name == expected, (period, periods[period])
    assert seen[("week", "2025-W26")] == OLD_NAME
    assert seen[("week", "2025-W27")] == NEW_NAME
    assert seen[("half", "2025-H1")] == OLD_NAME
    assert seen[("year", "2025")] == NEW_NAME


def test_week_periods_from_first_reception_to_data_through(reform):
    # T1 received Mon 10/2 (W07) … C3/N2 open at 31/7 (W31, ending at data_through);
    # W14–W23 (31/3–8/6) have no dossier to handle, so no rows (O1 ended 26/3, W13)
    rows = reform.query(
        "select period, cast(period_start as varchar), cast(period_end as varchar)"
        " from marts.bieu_06 where level = 'province' and period_type = 'week' order by 1"
    )
    assert [r[0] for r in rows] == [f"2025-W{w:02d}" for w in [*range(7, 14), *range(24, 32)]]
    bounds = {r[0]: r[1:] for r in rows}
    assert bounds["2025-W07"] == ("2025-02-10", "2025-02-16")
    assert bounds["2025-W27"] == ("2025-06-30", "2025-07-06")
    assert bounds["2025-W31"] == ("2025-07-28", "2025-07-31")


@pytest.mark.parametrize("basis", ["as_was", "restated"])
def test_no_district_rows_for_dossiers_received_from_1_july(reform, basis):
    """Only district 219 exists in the data; in periods starting from 1 July its rows hold
    only dossiers carried over (as was) or none at all (restated: O1 and G1 ended before)."""
    rows = reform.query(
        f"select period_type, period, unit_code, cast(period_start as varchar),"
        f" received_online + received_in_person_postal from marts.{BIEU_06[basis]}"
        " where level = 'district'"
    )
    assert {r[2] for r in rows} == {"219"}
    assert all(r[4] == 0 for r in rows if r[3] >= "2025-07-01"), rows
    after = sorted(r[1] for r in rows if r[3] >= "2025-07-01")
    if basis == "as_was":
        # H1, X1, X3 carried over; W28 is H1's last week (ended 8/7)
        assert after == ["2025-07", "2025-H2", "2025-Q3", "2025-W28"]
    else:
        assert after == []
        # O1 (20/3–26/3) and G1 (10/6–13/6), under XA_GONE (its last row in 219)
        assert sorted(r[1] for r in rows) == [
            "2025", "2025-03", "2025-06", "2025-H1", "2025-Q1", "2025-Q2",
            "2025-W12", "2025-W13", "2025-W24",
        ]  # fmt: skip


def test_merged_and_ceased_agencies_appear_only_as_was(reform):
    """DEPT_T (merged 1/3), XA_OLD (merged 1/4) and HUYEN (ceased 30/6) have rows as was in
    the periods of their dossiers, none restated: their dossiers count under DEPT_C, XA_GONE
    and BRANCH there."""
    for agency, periods in [
        # T1 10/2–12/2, T2 20/2–10/3
        (DEPT_T, ["2025", "2025-02", "2025-03", "2025-H1", "2025-Q1",
                  "2025-W07", "2025-W08", "2025-W09", "2025-W10", "2025-W11"]),
        # H1 16/6–8/7
        (HUYEN, ["2025", "2025-06", "2025-07", "2025-H1", "2025-H2", "2025-Q2", "2025-Q3",
                 "2025-W25", "2025-W26", "2025-W27", "2025-W28"]),
        # O1 20/3–26/3
        (XA_OLD, ["2025", "2025-03", "2025-H1", "2025-Q1", "2025-W12", "2025-W13"]),
    ]:  # fmt: skip
        for basis, expected in [("as_was", periods), ("restated", [])]:
            rows = reform.query(
                f"select period from marts.{BIEU_06[basis]}"
                " where level = 'agency' and unit_code = ? order by 1",
                [agency],
            )
            assert [r[0] for r in rows] == expected, (agency, basis)
            rows = reform.query(
                f"select distinct period from marts.{KPI_VALUES[basis]}"
                " where level = 'agency' and unit_code = ?",
                [agency],
            )
            assert bool(rows) == bool(expected), (agency, basis)


@pytest.mark.parametrize(
    ("period_type", "period"),
    [("month", "2025-02"), ("week", "2025-W07"), ("week", "2025-W08"), ("week", "2025-W09")],
)
def test_merged_department_under_its_successor_restated(reform, period_type, period):
    """Until 2 March only DEPT_T has dossiers: its as-was row is DEPT_C's restated row."""
    as_was = bieu_06(reform, "as_was", period_type, period, "agency")
    restated = bieu_06(reform, "restated", period_type, period, "agency")
    assert set(as_was) == {DEPT_T}
    assert restated == {DEPT_C: as_was[DEPT_T]}


# ------------------------------------------------------------------------------ increments
FIGURE_MARTS = [*BIEU_06.values(), *KPI_VALUES.values()]


@pytest.fixture(scope="module")
def across_1_july(tmp_path_factory) -> dict:
    """The raw layer built up to June's last file (25/6), then July's files as one nightly
    increment (orchestration/dbt_increment.py plans it, as the build step does)."""
    warehouse = tmp_path_factory.mktemp("reorganisation_incremental").resolve()
    held = tmp_path_factory.mktemp("reorganisation_july")
    write_raw_layer(warehouse)
    days = warehouse / "raw" / "dossier_versions"
    july = sorted(days.glob("2025-07-*.parquet"))
    for path in july:
        shutil.move(path, held / path.name)
    settings = _settings(warehouse)
    first, _ = _build(settings)
    june = DbtRun(warehouse, 0, "")
    before = {
        level: bieu_06(june, "restated", "month", "2025-06", level)
        for level in ("agency", "district")
    }
    for path in july:
        shutil.move(held / path.name, path)
    nightly, _ = _build(settings)
    return {"warehouse": warehouse, "plans": (first, nightly), "before": before}


def test_restated_basis_follows_data_through(across_1_july):
    """With data through 25/6, HUYEN and XA still have rows valid at data_through: June's
    restated rows are HUYEN's and district 219's (G1, H1, X1; E = 25/6 23:59:59, X1 due 27/6
    and H1 due 7/7 are within the deadline). July's files move data_through to 31/7."""
    assert across_1_july["before"] == {
        "agency": {
            XA_GONE: (0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0),
            HUYEN: (0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0),
            XA: (1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0),
        },
        "district": {"219": (1, 2, 0, 3, 1, 1, 0, 0, 2, 2, 0)},
    }
    first, nightly = across_1_july["plans"]
    assert first.full_refresh and not nightly.full_refresh
    assert nightly.changed_days == [
        f"2025-07-{d:02d}" for d in (2, 3, 7, 8, 9, 11, 14, 16, 23, 28, 31)
    ]


@pytest.mark.parametrize("mart", FIGURE_MARTS)
def test_increment_across_1_july_equals_the_full_build(across_1_july, reform, mart):
    """The restated positions move with data_through for every dossier, also those the
    increment did not touch (G1, T1, ...): the increment's marts equal the full build's."""
    with duckdb.connect() as con:
        con.execute(f"attach '{across_1_july['warehouse'] / 'tthc.duckdb'}' as nightly (read_only)")
        con.execute(f"attach '{reform.warehouse / 'tthc.duckdb'}' as rebuilt (read_only)")
        for left, right in (("nightly", "rebuilt"), ("rebuilt", "nightly")):
            extra = con.execute(
                f"select * from {left}.marts.{mart} except all select * from {right}.marts.{mart}"
            ).fetchall()
            assert extra == [], f"{mart}: {len(extra)} row(s) only in the {left} build"
