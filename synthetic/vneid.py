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
from .reform import TWO_LEVEL_DATE

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


ANCHOR = date(2024, 6, 24)  # last snapshot of H1 2024: Bắc Giang's communes sum to the target


def snapshots(prov, start: date, end: date, rng: np.random.Generator):
    """Yield (date, rows) for every snapshot: one row per commune-level unit valid that day.

    Counts are kept per old commune of Bắc Giang (and per new unit of the former Bắc Ninh) and
    move linearly with the weeks from ANCHOR, so they do not depend on the generated range; a
    new unit of Bắc Giang's territory is the sum of the old communes it merged (the sums keep
    activated <= level 1 + level 2 <= eligible)."""
    communes = prov.communes
    new_units = prov.reform.new_communes
    bn = [u for u in new_units if u["part"] == "BN"]
    pop = np.array([c["population"] for c in communes] + [u["population"] for u in bn], dtype=float)
    n_bg = len(communes)
    eligible0 = (pop * rng.uniform(0.74, 0.82, len(pop))).astype(np.int64)
    noise = rng.uniform(0.6, 1.4, len(pop))
    without0 = np.empty(len(pop), dtype=np.int64)
    without0[:n_bg] = _largest_remainder(TARGET_WITHOUT_ACCOUNT, eligible0[:n_bg] * noise[:n_bg])
    ratio = TARGET_WITHOUT_ACCOUNT / eligible0[:n_bg].sum()
    without0[n_bg:] = (eligible0[n_bg:] * ratio * noise[n_bg:]).astype(np.int64)
    l2_share = rng.uniform(0.66, 0.76, len(pop))
    act_share = rng.uniform(0.80, 0.93, len(pop))
    growth = rng.integers(0, 4, len(pop))
    index = {c["code"]: i for i, c in enumerate(communes)}
    for d in snapshot_dates(start, end):
        w = (d - ANCHOR).days / 7
        eligible = np.maximum(eligible0 + (w * growth).astype(np.int64), 1)
        without = np.minimum((without0 * max(0.3, 1 - 0.006 * w)).astype(np.int64), eligible)
        accounts = eligible - without
        l2 = (accounts * l2_share).astype(np.int64)
        l1 = accounts - l2
        act = (accounts * np.clip(act_share + 0.002 * w, 0.5, 0.97)).astype(np.int64)
        stamp = d.strftime("%d/%m/%Y")
        if d < TWO_LEVEL_DATE:
            moved = d >= CHANGE_DATE
            rows = [[c["code"], c.get("new_name", c["name"]) if moved else c["name"], stamp,
                     int(e), int(a), int(b), int(x)]
                    for c, e, a, b, x in zip(communes, eligible, l1, l2, act)]
        else:
            rows = []
            k = n_bg
            for u in new_units:
                if u["part"] == "BN":
                    ii = [k]
                    k += 1
                else:
                    ii = [index[code] for code in u["old"]]
                rows.append([u["code"], u["name"], stamp, int(eligible[ii].sum()),
                             int(l1[ii].sum()), int(l2[ii].sum()), int(act[ii].sum())])
            rows.sort(key=lambda r: r[0])
        yield d, rows


def write(path, rows: list[list]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8"))
