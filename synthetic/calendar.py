"""The working calendar of the synthetic province (ngay_nghi.csv) and vectorised day arithmetic.

Days are integers: days since 1970-01-01 (numpy datetime64[D] as int). Timestamps are integer
seconds since 1970-01-01 00:00 *local time* (UTC+7, naive): the sources carry local time only.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

# (date, loai, ten). 2024 and 2025 are the official calendars; 2026 is the announced one
# (Tết 14-22/2/2026 lands on weekdays 16-20/2). Other years fall back to the fixed-date holidays.
_HOLIDAYS: dict[int, list[tuple[str, str, str]]] = {
    2024: [
        ("2024-01-01", "nghi", "Tết Dương lịch"),
        ("2024-02-08", "nghi", "Tết Nguyên đán"),
        ("2024-02-09", "nghi", "Tết Nguyên đán"),
        ("2024-02-12", "nghi", "Tết Nguyên đán"),
        ("2024-02-13", "nghi", "Tết Nguyên đán"),
        ("2024-02-14", "nghi", "Tết Nguyên đán"),
        ("2024-04-18", "nghi", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        ("2024-04-29", "nghi", "Nghỉ hoán đổi, làm bù thứ Bảy 04/5/2024"),
        ("2024-04-30", "nghi", "Ngày Chiến thắng"),
        ("2024-05-01", "nghi", "Ngày Quốc tế Lao động"),
        ("2024-05-04", "lam_bu", "Làm bù cho ngày nghỉ 29/4/2024"),
        ("2024-09-02", "nghi", "Quốc khánh"),
        ("2024-09-03", "nghi", "Quốc khánh"),
    ],
    2025: [
        ("2025-01-01", "nghi", "Tết Dương lịch"),
        ("2025-01-27", "nghi", "Tết Nguyên đán"),
        ("2025-01-28", "nghi", "Tết Nguyên đán"),
        ("2025-01-29", "nghi", "Tết Nguyên đán"),
        ("2025-01-30", "nghi", "Tết Nguyên đán"),
        ("2025-01-31", "nghi", "Tết Nguyên đán"),
        ("2025-04-07", "nghi", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        ("2025-04-30", "nghi", "Ngày Chiến thắng"),
        ("2025-05-01", "nghi", "Ngày Quốc tế Lao động"),
        ("2025-05-02", "nghi", "Nghỉ hoán đổi, làm bù thứ Bảy 26/4/2025"),
        ("2025-04-26", "lam_bu", "Làm bù cho ngày nghỉ 02/5/2025"),
        ("2025-09-01", "nghi", "Quốc khánh"),
        ("2025-09-02", "nghi", "Quốc khánh"),
    ],
    2026: [
        ("2026-01-01", "nghi", "Tết Dương lịch"),
        ("2026-02-16", "nghi", "Tết Nguyên đán"),
        ("2026-02-17", "nghi", "Tết Nguyên đán"),
        ("2026-02-18", "nghi", "Tết Nguyên đán"),
        ("2026-02-19", "nghi", "Tết Nguyên đán"),
        ("2026-02-20", "nghi", "Tết Nguyên đán"),
        ("2026-04-27", "nghi", "Giỗ Tổ Hùng Vương (10/3 âm lịch, nghỉ bù)"),
        ("2026-04-30", "nghi", "Ngày Chiến thắng"),
        ("2026-05-01", "nghi", "Ngày Quốc tế Lao động"),
        ("2026-09-01", "nghi", "Quốc khánh"),
        ("2026-09-02", "nghi", "Quốc khánh"),
    ],
}


def holidays(year: int) -> list[tuple[str, str, str]]:
    if year in _HOLIDAYS:
        return _HOLIDAYS[year]
    fixed = [(f"{year}-01-01", "Tết Dương lịch"), (f"{year}-04-30", "Ngày Chiến thắng"),
             (f"{year}-05-01", "Ngày Quốc tế Lao động"), (f"{year}-09-02", "Quốc khánh")]
    return [(d, "nghi", t) for d, t in fixed if date.fromisoformat(d).weekday() < 5]


def calendar_rows(first_year: int, last_year: int) -> list[tuple[str, str, str]]:
    rows = [r for y in range(first_year, last_year + 1) for r in holidays(y)]
    return sorted(rows)


def day_num(d: date) -> int:
    return (d - date(1970, 1, 1)).days


def num_day(n: int) -> date:
    return date(1970, 1, 1) + timedelta(days=int(n))


class WorkCalendar:
    """Working days over [first, last] as numpy lookups.

    A working day is Mon-Fri not `nghi`, or a `lam_bu` day (kpis.md). `cw[i]` counts working
    days <= day first+i, so wd_between(a, b) = cw[b] - cw[a] and wd_add(a, n) is the
    (cw[a] + n)-th working day.
    """

    def __init__(self, first: date, last: date):
        self.d0 = day_num(first)
        n = (last - first).days + 1
        days = np.arange(self.d0, self.d0 + n)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
        work = weekday < 5
        self.holiday = np.zeros(n, dtype=bool)
        for y in range(first.year, last.year + 1):
            for d, loai, _ in holidays(y):
                i = day_num(date.fromisoformat(d)) - self.d0
                if 0 <= i < n:
                    work[i] = loai == "lam_bu"
                    self.holiday[i] = loai == "nghi"
        self.n = n
        self.weekday = weekday
        self.work = work
        self.cw = np.cumsum(work).astype(np.int64)
        self.wd_list = np.nonzero(work)[0].astype(np.int64) + self.d0  # absolute day numbers

    def idx(self, day):
        return np.asarray(day, dtype=np.int64) - self.d0

    def is_work(self, day):
        return self.work[self.idx(day)]

    def wd_pos(self, day):
        """Position in wd_list of the first working day on or after `day`."""
        return self.cw[self.idx(day)] - self.work[self.idx(day)]

    def next_wd_on_or_after(self, day):
        return self.wd_list[self.wd_pos(day)]

    def wd_add(self, day, n):
        return self.wd_list[self.cw[self.idx(day)] + np.asarray(n, dtype=np.int64) - 1]

    def wd_between(self, a, b):
        return np.maximum(self.cw[self.idx(b)] - self.cw[self.idx(a)], 0)

    def wd_at(self, pos):
        return self.wd_list[np.asarray(pos, dtype=np.int64)]
