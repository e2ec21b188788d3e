"""The generator's working-day arithmetic follows kpis.md on the 2024 calendar."""

from datetime import date

import numpy as np

from synthetic.calendar import WorkCalendar, calendar_rows, day_num, num_day

CAL = WorkCalendar(date(2023, 12, 1), date(2025, 3, 31))


def _add(d: date, n: int) -> date:
    return num_day(int(CAL.wd_add(day_num(d), n)))


def test_wd_add_skips_weekends_and_holidays():
    assert _add(date(2024, 2, 7), 1) == date(2024, 2, 15)       # Tết 8-14/2
    assert _add(date(2024, 4, 26), 1) == date(2024, 5, 2)       # 29/4-1/5 off
    assert _add(date(2024, 5, 3), 1) == date(2024, 5, 4)        # Saturday worked in exchange
    assert _add(date(2024, 8, 30), 1) == date(2024, 9, 4)       # 2-3/9
    assert _add(date(2024, 6, 28), 3) == date(2024, 7, 3)


def test_wd_between_and_next_working_day():
    a, b = day_num(date(2024, 2, 7)), day_num(date(2024, 2, 15))
    assert int(CAL.wd_between(a, b)) == 1
    assert int(CAL.wd_between(b, a)) == 0
    sat = day_num(date(2024, 6, 1))
    assert num_day(int(CAL.next_wd_on_or_after(sat))) == date(2024, 6, 3)
    days = np.array([day_num(date(2024, 1, 1)), day_num(date(2024, 1, 2))])
    assert CAL.is_work(days).tolist() == [False, True]


def test_calendar_rows_2024_and_2025():
    rows = calendar_rows(2024, 2025)
    assert ("2024-05-04", "lam_bu", "Làm bù cho ngày nghỉ 29/4/2024") in rows
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert sum(r[0].startswith("2025") for r in rows) >= 10
