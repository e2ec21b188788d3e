"""The KPI scorecard that `tthc build` / `tthc demo` print: the province's figures for the latest
year to date (shown as H1 while the data end in the first half), their targets, the notice's
figures when the period is its half-year of its province (2024-H1 of province 24), and the
checks' verdict."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from publish.publication import MARTS_DB
from publish.reports.labels import (
    HEADLINE_KPIS,
    KPI_LABELS,
    NOTICE_NAME,
    NOTICE_SHORT_NAME,
    VNEID_KPI,
    fmt_date,
    fmt_int,
    fmt_kpi,
    notice_figures,
    period_label,
    province_place,
)
from publish.reports.marts import Marts, read_manifest


def scorecard_table(marts_db: Path, manifest: dict) -> Table:
    with Marts(Path(marts_db)) as marts:
        period = marts.headline_period()
        province = marts.province(period)
        kpis = marts.province_kpis(period) if period else {}
        vneid = marts.vneid_province()
        data_through = marts.data_through(manifest)
    checks = manifest.get("checks") or {}
    quarantined = sum((manifest.get("quarantined_rows") or {}).values())
    rejected = len(manifest.get("rejected_files") or [])
    verdict = "[green]đạt[/green]" if checks.get("errors", 0) == 0 else "[red]KHÔNG ĐẠT[/red]"
    notice = notice_figures(period, province.code if province else None)
    # the name comes from the data: text, not rich markup
    place = escape(province_place(province.name if province else None) or "tỉnh")
    title = f"Chỉ tiêu toàn {place} — " + (
        f"{period_label(period.period_type, period.period)} (đến {fmt_date(data_through)})" if period else "chưa có dữ liệu"
    )
    table = Table(
        title=title,
        caption=(
            f"Kiểm tra: {verdict} — {checks.get('passed', 0)} đạt, {checks.get('warnings', 0)} cảnh báo, "
            f"{checks.get('errors', 0)} lỗi; {rejected} tệp bị từ chối, {quarantined} dòng cách ly."
        ),
    )
    table.add_column("Chỉ tiêu")
    table.add_column("Giá trị", justify="right")
    table.add_column("Tử số / mẫu số", justify="right")
    table.add_column("Mục tiêu", justify="right")
    table.add_column("Đạt", justify="center")
    if notice is not None:
        table.add_column(NOTICE_SHORT_NAME, justify="right")

    ordered = HEADLINE_KPIS + sorted(code for code in kpis if code not in HEADLINE_KPIS)
    for code in ordered:
        row = kpis.get(code)
        if row is None:
            continue
        meets = row["meets_target"]
        cells = [
            KPI_LABELS.get(code, code),
            fmt_kpi(code, row["value"]),
            f"{fmt_int(row['numerator'])} / {fmt_int(row['denominator'])}",
            fmt_kpi(code, row["target"]) if row["target"] is not None else "–",
            "–" if meets is None else ("[green]✓[/green]" if meets else "[red]✗[/red]"),
        ]
        if notice is not None:
            cells.append(fmt_kpi(code, notice[code]) if code in notice else "")
        table.add_row(*cells, style="bold" if code in HEADLINE_KPIS else None)
    if vneid is not None:
        cells = [
            f"{KPI_LABELS[VNEID_KPI]} ({fmt_date(vneid['snapshot_date'])})",
            fmt_int(vneid["without_account"]),
            f"/ {fmt_int(vneid['eligible'])} đủ điều kiện",
            "–",
            "–",
        ]
        if notice is not None:
            cells.append(fmt_int(notice[VNEID_KPI]))
        table.add_row(*cells, style="bold")
    if notice is not None:
        table.caption += f"\nSo sánh: {NOTICE_NAME}."
    return table


def print_scorecard(publish_dir: Path, console: Console | None = None) -> None:
    """Print the scorecard of the publication served at ``publish_dir``."""
    publish_dir = Path(publish_dir)
    manifest = read_manifest(publish_dir, None)
    console = console or Console(width=None if sys.stdout.isatty() else 150)
    console.print(scorecard_table(publish_dir / MARTS_DB, manifest))
