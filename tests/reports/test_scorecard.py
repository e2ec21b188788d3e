"""The scorecard: the province's KPIs of the headline period, targets, notice and checks."""

from __future__ import annotations

import shutil

import duckdb
from rich.console import Console

from publish.reports import print_scorecard, scorecard_table
from publish.reports.labels import province_place


def test_scorecard_shows_kpis_targets_notice_and_checks(reports_publication, marts_db):
    _, _, manifest = reports_publication
    console = Console(record=True, width=200)
    console.print(scorecard_table(marts_db, manifest))
    text = console.export_text()
    with duckdb.connect(str(marts_db), read_only=True) as con:
        on_time, numerator, denominator = con.execute(
            "select value, numerator, denominator from marts.kpi_values where level = 'province' "
            "and period = '2024-H1' and kpi_code = 'on_time_rate'"
        ).fetchone()
        (province,) = con.execute(
            "select unit_name from marts.bieu_06 where level = 'province' and period = '2024-H1'"
        ).fetchone()
    assert f"Chỉ tiêu toàn {province_place(province)} — 6 tháng đầu năm 2024" in text
    assert f"{on_time * 100:.2f}%".replace(".", ",") in text
    assert f"{numerator} / {denominator}" in text
    # 2024-H1 of province 24: the notice's figures beside the computed ones
    assert "TB 294 (6T/2024)" in text
    assert "98,00%" in text and "78,60%" in text and "36,74%" in text and "97,92%" in text
    assert "216.219" in text
    assert f"{manifest['checks']['passed']} đạt" in text


def test_print_scorecard_reads_the_publication_folder(reports_publication):
    console = Console(record=True, width=200)
    print_scorecard(reports_publication[0], console=console)
    assert "Tỷ lệ giải quyết trước và đúng hạn" in console.export_text()


def test_the_vneid_count_is_the_one_of_the_period_shown(reports_publication, marts_db, tmp_path):
    """A scorecard of an earlier period (the notice's half-year in a two-year demo) shows the
    VNeID snapshot of its own time, not a later one."""
    _, _, manifest = reports_publication
    copy = tmp_path / "tthc_marts.duckdb"
    shutil.copy(marts_db, copy)
    with duckdb.connect(str(copy)) as con:
        snapshot, without_account = con.execute(
            "select snapshot_date, without_account from marts.vneid_coverage "
            "where level = 'province' order by snapshot_date desc limit 1"
        ).fetchone()
        # a snapshot taken after the headline period ended, with a count of its own
        con.execute(
            "insert into marts.vneid_coverage by name select * replace "
            "(date '2025-12-29' as snapshot_date, 4242 as without_account) "
            "from marts.vneid_coverage where level = 'province' and snapshot_date = ?",
            [snapshot],
        )
    console = Console(record=True, width=200)
    console.print(scorecard_table(copy, manifest))
    text = console.export_text()
    assert f"({snapshot:%d/%m/%Y})" in text and f"{without_account:,}".replace(",", ".") in text
    assert "29/12/2025" not in text and "4.242" not in text
