"""The demo build: the generator's default province (H1 2024) through the whole warehouse.

The headline figures computed by the marts land near the notice's (Thông báo 294/TB-UBND),
and the Biểu 06 identities hold on every row of every period and level.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import build_env, run_tthc

NOTICE = {  # Thông báo 294/TB-UBND Bắc Giang, 19/7/2024, first half of 2024
    "on_time_rate": 0.98,
    "online_rate": 0.786,
    "online_payment_rate": 0.3674,
    "satisfaction_766": 0.9792,
}
NOTICE_WITHOUT_VNEID = 216_219


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    env = build_env(root)
    generated = run_tthc(["generate", "--out", str(root / "landing")], env)
    assert generated.returncode == 0, generated.stderr[-2000:]
    built = run_tthc(["build"], env, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    con = duckdb.connect(str(root / "published" / "tthc_marts.duckdb"), read_only=True)
    yield con, built
    con.close()


def test_headline_figures_land_near_the_notice(demo):
    con, _ = demo
    values = dict(
        con.execute(
            "select kpi_code, value from marts.kpi_values "
            "where level = 'province' and period_type = 'half' and period = '2024-H1'"
        ).fetchall()
    )
    for kpi, notice in NOTICE.items():
        assert abs(values[kpi] - notice) <= 0.01, (kpi, values[kpi], notice)
    without_account = con.execute(
        "select without_account from marts.vneid_coverage where level = 'province' "
        "order by snapshot_date desc limit 1"
    ).fetchone()[0]
    assert abs(without_account - NOTICE_WITHOUT_VNEID) <= 0.02 * NOTICE_WITHOUT_VNEID


def test_bieu_06_identities_on_every_row_of_the_demo_build(demo):
    con, _ = demo
    rows, broken = con.execute(
        """
        select count(*), count(*) filter (
            where total != received_online + received_in_person_postal + carried_over
               or total != resolved + in_progress
               or resolved != resolved_early + resolved_on_time + resolved_overdue
               or in_progress != in_progress_within_deadline + in_progress_overdue)
        from marts.bieu_06
        """
    ).fetchone()
    assert rows > 1000 and broken == 0
    levels = dict(con.execute("select level, count(*) from marts.bieu_06 group by level").fetchall())
    assert set(levels) == {"agency", "tier", "district", "province"}
    # one province (24): 6 months, 2 quarters, 1 half, 1 year and the ISO weeks 2024-W01
    # (Monday 1 January) to 2024-W26 (Sunday 30 June)
    assert levels["province"] == 6 + 2 + 1 + 1 + 26
    # before 1 July 2025 every tier exists: the tier rows of a period sum to its province row
    tiers = con.execute(
        "select count(distinct unit_code) from marts.bieu_06 where level = 'tier' and period = '2024-H1'"
    ).fetchone()[0]
    assert tiers == 3


def test_build_prints_the_scorecard_beside_the_notice(demo):
    _, built = demo
    assert "98,16%" in built.stdout or "Tỷ lệ giải quyết trước và đúng hạn" in built.stdout
    assert "TB 294" in built.stdout
