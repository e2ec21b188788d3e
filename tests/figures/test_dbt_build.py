"""The whole dbt project builds on the hand-made raw layer: models, contracts, data tests
(Biểu 06 identities, keys) and the dbt unit tests of the calendar and the deadlines."""


def test_dbt_build_passes(built):
    assert built.returncode == 0, built.output[-6000:]
    assert "ERROR=0" in built.output
    assert "FAIL" not in built.output.replace("FAIL=0", "")


def test_dbt_unit_tests_ran(built):
    assert "int_calendar__days::test_calendar_days_around_30_april_2024" in built.output
    assert "int_dossiers__deadlines::test_statutory_due_dates_2024_holidays" in built.output


def test_calendar_working_days(built):
    rows = dict(
        built.query(
            "select cast(calendar_date as varchar), is_working_day from intermediate.int_calendar__days"
            " where calendar_date in ('2024-04-29', '2024-05-01', '2024-05-04', '2024-05-05',"
            " '2024-02-12', '2024-02-15', '2024-04-18')"
        )
    )
    assert rows == {
        "2024-04-29": False,
        "2024-05-01": False,
        "2024-05-04": True,
        "2024-05-05": False,
        "2024-02-12": False,
        "2024-02-15": True,
        "2024-04-18": False,
    }
