"""Every KPI of kpis.md with hand-written numerator and denominator (PROV, April 2024; see
test_bieu_06 for the dossiers' roles)."""

import pytest

from tests.figures.raw_fixture import PROV, XA


def kpi(built, kpi_code, period="2024-04", level="agency", unit_code=PROV):
    # `period` labels are unique across period types (2024-04, 2024-Q2, 2024-H1, 2024).
    return built.query(
        "select numerator, denominator, value, target, meets_target from marts.kpi_values"
        " where period = ? and level = ? and unit_code = ? and kpi_code = ?",
        [period, level, unit_code, kpi_code],
    )


@pytest.mark.parametrize(
    ("kpi_code", "numerator", "denominator"),
    [
        ("on_time_rate", 4, 6),  # early A01, A09 + on time A02, A04 of 6 resolved
        ("progress_766", 6, 9),  # + within deadline A06, A08, of col 3 = 9
        ("online_rate", 3, 8),  # A01, A04, A07 (A05: paper result required, status 9, no e-result)
        ("online_payment_rate", 1, 2),  # with fee A01 (paid online), A02; A03's fee is 0
        ("digitization_rate", 2, 8),  # A01 (document DuocSoHoa), A02 (HoSoCoThanhPhanSoHoa)
        ("e_result_rate", 1, 5),  # status 9/10 resolved A01, A02, A03, A05, A09; e-result A01
        ("reuse_rate", 1, 8),  # A01
        ("satisfaction_766", 3, 6),  # A01, A04, A09; A02 rated -1; A03, A05 overdue
        ("supplement_rate", 3, 8),  # A05, A06, A08
        ("refusal_rate", 1, 9),  # A10 refused 5/4: 1 / (8 + 1)
        ("vneid_auth_rate", 2, 4),  # A01, A07 of the 4 online
        ("appointment_inflation_rate", 1, 8),  # A06: new appointment 8/5 > statutory 3/5
        ("avg_processing_wd", 13, 5),  # A01 2 + A02 3 + A03 4 + A05 (2 − 1 paused) 1 + A09 3
        ("avg_postal_return_wd", 2, 1),  # A01 ended 3/4, handed over by post 5/4
        ("sync_rate_766", 3, 8),  # A01–A03 in the list; max(8 received, 4 list rows)
        # of the 8 received: A02 at XA's desk, A03 at an unknown desk (A01 names PROV itself,
        # the others no desk: PROV)
        ("received_elsewhere_rate", 2, 8),
    ],
)
def test_kpis_prov_april(built, kpi_code, numerator, denominator):
    rows = kpi(built, kpi_code)
    assert len(rows) == 1
    assert rows[0][:2] == (numerator, denominator)
    assert rows[0][2] == pytest.approx(numerator / denominator)


def test_targets_and_meets_target(built):
    # on_time_rate 4/6 against 0.98: not met; supplement_rate (lower is better) 3/8 ≤ 0.4: met
    assert kpi(built, "on_time_rate")[0][3:] == (0.98, False)
    assert kpi(built, "supplement_rate")[0][3:] == (0.4, True)
    assert kpi(built, "reuse_rate")[0][3:] == (None, None)


def test_longer_periods_sum_counts(built):
    # Q2: resolved A01–A05, A09 (April) + A06, A13, A15 (May): 6 early or on time of 9
    assert kpi(built, "on_time_rate", period="2024-Q2")[0][:2] == (6, 9)
    assert kpi(built, "supplement_rate", period="2024-Q2")[0][:2] == (3, 12)
    # only April's synced list is loaded: the quarter is April's agency-month alone
    assert kpi(built, "sync_rate_766", period="2024-Q2")[0][:2] == (3, 8)
    assert kpi(built, "sync_rate_766", period="2024-05") == []


def test_sync_rate_rolls_up_agency_months(built):
    # XA: B01 in the list, 1/1; CEASED: C01 not in the list, 0/1 (both district 213);
    # HUYEN_B: D01 not in the list, 0/1 (district 222)
    assert kpi(built, "sync_rate_766", level="agency", unit_code=XA)[0][:2] == (1, 1)
    assert kpi(built, "sync_rate_766", level="district", unit_code="213")[0][:2] == (1, 2)
    assert kpi(built, "sync_rate_766", level="district", unit_code="222")[0][:2] == (0, 1)
    assert kpi(built, "sync_rate_766", level="province", unit_code="24")[0][:2] == (4, 11)


def test_zero_denominators_are_omitted(built):
    # PROV has no resolved dossier in March
    assert kpi(built, "on_time_rate", period="2024-03") == []
    assert built.query("select count(*) from marts.kpi_values where denominator = 0") == [(0,)]


def test_province_refusals(built):
    # province April: received 5 online + 6 in person/post, and A10 refused
    assert kpi(built, "refusal_rate", level="province", unit_code="24")[0][:2] == (1, 12)


def test_received_elsewhere_rolls_up_and_has_no_direction(built):
    # XA: B01 received at HUYEN_A's desk, 1/1; district 213: B01 and C01 (no desk), 1/2;
    # province: A02, A03, B01 of the 11 received in April
    assert kpi(built, "received_elsewhere_rate", unit_code=XA)[0][:2] == (1, 1)
    assert kpi(built, "received_elsewhere_rate", level="district", unit_code="213")[0][:2] == (1, 2)
    assert kpi(built, "received_elsewhere_rate", level="district", unit_code="222")[0][:2] == (0, 1)
    province = kpi(built, "received_elsewhere_rate", level="province", unit_code="24")
    assert province[0][:3] == (3, 11, pytest.approx(3 / 11))
    # Q2: April's 2 of PROV's 12 received (May: none at another desk)
    assert kpi(built, "received_elsewhere_rate", period="2024-Q2")[0][:2] == (2, 12)
    # chi_tieu has a 2024 target for it, but it has no direction: meets_target stays null
    assert province[0][3:] == (0.1, None)
    assert built.query(
        "select count(*) from marts.kpi_values"
        " where kpi_code = 'received_elsewhere_rate' and meets_target is not null"
    ) == [(0,)]
