"""The KPI scorecard that `tthc build` / `tthc demo` print: the province's figures for the latest
year to date (shown as H1 while the data end in the first half), their targets, the notice's
figures when the period is its half-year of its province (2024-H1 of province 24), the
checks' verdict, and, when published, the province's 766 score by group recomputed on the
portal's rules beside the portal's (portal_766_scores, latest month)."""

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
    NOTICE_PERIOD,
    NOTICE_SHORT_NAME,
    VNEID_KPI,
    code_label,
    fmt_date,
    fmt_decimal,
    fmt_int,
    fmt_kpi,
    label_766,
    labels_766,
    notice_figures,
    period_label,
    period_short,
    province_place,
)
from publish.reports.marts import Marts, Period, read_manifest
from publish.reports.year_on_year import COMPARED_KPIS, year_on_year


def scorecard_table(marts_db: Path, manifest: dict, period: Period | None = None) -> Table:
    """The province's KPIs of ``period`` (default: the headline period)."""
    with Marts(Path(marts_db)) as marts:
        period = period or marts.headline_period()
        province = marts.province(period)
        kpis = marts.province_kpis(period) if period else {}
        vneid = marts.vneid_province(period.end if period else None)
    checks = manifest.get("checks") or {}
    quarantined = sum((manifest.get("quarantined_rows") or {}).values())
    rejected = len(manifest.get("rejected_files") or [])
    verdict = "[green]đạt[/green]" if checks.get("errors", 0) == 0 else "[red]KHÔNG ĐẠT[/red]"
    notice = notice_figures(period, province.code if province else None)
    # the name comes from the data: text, not rich markup
    place = escape(province_place(province.name if province else None) or "tỉnh")
    title = f"Chỉ tiêu toàn {place} — " + (
        f"{period_label(period.period_type, period.period)} (đến {fmt_date(period.end)})" if period else "chưa có dữ liệu"
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


def notice_table(marts_db: Path, manifest: dict) -> Table | None:
    """The scorecard of the notice's own half-year (2024-H1 of province 24) when the
    publication holds it but shows a later headline (a demo of 2024–2025): the calibration
    stays visible beside the new map. None otherwise."""
    with Marts(Path(marts_db)) as marts:
        headline = marts.headline_period()
        notice_period = next(
            (p for p in marts.periods(("half",)) if (p.period_type, p.period) == NOTICE_PERIOD), None
        )
    if notice_period is None or headline == notice_period:
        return None
    table = scorecard_table(marts_db, manifest, notice_period)
    return table if NOTICE_SHORT_NAME in [column.header for column in table.columns] else None


def year_on_year_table(marts_db: Path) -> Table | None:
    """The latest complete half-year beside the same half a year earlier, both on today's
    units (year_on_year.py), as the dashboard shows it."""
    with Marts(Path(marts_db)) as marts:
        compared = year_on_year(marts)
    if compared is None:
        return None
    place = escape(province_place(compared.province.name) or "tỉnh")
    table = Table(title=f"{escape(compared.title)} — {place}", caption=escape(compared.note))
    table.add_column("Chỉ tiêu")
    for period in (compared.latest, compared.earlier):
        table.add_column(period_label(period.period_type, period.period), justify="right")
    table.add_row("Hồ sơ tiếp nhận", fmt_int(compared.latest_received), fmt_int(compared.earlier_received))
    for code in COMPARED_KPIS:
        table.add_row(
            KPI_LABELS.get(code, code),
            fmt_kpi(code, compared.latest_kpis.get(code, {}).get("value")),
            fmt_kpi(code, compared.earlier_kpis.get(code, {}).get("value")),
        )
    return table


def portal_766_table(marts_db: Path) -> Table | None:
    """The province's 766 score by group, recomputed on the portal's rules, beside the score
    the portal published, for the latest month of portal_766_scores (issue 17); None when
    the publication has no such mart or no province row."""
    from publish.reports.dashboard import latest_766_month, province_766_groups

    with Marts(Path(marts_db)) as marts:
        month = latest_766_month(marts)
        groups = province_766_groups(marts, month) if month else []
        labels = labels_766(marts)  # the published lookups (dim_codes, dim_kpis)
    if not groups:
        return None
    table = Table(
        title=f"Điểm 766 toàn tỉnh theo quy tắc Cổng DVCQG — {period_short('month', month)}",
        caption="Tỉnh tính lại từ hồ sơ của tỉnh (portal_766_scores); chênh lệch = tính lại − Cổng.",
    )
    table.add_column("Nhóm")
    for header in ("Tối đa", "Tỉnh tính lại", "Cổng công bố", "Chênh lệch"):
        table.add_column(header, justify="right")
    table.add_column("Kết quả")
    for row in groups:
        table.add_row(
            label_766(labels, "group", row["group_code"]),
            fmt_decimal(row["max_points"]),
            fmt_decimal(row["recomputed_points"]),
            fmt_decimal(row["portal_points"]),
            fmt_decimal(row["diff"]),
            code_label("score_status", row["status"]),
            style="bold" if row["group_code"] == "total" else None,
        )
    return table


def print_scorecard(publish_dir: Path, console: Console | None = None) -> None:
    """Print the scorecard of the publication served at ``publish_dir``; then, when the
    publication holds them, the notice's half-year and the year-on-year comparison."""
    publish_dir = Path(publish_dir)
    manifest = read_manifest(publish_dir, None)
    console = console or Console(width=None if sys.stdout.isatty() else 150)
    console.print(scorecard_table(publish_dir / MARTS_DB, manifest))
    for extra in (
        notice_table(publish_dir / MARTS_DB, manifest),
        year_on_year_table(publish_dir / MARTS_DB),
        portal_766_table(publish_dir / MARTS_DB),
    ):
        if extra is not None:
            console.print(extra)
