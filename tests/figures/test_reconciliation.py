"""reconciliation and reconciliation_dossiers on the hand-made raw layer (raw_fixture:
PORTAL_766_ROWS, SYNCED_2024_04), every value written by hand.

System side, April (see test_bieu_06): PROV received 8 (online A01, A04, A05, A07; in person
A02, A06, A08; post A03), resolved 6 (on time or early 4, overdue A03, A05), with a fee A01,
A02 (A03's fee is 0), paid online A01, synced A01–A03; XA B01 (in person, in the list);
CEASED C01 (online), HUYEN_B D01 (post), neither in the list; HUYEN_A has no dossier.
May (no synced list): PROV received 4 (online A13, A15; in person A12; post A14), resolved 3
(A13 early, A15 on time, A06 overdue); XA B02 in person; HUYEN_B and CEASED only carry over a
dossier in progress (all measures 0).
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.figures.conftest import run_dbt
from tests.figures.raw_fixture import CEASED, HUYEN_A, HUYEN_B, PROV, XA

MEASURES = [
    "received",
    "received_online",
    "received_in_person",
    "received_postal",
    "resolved",
    "resolved_on_time",
    "resolved_overdue",
    "with_fee",
    "paid_online",
    "synced",
]

RECONCILIATION = (
    "select measure, system_value, portal_value, diff, status from marts.reconciliation"
    " where period = ? and unit_code = ? order by measure_order"
)


def rows_of(system, portal, statuses, measures=MEASURES):
    """(measure, system, portal, diff, status) per measure; portal None = no report row."""
    return [
        (m, s, p, None if p is None else s - p, st)
        for m, s, p, st in zip(measures, system, portal, statuses, strict=True)
    ]


M, X = "match", "mismatch"

EXPECTED = {
    # Trực tuyến 5 against 4, Quá hạn 1 against 2, Có phí 3 against 2, Đồng bộ 4 against 3
    ("2024-04", PROV): rows_of(
        [8, 4, 3, 1, 6, 4, 2, 2, 1, 3],
        [8, 5, 3, 1, 6, 4, 1, 3, 1, 4],
        [M, X, M, M, M, M, X, X, M, X],
    ),
    ("2024-04", XA): rows_of(
        [1, 0, 1, 0, 0, 0, 0, 0, 0, 1], [1, 0, 1, 0, 0, 0, 0, 0, 0, 1], [M] * 10
    ),
    # a report row, no dossier in the system
    ("2024-04", HUYEN_A): rows_of(
        [0] * 10, [2, 2, 0, 0, 1, 1, 0, 0, 0, 2], ["no_system_data"] * 10
    ),
    # dossiers, no report row
    ("2024-04", CEASED): rows_of(
        [1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [None] * 10, ["no_portal_row"] * 10
    ),
    ("2024-04", HUYEN_B): rows_of(
        [1, 0, 0, 1, 0, 0, 0, 0, 0, 0], [None] * 10, ["no_portal_row"] * 10
    ),
    # May has no synced list: no `synced` row (the report's Đồng bộ 4 is not compared)
    ("2024-05", PROV): rows_of(
        [4, 2, 1, 1, 3, 2, 1, 0, 0], [4, 2, 1, 1, 3, 2, 1, 0, 0], [M] * 9, MEASURES[:9]
    ),
    ("2024-05", XA): rows_of(
        [1, 0, 1, 0, 0, 0, 0, 0, 0], [None] * 9, ["no_portal_row"] * 9, MEASURES[:9]
    ),
    # an all-zero report row against all-zero system counts (D01 only carries over): diff 0,
    # still no_system_data
    ("2024-05", HUYEN_B): rows_of([0] * 9, [0] * 9, ["no_system_data"] * 9, MEASURES[:9]),
}


@pytest.mark.parametrize(("period", "unit_code"), list(EXPECTED))
def test_reconciliation_rows(built, period, unit_code):
    assert built.query(RECONCILIATION, [period, unit_code]) == EXPECTED[(period, unit_code)]


def test_reconciliation_has_no_other_rows(built):
    # CEASED in May: a carried-over dossier in progress, no report row: no row at all.
    # No month without a 766 report (March) appears.
    units = built.query(
        "select distinct period, unit_code from marts.reconciliation order by period, unit_code"
    )
    assert units == sorted(EXPECTED)


def test_reconciliation_names(built):
    names = dict(
        built.query(
            "select distinct unit_code, unit_name from marts.reconciliation where period = '2024-04'"
        )
    )
    assert names[PROV] == "Sở Tư pháp"
    assert names[CEASED] == "UBND phường Hoàng Văn Thụ"


S = "2024-04"
EXPECTED_DOSSIERS = sorted(
    [
        # received in April in the system, absent from April's list
        (S, PROV, "A04", "missing_on_portal", "2024-04-03 08:00:00", None),
        (S, PROV, "A05", "missing_on_portal", "2024-04-10 08:00:00", None),
        (S, PROV, "A06", "missing_on_portal", "2024-04-22 08:00:00", None),
        (S, PROV, "A07", "missing_on_portal", "2024-04-15 08:00:00", None),
        (S, PROV, "A08", "missing_on_portal", "2024-04-25 08:00:00", None),
        (S, CEASED, "C01", "missing_on_portal", "2024-04-10 08:00:00", None),
        (S, HUYEN_B, "D01", "missing_on_portal", "2024-04-10 08:00:00", None),
        # in the list, unknown to the system
        (S, PROV, "X99", "missing_in_system", None, "2024-04-20 08:00:00"),
        # A02: status 9 against 10; ended 15:00:00 against 15:00:01
        (S, PROV, "A02", "status_mismatch", "9", "10"),
        (S, PROV, "A02", "ended_at_mismatch", "2024-04-05 15:00:00", "2024-04-05 15:00:01"),
        # A03: by post against in person; not paid online against paid
        (S, PROV, "A03", "channel_mismatch", "3", "1"),
        (S, PROV, "A03", "payment_mismatch", "0", "1"),
        # A09: received 28/3 in the system, 1/4 on the portal (listed in April)
        (S, PROV, "A09", "received_at_mismatch", "2024-03-28 08:00:00", "2024-04-01 08:00:00"),
        # no row: A01 (paid 1 against 2, ended 0.7 s apart), B01 (agrees)
    ]
)


def test_reconciliation_dossiers_rows(built):
    rows = built.query(
        "select period, unit_code, dossier_code, issue, system_value, portal_value"
        " from marts.reconciliation_dossiers"
        " order by period, unit_code, dossier_code, issue, system_value, portal_value"
    )
    assert sorted(rows, key=repr) == sorted(EXPECTED_DOSSIERS, key=repr)


def test_reconciliation_dossiers_only_months_with_a_list(built):
    # May has a 766 report but no synced list: no May row, although B02, A12–A15 are
    # received in May
    assert built.query(
        "select count(*) from marts.reconciliation_dossiers where period <> '2024-04'"
    ) == [(0,)]


@pytest.fixture(scope="module")
def rel_tolerance_run(built, tmp_path_factory):
    """`reconciliation` rebuilt on a copy of the warehouse with TTHC_RECON_REL_TOLERANCE=0.25
    (abs tolerance 0): a second dbt invocation of that one model."""
    warehouse = tmp_path_factory.mktemp("warehouse_rel_tolerance").resolve()
    shutil.copy(built.warehouse / "tthc.duckdb", warehouse / "tthc.duckdb")
    result = run_dbt(
        warehouse, "run", "--select", "reconciliation",
        env={"TTHC_RECON_ABS_TOLERANCE": "0", "TTHC_RECON_REL_TOLERANCE": "0.25"},
    )  # fmt: skip
    assert result.returncode == 0, result.output[-4000:]
    with duckdb.connect(str(warehouse / "tthc.duckdb"), read_only=True) as con:
        return con.execute(
            "select measure, diff, status, tolerance from marts.reconciliation"
            " where period = '2024-04' and unit_code = ? and status <> 'match'"
            " or (period = '2024-04' and unit_code = ? and measure = 'synced')"
            " order by measure_order",
            [PROV, PROV],
        ).fetchall()


def test_relative_tolerance(rel_tolerance_run):
    # allowed |diff| = 0.25 × max(system, portal): Trực tuyến 1 ≤ 1.25 and Đồng bộ 1 ≤ 1.0
    # (the bound itself is a match) become matches; Quá hạn 1 > 0.5, Có phí 1 > 0.75 stay.
    assert rel_tolerance_run == [
        ("resolved_overdue", 1, "mismatch", 0.5),
        ("with_fee", -1, "mismatch", 0.75),
        ("synced", -1, "match", 1.0),
    ]


def test_default_tolerance_is_zero(built):
    assert built.query("select count(*) from marts.reconciliation where tolerance <> 0") == [(0,)]
