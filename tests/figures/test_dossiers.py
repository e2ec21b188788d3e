"""The `dossiers` mart: current state, deadlines, timeliness, flags, district."""

from datetime import date, datetime

import pytest

from tests.figures.raw_fixture import HUYEN_A, HUYEN_B, PROV, UNKNOWN_DESK, XA


def dossier(built, code: str) -> dict:
    with_names = built.query("select * from marts.dossiers where dossier_code = ?", [code])
    columns = [r[0] for r in built.query("describe marts.dossiers")]
    assert len(with_names) == 1
    return dict(zip(columns, with_names[0], strict=True))


def test_one_row_per_dossier(built):
    assert built.query("select count(*), count(distinct dossier_code) from marts.dossiers") == [
        (20, 20)
    ]


@pytest.mark.parametrize(
    ("code", "status", "why"),
    [
        ("A13", 9, "same NgayCapNhat in files 2/5 and 3/5: the later file, then its later line"),
        ("A14", 4, "same NgayCapNhat twice in one file: the later line"),
        ("A15", 9, "the greater NgayCapNhat wins over a version from a later file"),
    ],
)
def test_current_state_rule(built, code, status, why):
    assert dossier(built, code)["status"] == status, why


@pytest.mark.parametrize(
    ("code", "timeliness"),
    [
        ("A04", "on_time"),  # withdrawn (7) ended after its appointment: still on time
        ("A05", "overdue"),  # two supplement requests, ended before the appointment
        ("A03", "overdue"),  # ended 8/4 10:00 after due 5/4 17:00
        ("A01", "early"),  # ended 3/4, due 4/4
        ("A02", "on_time"),  # ended 5/4 15:00, due 5/4 17:00: same date
        ("A06", "overdue"),  # ended 8/5 17:30, after the supplement's new appointment 8/5 17:00
        ("A07", None),  # not ended
    ],
)
def test_timeliness_branches(built, code, timeliness):
    assert dossier(built, code)["timeliness"] == timeliness


@pytest.mark.parametrize(
    ("code", "statutory", "due_at", "inflated"),
    [
        # 3 wd from Mon 22/4, paused 3 wd (25/4, 26/4, 2/5): 6 wd → 3/5; new appointment 8/5
        ("A06", date(2024, 5, 3), datetime(2024, 5, 8, 17), True),
        # 5 calendar days from Mon 6/5 = Sat 11/5 → first working day Mon 13/5; no appointment
        ("A12", date(2024, 5, 13), datetime(2024, 5, 13, 23, 59, 59), False),
        # 3 wd from Thu 2/5: 3/5, Sat 4/5 (worked in exchange), 6/5; appointment 7/5
        ("A13", date(2024, 5, 6), datetime(2024, 5, 7, 17), True),
        # 3 wd from Mon 15/4 skip Thu 18/4 (Giỗ Tổ): 16, 17, 19/4
        ("A07", date(2024, 4, 19), datetime(2024, 4, 18, 17), False),
        # 1 paused wd (10/4 → 11/4), the second request answered the same day: 4 wd → 16/4
        ("A05", date(2024, 4, 16), datetime(2024, 4, 15, 17), False),
        # unanswered request pauses nothing: 26/4, 2/5, 3/5
        ("A08", date(2024, 5, 3), datetime(2024, 4, 26, 17), False),
    ],
)
def test_due_dates(built, code, statutory, due_at, inflated):
    row = dossier(built, code)
    assert (row["statutory_due_date"], row["due_at"], row["is_appointment_inflated"]) == (
        statutory,
        due_at,
        inflated,
    )


def test_working_day_counts(built):
    a05, a06, a01 = dossier(built, "A05"), dossier(built, "A06"), dossier(built, "A01")
    assert (
        a05["supplement_count"],
        a05["paused_working_days"],
        a05["processing_working_days"],
    ) == (2, 1, 1)
    # 22/4 → 8/5: 23–26/4, 2/5, 3/5, 4/5, 6/5, 7/5, 8/5 = 10, less 3 paused
    assert (a06["paused_working_days"], a06["processing_working_days"]) == (3, 7)
    assert a01["processing_working_days"] == 2


def test_flags(built):
    a01, a02, a03 = dossier(built, "A01"), dossier(built, "A02"), dossier(built, "A03")
    assert (a01["has_fee"], a01["fee_total_vnd"], a01["is_paid_online"]) == (True, 50000, True)
    assert (a01["is_digitized"], a01["is_reused"], a01["has_electronic_result"]) == (
        True,
        True,
        True,
    )
    assert (a01["is_vneid_authenticated"], a01["rating"]) == (True, 1)
    # digitized through HoSoCoThanhPhanSoHoa; an empty result link is not electronic
    assert (a02["is_digitized"], a02["has_electronic_result"], a02["has_fee"]) == (
        True,
        False,
        True,
    )
    assert (a03["has_fee"], a03["fee_total_vnd"], a03["is_digitized"]) == (False, 0, False)
    assert dossier(built, "A10")["received_at"] is None
    assert dossier(built, "A01")["applicant_key"] == "key-A01"


@pytest.mark.parametrize(
    ("code", "agency", "district"),
    [
        ("A01", PROV, None),  # provincial department: no district
        ("B01", XA, "213"),  # received 10/4, parent HUYEN_A (213) until 14/5
        ("B02", XA, "222"),  # received 16/5, parent HUYEN_B (222) from 15/5
        ("B03", XA, "222"),  # never received: submission date 16/5
        ("C01", "210.21.21.H04", "213"),  # agency ended 31/3: its last row (parent HUYEN_A)
        ("D01", HUYEN_B, "222"),  # a district agency is its own district
    ],
)
def test_district_from_unit_history(built, code, agency, district):
    row = dossier(built, code)
    assert (row["agency_code"], row["district_code"]) == (agency, district)


@pytest.mark.parametrize(
    ("code", "receiving"),
    [
        ("A01", PROV),  # MaDonViTiepNhan = MaCoQuan
        ("A02", XA),  # another desk
        ("A03", UNKNOWN_DESK),  # unknown to don_vi.csv: loaded, kept as delivered
        ("A04", PROV),  # absent: the handling agency
        ("B01", HUYEN_A),
    ],
)
def test_receiving_agency_code(built, code, receiving):
    assert dossier(built, code)["receiving_agency_code"] == receiving


def test_unknown_receiving_desk_is_a_warning_counted_per_file(built):
    """The dbt warning (never blocking) and the per-file rows data_quality publishes."""
    import duckdb

    from publish.data_quality import read_unknown_receiving_agencies, unknown_receiving_agency_rows

    assert "WARN 1 unknown_receiving_agency" in " ".join(built.output.split())
    with duckdb.connect(str(built.warehouse / "tthc.duckdb"), read_only=True) as con:
        files = read_unknown_receiving_agencies(con)
    assert files == [("dossier_system/2024-04-09/hoso_20240409.jsonl", 1, UNKNOWN_DESK)]
    (row,) = unknown_receiving_agency_rows(files)
    assert (row.source, row.object, row.check_name, row.severity, row.passed, row.failing_rows) == (
        "dossier_system",
        "dossier_system/2024-04-09/hoso_20240409.jsonl",
        "unknown_receiving_agency",
        "warn",
        False,
        1,
    )
    assert UNKNOWN_DESK in row.details
