"""The default dataset lands on the figures of Thông báo 294 (H1 2024), computed directly from
the files following kpis.md."""

from __future__ import annotations

from datetime import datetime

from synthetic_kpi import headline

from synthetic import generate


def test_default_dataset_matches_the_notice(tmp_path):
    out = tmp_path / "landing"
    summary = generate(out)  # default seed, period and size (~40,000 dossiers)
    assert 35_000 <= summary["dossiers"] <= 45_000
    k = headline(out, datetime(2024, 1, 1), datetime(2024, 6, 30, 23, 59, 59))
    assert abs(k["on_time_rate"] - 0.98) <= 0.01, k
    assert abs(k["online_rate"] - 0.786) <= 0.01, k
    assert abs(k["online_payment_rate"] - 0.3674) <= 0.01, k
    assert abs(k["satisfaction_766"] - 0.9792) <= 0.01, k
    assert abs(k["vneid_without_account"] - 216_219) <= 0.02 * 216_219, k
