"""What `tthc demo` prints: the province's monthly Biểu 06 and where everything is.

Reads the published copy (what BI reads), never the working warehouse.
"""

from __future__ import annotations

import json
import sys

import duckdb
from rich.console import Console
from rich.table import Table

from orchestration.settings import Settings
from publish.publication import MANIFEST, MARTS_DB

BIEU_06_COLUMNS = [
    ("received_online", "4 Trực tuyến"),
    ("received_in_person_postal", "5 Trực tiếp/BCCI"),
    ("carried_over", "6 Kỳ trước"),
    ("total", "3 Tổng"),
    ("resolved", "7 Đã GQ"),
    ("resolved_early", "8 Trước hạn"),
    ("resolved_on_time", "9 Đúng hạn"),
    ("resolved_overdue", "10 Quá hạn"),
    ("in_progress", "11 Đang GQ"),
    ("in_progress_within_deadline", "12 Trong hạn"),
    ("in_progress_overdue", "13 Quá hạn"),
]


def province_monthly_bieu_06(settings: Settings) -> list[tuple]:
    con = duckdb.connect(str(settings.publish_dir / MARTS_DB), read_only=True)
    try:
        columns = ", ".join(name for name, _ in BIEU_06_COLUMNS)
        return con.execute(
            f"select period, {columns} from marts.bieu_06 "
            "where level = 'province' and period_type = 'month' order by period"
        ).fetchall()
    finally:
        con.close()


def print_demo_summary(settings: Settings, console: Console | None = None) -> None:
    console = console or Console(width=None if sys.stdout.isatty() else 150)
    table = Table(title="Biểu 06 — toàn tỉnh, theo tháng (province, monthly)")
    table.add_column("Kỳ")
    for _, label in BIEU_06_COLUMNS:
        table.add_column(label, justify="right")
    for row in province_monthly_bieu_06(settings):
        table.add_row(row[0], *(f"{value:,}" for value in row[1:]))
    console.print(table)
    manifest = json.loads((settings.publish_dir / MANIFEST).read_text(encoding="utf-8"))
    console.print(
        f"Data through {manifest['data_through']}; checks {manifest['checks']}; "
        f"{len(manifest['rejected_files'])} rejected file(s), "
        f"{sum(manifest['quarantined_rows'].values())} quarantined row(s)."
    )
    console.print(f"Marts (DuckDB): {settings.publish_dir / MARTS_DB}  (schema marts)")
    console.print(f"Marts (Parquet): {settings.publish_dir / 'parquet'}/<mart>.parquet")
    console.print("Dagster UI: `make ui`, then http://127.0.0.1:3000")
