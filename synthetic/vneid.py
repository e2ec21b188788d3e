"""Weekly VNeID snapshots (sources.md §3): one row per commune, every Monday of the period.

Calibrated so that the last snapshot sums to TARGET_WITHOUT_ACCOUNT citizens without an
account (Thông báo 294: 216,219); earlier snapshots have more, as enrolment goes on.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import numpy as np

from .province import CHANGE_DATE

TARGET_WITHOUT_ACCOUNT = 216_219
HEADER = ["Mã ĐVHC", "Tên ĐVHC", "Ngày số liệu", "Công dân đủ điều kiện", "Đã cấp mức 1",
          "Đã cấp mức 2", "Đã kích hoạt"]


def snapshot_dates(start: date, end: date) -> list[date]:
    d = start + timedelta(days=(7 - start.weekday()) % 7)
    out = []
    while d <= end:
        out.append(d)
        d += timedelta(days=7)
    return out or [start]


def _largest_remainder(total: int, w: np.ndarray) -> np.ndarray:
    raw = total * w / w.sum()
    base = np.floor(raw).astype(np.int64)
    rest = total - base.sum()
    base[np.argsort(-(raw - base), kind="stable")[:rest]] += 1
    return base


def snapshots(communes: list[dict], start: date, end: date, rng: np.random.Generator):
    """Yield (date, rows) for every snapshot."""
    dates = snapshot_dates(start, end)
    pop = np.array([c["population"] for c in communes], dtype=float)
    eligible_last = (pop * rng.uniform(0.74, 0.82, len(pop))).astype(np.int64)
    without_last = _largest_remainder(TARGET_WITHOUT_ACCOUNT, eligible_last * rng.uniform(0.6, 1.4, len(pop)))
    l2_share = rng.uniform(0.66, 0.76, len(pop))
    act_share = rng.uniform(0.80, 0.93, len(pop))
    for k, d in enumerate(dates):
        weeks_before = len(dates) - 1 - k
        eligible = eligible_last - weeks_before * rng.integers(0, 4, len(pop))
        without = np.minimum((without_last * (1 + 0.006 * weeks_before)).astype(np.int64), eligible)
        if weeks_before == 0:
            without = without_last
        accounts = eligible - without
        l2 = (accounts * l2_share).astype(np.int64)
        l1 = accounts - l2
        act = (accounts * (act_share - 0.002 * weeks_before)).astype(np.int64)
        moved = d >= CHANGE_DATE
        rows = [[c["code"], c.get("new_name", c["name"]) if moved else c["name"],
                 d.strftime("%d/%m/%Y"), int(e), int(a), int(b), int(x)]
                for c, e, a, b, x in zip(communes, eligible, l1, l2, act)]
        yield d, rows


def write(path, rows: list[list]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8"))
