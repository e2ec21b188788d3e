"""The latest complete half-year beside the same half a year earlier, both restated to today's
units (publish/reports/year_on_year.py), in the dashboard and the scorecard.

The marts are written by hand here (the restated marts' own numbers are dbt's, asserted in
tests/figures): province 24 is Tỉnh Bắc Giang until 30/6/2025 and, merged, Tỉnh Bắc Ninh
after; the publication holds 2024-H2, 2025-H1, 2025-H2 (complete) and 2026-H1 (data through
15/3/2026, incomplete)."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pytest
from rich.console import Console

from publish.reports.dashboard import year_on_year_section
from publish.reports.marts import Marts
from publish.reports.scorecard import year_on_year_table
from publish.reports.year_on_year import year_on_year

HALVES = {  # period: (start, end, as-was name, received, on-time numerator, denominator)
    "2024-H2": (date(2024, 7, 1), date(2024, 12, 31), "Tỉnh Bắc Giang", 900, 880, 900),
    "2025-H1": (date(2025, 1, 1), date(2025, 6, 30), "Tỉnh Bắc Giang", 950, 931, 950),
    "2025-H2": (date(2025, 7, 1), date(2025, 12, 31), "Tỉnh Bắc Ninh", 1800, 1782, 1800),
    "2026-H1": (date(2026, 1, 1), date(2026, 3, 15), "Tỉnh Bắc Ninh", 500, 450, 500),
}


def write_marts(path, restated: bool = True, halves=HALVES) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for table in ("bieu_06", "bieu_06_restated") if restated else ("bieu_06",):
            con.execute(
                f"create table marts.{table} (period_type varchar, period varchar, period_start date, "
                "period_end date, level varchar, unit_code varchar, unit_name varchar, total bigint, "
                "received_online bigint, received_in_person_postal bigint)"
            )
            for period, (start, end, name, received, _, _) in halves.items():
                # the restated basis names today's province in every period
                shown = "Tỉnh Bắc Ninh" if table.endswith("restated") else name
                con.execute(
                    f"insert into marts.{table} values ('half', ?, ?, ?, 'province', '24', ?, ?, ?, ?)",
                    [period, start, end, shown, received, received - 100, 100],
                )
        if restated:
            con.execute(
                "create table marts.kpi_values_restated (period_type varchar, period varchar, level varchar, "
                "unit_code varchar, unit_name varchar, kpi_code varchar, numerator bigint, "
                "denominator bigint, value double)"
            )
            for period, (_, _, _, _, on_time, resolved) in halves.items():
                con.execute(
                    "insert into marts.kpi_values_restated values "
                    "('half', ?, 'province', '24', 'Tỉnh Bắc Ninh', 'on_time_rate', ?, ?, ?)",
                    [period, on_time, resolved, on_time / resolved],
                )


@pytest.fixture
def marts(tmp_path):
    write_marts(tmp_path / "m.duckdb")
    with Marts(tmp_path / "m.duckdb") as marts:
        yield marts


def test_the_latest_complete_half_is_set_beside_the_same_half_a_year_earlier(marts):
    compared = year_on_year(marts)
    # 2026-H1 holds data_through (15/3): not set against a whole half-year
    assert (compared.latest.period, compared.earlier.period) == ("2025-H2", "2024-H2")
    assert compared.province.name == "Tỉnh Bắc Ninh"
    assert (compared.latest_received, compared.earlier_received) == (1800, 900)
    assert compared.latest_kpis["on_time_rate"]["value"] == pytest.approx(0.99)
    assert compared.earlier_kpis["on_time_rate"]["value"] == pytest.approx(880 / 900)
    # the name changed between the halves: the joined province's history is not here
    assert "chỉ có lịch sử của Tỉnh Bắc Giang" in compared.note


def test_the_dashboard_and_the_scorecard_show_the_comparison(tmp_path):
    write_marts(tmp_path / "m.duckdb")
    with Marts(tmp_path / "m.duckdb") as marts:
        html = year_on_year_section(marts)
    assert 'id="year-on-year"' in html
    assert "6 tháng cuối năm 2025 so với cùng kỳ 6 tháng cuối năm 2024" in html
    values = dict(re.findall(r'data-yoy="on_time_rate" data-period="([^"]+)" data-value="([^"]+)"', html))
    assert float(values["2025-H2"]) == pytest.approx(0.99)
    assert float(values["2024-H2"]) == pytest.approx(880 / 900)
    assert re.search(r'data-yoy="received" data-period="2025-H2">1\.800<', html)

    console = Console(record=True, width=200)
    console.print(year_on_year_table(tmp_path / "m.duckdb"))
    text = console.export_text()
    assert "6 tháng cuối năm 2025" in text and "99,00%" in text and "97,78%" in text
    assert "1.800" in text and "900" in text


def test_no_comparison_without_the_restated_basis_or_the_earlier_half(tmp_path):
    write_marts(tmp_path / "old.duckdb", restated=False)
    with Marts(tmp_path / "old.duckdb") as marts:
        assert year_on_year(marts) is None
        assert year_on_year_section(marts) == ""
    only_2025 = {k: v for k, v in HALVES.items() if k.startswith("2025")}
    write_marts(tmp_path / "one_year.duckdb", halves=only_2025)
    with Marts(tmp_path / "one_year.duckdb") as marts:
        assert year_on_year(marts) is None


def test_a_province_that_kept_its_name_gets_no_history_warning(tmp_path):
    same_name = {k: (*v[:2], "Tỉnh Bắc Ninh", *v[3:]) for k, v in HALVES.items()}
    write_marts(tmp_path / "m.duckdb", halves=same_name)
    with Marts(tmp_path / "m.duckdb") as marts:
        compared = year_on_year(marts)
    assert compared is not None and "lịch sử" not in compared.note
