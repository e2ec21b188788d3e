"""day_versions beyond one row block (more than 2**20 dossiers: a 10M-dossier year)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from synthetic.dossier_writer import day_versions
from synthetic.simulate import DAY, NONE


def test_day_versions_finds_the_latest_event_of_rows_past_the_first_block():
    rows = (1 << 20) + 10  # a second block of ten rows
    ev = np.full((rows, 16), NONE, dtype=np.int32)
    day = 3
    ev[5, 2] = day * DAY + 100  # first block
    ev[(1 << 20) + 7, 1] = day * DAY + 50  # second block: two events that day, latest wins
    ev[(1 << 20) + 7, 4] = day * DAY + 900
    ev[(1 << 20) + 8, 0] = (day + 1) * DAY  # the next day: not changed on `day`
    ds = SimpleNamespace(ev=ev, base=0)

    found_rows, times, columns = day_versions(ds, day, rows)

    assert found_rows.tolist() == [5, (1 << 20) + 7]
    assert times.tolist() == [day * DAY + 100, day * DAY + 900]
    assert columns.tolist() == [2, 4]
