"""dashboard.html: one self-contained page (plotly's JavaScript inlined once; no CDN, no web
fonts, no external script), so it opens offline from a file share or an e-mail attachment.

Every headline number sits in an element with ``data-kpi`` (the KPI code) and ``data-value``
(the unrounded value as the marts hold it), so a test or a scraper can read it back.

A name, code or message from the data is shown as text: ``e`` escapes it in the HTML,
``plot_texts`` (safe_text) in plotly's traces, whose labels would otherwise render its markup.
"""

from __future__ import annotations

import html
import json
from datetime import date

import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline
import polars as pl

from publish.reports.labels import (
    HEADLINE_KPIS,
    KPI_LABELS,
    LOWER_IS_BETTER,
    NOTICE_CARD_LABEL,
    NOTICE_NAME,
    RANKED_KPIS,
    VNEID_KPI,
    fmt_date,
    fmt_int,
    fmt_kpi,
    fmt_pct,
    notice_figures,
    period_label,
    province_place,
)
from publish.reports.marts import Marts, Period
from publish.reports.safe_text import plot_texts

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"  # local fonts only
CHART_CONFIG = {"displaylogo": False, "responsive": True}
DETAIL_ROWS = 15  # dossiers listed per agency in the page; the CSVs hold them all
MEASURE_LABELS = {
    "received": "Tiếp nhận",
    "received_online": "Trực tuyến",
    "received_in_person": "Trực tiếp",
    "received_postal": "BCCI",
    "resolved": "Đã xử lý",
    "resolved_on_time": "Đúng hạn",
    "resolved_overdue": "Quá hạn",
    "with_fee": "Có phí",
    "paid_online": "Thanh toán trực tuyến",
    "synced": "Đồng bộ",
}
STATUS_LABELS = {
    "match": "Khớp",
    "mismatch": "Lệch",
    "no_portal_row": "Không có trên Cổng",
    "no_system_data": "Không có trong hệ thống",
}


def e(value) -> str:
    return html.escape("" if value is None else str(value))


def render_dashboard(
    marts: Marts,
    manifest: dict,
    period: Period | None,
    data_through: date | None,
    overdue: pl.DataFrame,
    inflated: pl.DataFrame,
    by_agency: pl.DataFrame,
) -> str:
    province = marts.province(period)
    # the notice sits beside its own half-year of its own province only
    notice = notice_figures(period, province.code if province else None)
    place = province_place(province.name if province else None) or "toàn tỉnh"
    sections = [
        headline_section(marts, period, notice),
        trends_section(marts),
        rankings_section(marts, period),
        reconciliation_section(marts),
        vneid_section(marts),
        publication_section(marts),
        dossier_lists_section(overdue, inflated, by_agency),
        data_quality_section(marts, manifest),
    ]
    period_text = (
        f"{period_label(period.period_type, period.period)} "
        f"({fmt_date(period.start)} – {fmt_date(period.end)})"
        if period
        else "chưa có dữ liệu"
    )
    return PAGE.format(
        plotly_js=plotly.offline.get_plotlyjs(),
        style=STYLE,
        place=e(place),
        period=e(period_text),
        period_code=e(period.period if period else ""),
        data_through=e(fmt_date(data_through)),
        data_through_iso=e(data_through.isoformat() if data_through else ""),
        published_at=e(manifest.get("published_at", "–")),
        version=e(manifest.get("version", "–")),
        body="\n".join(sections),
    )


# --- sections -------------------------------------------------------------------------------

def headline_section(marts: Marts, period: Period | None, notice: dict | None) -> str:
    kpis = marts.province_kpis(period) if period else {}
    cards = []
    for code in HEADLINE_KPIS:
        row = kpis.get(code, {})
        detail = (
            f"{fmt_int(row.get('numerator'))} / {fmt_int(row.get('denominator'))} hồ sơ"
            if row
            else "không có hồ sơ trong kỳ"
        )
        cards.append(card(code, row.get("value"), row.get("target"), row.get("meets_target"), detail, notice))
    vneid = marts.vneid_province()
    cards.append(
        card(
            VNEID_KPI,
            vneid["without_account"] if vneid else None,
            None,
            None,
            f"ảnh chụp ngày {fmt_date(vneid['snapshot_date'])}; độ bao phủ {fmt_pct(vneid['coverage_rate'])}"
            if vneid
            else "chưa có ảnh chụp VNeID",
            notice,
        )
    )
    compared = f"So sánh với {e(NOTICE_NAME)}. " if notice is not None else ""
    return section(
        "headline",
        "Chỉ tiêu chính toàn tỉnh",
        f'<div class="cards">{"".join(cards)}</div>'
        f'<p class="note">{compared}Mục tiêu: chi_tieu.csv theo năm (kpi_values.target).</p>',
    )


def card(code: str, value, target, meets, detail: str, notice: dict | None = None) -> str:
    """A headline figure with its target and, when the notice applies (labels.notice_figures),
    the notice's figure; without it, no notice line at all."""
    data_value = "" if value is None else json.dumps(value)
    verdict = ""
    if meets is not None:
        verdict = f'<span class="{"ok" if meets else "bad"}">{"Đạt" if meets else "Chưa đạt"}</span>'
    arrow = " (càng thấp càng tốt)" if code in LOWER_IS_BETTER else ""
    return (
        f'<div class="card" data-card="{e(code)}">'
        f'<div class="label">{e(KPI_LABELS[code])}{e(arrow)}</div>'
        f'<div class="value"><span data-kpi="{e(code)}" data-value="{e(data_value)}">'
        f"{e(fmt_kpi(code, value))}</span></div>"
        f'<div class="detail">{e(detail)}</div>'
        f'<div class="compare">Mục tiêu: <span data-target="{e(code)}" '
        f'data-value="{e("" if target is None else json.dumps(target))}">{e(fmt_kpi(code, target))}</span> {verdict}</div>'
        + (notice_line(code, notice.get(code)) if notice is not None else "")
        + "</div>"
    )


def notice_line(code: str, value) -> str:
    return (
        f'<div class="compare">{e(NOTICE_CARD_LABEL)}: <span data-notice="{e(code)}" '
        f'data-value="{e("" if value is None else json.dumps(value))}">{e(fmt_kpi(code, value))}</span></div>'
    )


def trends_section(marts: Marts) -> str:
    frame = marts.df(
        "select period, kpi_code, value, target from marts.kpi_values "
        "where level = 'province' and period_type = 'month' and kpi_code in "
        f"({', '.join(repr(code) for code in HEADLINE_KPIS)}) order by period"
    )
    volumes = marts.df(
        "select period, received_online, received_in_person_postal, resolved, in_progress_overdue "
        "from marts.bieu_06 where level = 'province' and period_type = 'month' order by period"
    )
    if frame.is_empty() and volumes.is_empty():
        return section("trends", "Diễn biến theo tháng", empty())
    rates = go.Figure()
    palette = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd"]
    for colour, code in zip(palette, HEADLINE_KPIS):
        rows = frame.filter(pl.col("kpi_code") == code)
        if rows.is_empty():
            continue
        rates.add_scatter(
            x=plot_texts(rows["period"].to_list()), y=rows["value"].to_list(), name=KPI_LABELS[code],
            mode="lines+markers", line={"color": colour},
        )
        targets = rows.filter(pl.col("target").is_not_null())
        if targets.height:
            rates.add_scatter(
                x=plot_texts(targets["period"].to_list()), y=targets["target"].to_list(),
                name=f"Mục tiêu – {KPI_LABELS[code]}", mode="lines",
                line={"color": colour, "dash": "dash", "width": 1},
            )
    style(rates, "Tỷ lệ toàn tỉnh theo tháng (nét đứt: mục tiêu)", percent_axis="y")
    rates.update_xaxes(type="category")
    bars = go.Figure()
    for column, label in (
        ("received_online", "Tiếp nhận trực tuyến"),
        ("received_in_person_postal", "Tiếp nhận trực tiếp và BCCI"),
        ("resolved", "Đã giải quyết"),
        ("in_progress_overdue", "Đang giải quyết quá hạn"),
    ):
        bars.add_bar(x=plot_texts(volumes["period"].to_list()), y=volumes[column].to_list(), name=label)
    style(bars, "Số hồ sơ toàn tỉnh theo tháng (Biểu 06)")
    bars.update_xaxes(type="category")
    return section(
        "trends", "Diễn biến theo tháng", chart(rates, "chart-monthly-rates") + chart(bars, "chart-monthly-volume")
    )


def rankings_section(marts: Marts, period: Period | None) -> str:
    if period is None:
        return section("rankings", "Xếp hạng cơ quan và huyện", empty())
    frame = marts.df(
        "select level, unit_code, unit_name, kpi_code, numerator, denominator, value, target "
        "from marts.kpi_values where level in ('agency', 'district') and period_type = ? "
        "and period = ? and value is not null",
        [period.period_type, period.period],
    )
    parts = [f'<p class="note">Kỳ: {e(period_label(period.period_type, period.period))}.</p>']
    for code in RANKED_KPIS:
        rows = frame.filter((pl.col("level") == "agency") & (pl.col("kpi_code") == code)).sort("value")
        if rows.is_empty():
            continue
        figure = go.Figure(
            go.Bar(
                x=rows["value"].to_list(), y=plot_texts(rows["unit_name"].to_list()), orientation="h",
                text=[fmt_pct(v) for v in rows["value"].to_list()], textposition="auto",
                customdata=list(zip(rows["numerator"].to_list(), rows["denominator"].to_list())),
                hovertemplate="%{y}: %{x:.2%} (%{customdata[0]}/%{customdata[1]})<extra></extra>",
                marker_color="#1f77b4",
            )
        )
        target = rows["target"].drop_nulls()
        if target.len():
            figure.add_vline(x=target[0], line_dash="dash", line_color="#d62728",
                             annotation_text=f"Mục tiêu {fmt_pct(target[0])}")
        style(figure, f"Cơ quan xếp theo {KPI_LABELS[code].lower()}", percent_axis="x",
              height=max(320, 28 * rows.height + 120))
        parts.append(chart(figure, f"chart-agency-{code}"))
    districts = frame.filter((pl.col("level") == "district") & pl.col("kpi_code").is_in(RANKED_KPIS))
    if districts.height:
        order = plot_texts(
            districts.filter(pl.col("kpi_code") == "on_time_rate").sort("value", descending=True)["unit_name"].to_list()
        )
        figure = go.Figure()
        for code in RANKED_KPIS:
            rows = districts.filter(pl.col("kpi_code") == code)
            figure.add_bar(x=plot_texts(rows["unit_name"].to_list()), y=rows["value"].to_list(), name=KPI_LABELS[code],
                           text=[fmt_pct(v) for v in rows["value"].to_list()], textposition="auto")
        style(figure, "Huyện, thị xã, thành phố: ba tỷ lệ chính", percent_axis="y")
        figure.update_xaxes(categoryorder="array", categoryarray=order)
        parts.append(chart(figure, "chart-district-rates"))
    table = frame.filter(pl.col("kpi_code").is_in(RANKED_KPIS)).pivot(
        on="kpi_code", index=["level", "unit_code", "unit_name"], values="value"
    )
    headers = ["Cấp", "Mã", "Tên", *[KPI_LABELS[c] for c in RANKED_KPIS if c in table.columns]]
    body = [
        [
            {"agency": "Cơ quan", "district": "Huyện"}[row["level"]], row["unit_code"], row["unit_name"],
            *[fmt_pct(row[c]) for c in RANKED_KPIS if c in table.columns],
        ]
        for row in table.sort(["level", "unit_code"]).to_dicts()
    ]
    parts.append(details("Bảng số liệu xếp hạng", html_table(headers, body, "ranking-table")))
    return section("rankings", "Xếp hạng cơ quan và huyện", "".join(parts))


def reconciliation_section(marts: Marts) -> str:
    title = "Đối soát với Cổng Dịch vụ công quốc gia"
    if not marts.has("reconciliation"):
        return section("reconciliation", title, '<p class="note">Bảng reconciliation chưa có trong bản công bố này.</p>')
    frame = marts.df("select period, unit_code, unit_name, measure, system_value, portal_value, diff, status from marts.reconciliation")
    if frame.is_empty():
        return section("reconciliation", title, empty())
    mismatched = frame.filter(pl.col("status") == "mismatch")
    parts = []
    if mismatched.height:
        gaps = mismatched.group_by("unit_name", "measure").agg(pl.col("diff").sum())
        agencies = sorted(gaps["unit_name"].unique().to_list())
        measures = [m for m in MEASURE_LABELS if m in set(gaps["measure"].to_list())] + sorted(
            set(gaps["measure"].to_list()) - set(MEASURE_LABELS)
        )
        lookup = {(r["unit_name"], r["measure"]): r["diff"] for r in gaps.to_dicts()}
        z = [[lookup.get((a, m)) for m in measures] for a in agencies]
        figure = go.Figure(
            go.Heatmap(
                z=z, x=plot_texts([MEASURE_LABELS.get(m, m) for m in measures]), y=plot_texts(agencies),
                colorscale="RdBu", zmid=0, text=[[("" if v is None else fmt_int(v)) for v in r] for r in z],
                texttemplate="%{text}", hovertemplate="%{y} – %{x}: %{z}<extra></extra>",
                colorbar={"title": "Hệ thống − Cổng"},
            )
        )
        style(figure, "Chênh lệch hệ thống − Cổng DVCQG theo cơ quan (tổng các tháng lệch)",
              height=max(320, 30 * len(agencies) + 160))
        parts.append(chart(figure, "chart-reconciliation"))
    else:
        parts.append('<p class="ok">Không có chỉ số lệch.</p>')
    summary = (
        frame.group_by("unit_code", "unit_name")
        .agg(
            pl.col("period").n_unique().alias("months"),
            (pl.col("status") == "mismatch").sum().alias("mismatch"),
            (pl.col("status") == "no_portal_row").sum().alias("no_portal_row"),
            (pl.col("status") == "no_system_data").sum().alias("no_system_data"),
        )
        .sort(["mismatch", "unit_code"], descending=[True, False])
    )
    issues: dict[str, dict[str, int]] = {}
    if marts.has("reconciliation_dossiers"):
        for unit_code, issue, count in marts.rows(
            "select unit_code, issue, count(*) from marts.reconciliation_dossiers group by all"
        ):
            issues.setdefault(unit_code, {})[issue] = count
    body = [
        [r["unit_code"], r["unit_name"], r["months"], r["mismatch"], r["no_portal_row"], r["no_system_data"],
         "; ".join(f"{k}: {fmt_int(v)}" for k, v in sorted(issues.get(r["unit_code"], {}).items()))]
        for r in summary.to_dicts()
    ]
    parts.append(html_table(
        ["Mã", "Cơ quan", "Số tháng", "Chỉ số lệch", STATUS_LABELS["no_portal_row"],
         STATUS_LABELS["no_system_data"], "Hồ sơ lệch theo loại"],
        body, "reconciliation-table",
    ))
    return section("reconciliation", title, "".join(parts))


def vneid_section(marts: Marts) -> str:
    title = "Độ bao phủ tài khoản VNeID theo huyện"
    if not marts.has("vneid_coverage"):
        return section("vneid", title, empty())
    frame = marts.df(
        "select * from marts.vneid_coverage where level in ('district', 'province') and snapshot_date = "
        "(select max(snapshot_date) from marts.vneid_coverage) order by level, unit_code"
    )
    districts = frame.filter(pl.col("level") == "district").sort("coverage_rate")
    if districts.is_empty():
        return section("vneid", title, empty())
    figure = go.Figure()
    for column, label, colour in (
        ("level_2", "Định danh mức 2", "#2ca02c"),
        ("level_1", "Định danh mức 1", "#98df8a"),
        ("without_account", "Chưa có tài khoản", "#d62728"),
    ):
        figure.add_bar(y=plot_texts(districts["unit_name"].to_list()), x=districts[column].to_list(), name=label,
                       orientation="h", marker_color=colour)
    snapshot = fmt_date(districts["snapshot_date"][0])
    style(figure, f"Công dân đủ điều kiện theo tình trạng tài khoản VNeID (ảnh chụp {snapshot})",
          height=max(300, 40 * districts.height + 140))
    figure.update_layout(barmode="stack")
    body = [
        [r["unit_name"], fmt_int(r["eligible"]), fmt_int(r["level_1"]), fmt_int(r["level_2"]),
         fmt_int(r["without_account"]), fmt_pct(r["coverage_rate"]), fmt_pct(r["activation_rate"]),
         fmt_int(r["communes_missing"])]
        for r in frame.sort(["level", "unit_code"], descending=[False, False]).to_dicts()
    ]
    table = html_table(
        ["Đơn vị", "Đủ điều kiện", "Mức 1", "Mức 2", "Chưa có tài khoản", "Độ bao phủ", "Tỷ lệ kích hoạt",
         "Xã thiếu số liệu"],
        body, "vneid-table",
    )
    return section("vneid", title, chart(figure, "chart-vneid-districts") + table)


def publication_section(marts: Marts) -> str:
    title = "Công bố, công khai TTHC đúng hạn theo sở, ngành"
    if not marts.has("publication_timeliness"):
        return section("publication", title, empty())
    frame = marts.df("select * from marts.publication_timeliness order by year, agency_code")
    if frame.is_empty():
        return section("publication", title, empty())
    year = frame["year"].max()
    latest = frame.filter(pl.col("year") == year).sort("publication_on_time_rate")
    figure = go.Figure()
    for column, label in (
        ("publication_on_time_rate", "Công bố đúng hạn (766, chỉ tiêu 1.1)"),
        ("made_public_on_time_rate", "Công khai đúng hạn (766, chỉ tiêu 1.2)"),
    ):
        figure.add_bar(y=plot_texts(latest["agency_name"].to_list()), x=latest[column].to_list(), name=label,
                       orientation="h", text=[fmt_pct(v) for v in latest[column].to_list()], textposition="auto")
    style(figure, f"Tỷ lệ công bố và công khai đúng hạn, năm {year}", percent_axis="x",
          height=max(300, 50 * latest.height + 140))
    body = [
        [r["year"], r["agency_name"], fmt_int(r["procedures_published"]), fmt_int(r["published_on_time"]),
         fmt_pct(r["publication_on_time_rate"]), fmt_int(r["made_public_due"]), fmt_int(r["made_public_on_time"]),
         fmt_pct(r["made_public_on_time_rate"])]
        for r in frame.to_dicts()
    ]
    table = html_table(
        ["Năm", "Cơ quan", "TTHC công bố", "Công bố đúng hạn", "Tỷ lệ", "Đến hạn công khai",
         "Công khai đúng hạn", "Tỷ lệ"],
        body, "publication-table",
    )
    return section("publication", title, chart(figure, "chart-publication-timeliness") + table)


def dossier_lists_section(overdue: pl.DataFrame, inflated: pl.DataFrame, by_agency: pl.DataFrame) -> str:
    summary = html_table(
        ["Mã cơ quan", "Cơ quan", "Hồ sơ đang quá hạn", "Quá hạn nhiều nhất (ngày)",
         "Hồ sơ hẹn trả vượt luật định", "Vượt nhiều nhất (ngày)"],
        [
            [r["agency_code"], r["agency_name"], fmt_int(r["overdue_count"]), fmt_int(r["overdue_max_days"]),
             fmt_int(r["inflated_count"]), fmt_int(r["inflated_max_days"])]
            for r in by_agency.to_dicts()
        ],
        "dossier-summary-table",
    )
    lists = []
    for frame, heading, date_col, csv_name in (
        (overdue, "Hồ sơ đang giải quyết quá hạn", "due_date", "overdue_dossiers.csv"),
        (inflated, "Hồ sơ có ngày hẹn trả vượt thời hạn luật định", "appointment_date", "inflated_appointments.csv"),
    ):
        blocks = []
        for (agency_code, agency_name), rows in frame.group_by("agency_code", "agency_name", maintain_order=True):
            shown = rows.head(DETAIL_ROWS)
            more = f" (hiển thị {shown.height}/{rows.height}, đầy đủ trong {csv_name})" if rows.height > shown.height else ""
            blocks.append(details(
                f"{agency_name or agency_code} — {fmt_int(rows.height)} hồ sơ{more}",
                html_table(
                    ["Mã hồ sơ", "Mã TTHC", "Ngày hẹn" if date_col == "due_date" else "Ngày hẹn trả", "Số ngày vượt"],
                    [[r["dossier_code"], r["procedure_code"], fmt_date(r[date_col]), fmt_int(r["days_over"])]
                     for r in shown.to_dicts()],
                ),
            ))
        lists.append(
            f"<h3>{e(heading)} — <a href=\"{e(csv_name)}\">{e(csv_name)}</a></h3>"
            + ("".join(blocks) or empty())
        )
    note = (
        '<p class="note">Quá hạn: hồ sơ đã tiếp nhận, chưa kết thúc và đã qua ngày hẹn tại cuối ngày dữ liệu '
        "(không tính hồ sơ đang chờ bổ sung). Số ngày vượt: ngày lịch. Không có dữ liệu cá nhân.</p>"
    )
    return section("dossiers", "Hồ sơ quá hạn và hẹn trả vượt luật định theo cơ quan", note + summary + "".join(lists))


def data_quality_section(marts: Marts, manifest: dict) -> str:
    checks = manifest.get("checks") or {}
    rejected = manifest.get("rejected_files") or []
    quarantined = manifest.get("quarantined_rows") or {}
    verdict_ok = checks.get("errors", 0) == 0
    parts = [
        '<div class="cards">',
        quality_card("checks_passed", "Kiểm tra đạt", checks.get("passed")),
        quality_card("checks_warnings", "Cảnh báo", checks.get("warnings")),
        quality_card("checks_errors", "Lỗi chặn công bố", checks.get("errors")),
        quality_card("rejected_files", "Tệp bị từ chối", len(rejected)),
        quality_card("quarantined_rows", "Dòng bị cách ly", sum(quarantined.values())),
        "</div>",
        f'<p class="{"ok" if verdict_ok else "bad"}">'
        + ("Mọi kiểm tra chặn đều đạt: số liệu được công bố." if verdict_ok else "Có kiểm tra chặn không đạt.")
        + "</p>",
    ]
    if rejected:
        parts.append(html_table(["Tệp bị từ chối"], [[f] for f in rejected], "rejected-table"))
    if quarantined:
        parts.append(html_table(["Tệp", "Dòng cách ly"],
                                [[f, fmt_int(n)] for f, n in sorted(quarantined.items())], "quarantine-table"))
    warnings = manifest.get("warnings") or []
    if warnings:
        parts.append(details(f"Cảnh báo ({len(warnings)})", "<ul>" + "".join(f"<li>{e(w)}</li>" for w in warnings) + "</ul>"))
    if marts.has("data_quality"):
        frame = marts.df(
            "select source, check_name, severity, count(*) as checks, "
            "count(*) filter (where not passed) as failed, sum(coalesce(failing_rows, 0)) as failing_rows "
            "from marts.data_quality group by all order by failed desc, source, check_name"
        )
        parts.append(html_table(
            ["Nguồn", "Kiểm tra", "Mức độ", "Số lần", "Không đạt", "Dòng lỗi"],
            [[r["source"], r["check_name"], r["severity"], fmt_int(r["checks"]), fmt_int(r["failed"]),
              fmt_int(r["failing_rows"])] for r in frame.to_dicts()],
            "data-quality-table",
        ))
    return section("data-quality", "Chất lượng dữ liệu của lần công bố", "".join(parts))


def quality_card(key: str, label: str, value) -> str:
    return (
        f'<div class="card small"><div class="label">{e(label)}</div><div class="value">'
        f'<span data-quality="{e(key)}" data-value="{e("" if value is None else value)}">{e(fmt_int(value))}</span>'
        "</div></div>"
    )


# --- building blocks ------------------------------------------------------------------------

def style(figure: go.Figure, title: str, percent_axis: str | None = None, height: int = 420) -> None:
    figure.update_layout(
        title={"text": title, "font": {"size": 15}},
        font={"family": FONT, "size": 12},
        separators=",.",  # Vietnamese: decimal comma, thousands dot
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        template="plotly_white",
    )
    figure.update_yaxes(automargin=True)
    figure.update_xaxes(automargin=True)
    if percent_axis == "x":
        figure.update_xaxes(tickformat=".0%")
    elif percent_axis == "y":
        figure.update_yaxes(tickformat=".0%")


def chart(figure: go.Figure, chart_id: str) -> str:
    div = pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=chart_id, config=CHART_CONFIG)
    return f'<div class="chart" data-chart="{e(chart_id)}">{div}</div>'


def section(key: str, title: str, body: str) -> str:
    return f'<section id="{e(key)}"><h2>{e(title)}</h2>{body}</section>'


def details(summary: str, body: str) -> str:
    return f"<details><summary>{e(summary)}</summary>{body}</details>"


def empty() -> str:
    return '<p class="note">Chưa có dữ liệu.</p>'


def html_table(headers: list[str], rows: list[list], table_id: str | None = None) -> str:
    ident = f' id="{e(table_id)}"' if table_id else ""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; margin: 0;
       background: #f5f6f8; color: #1d2430; }
header { background: #0b4f8a; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 6px; font-size: 22px; }
header p { margin: 2px 0; }
main { padding: 12px 24px 40px; max-width: 1400px; margin: auto; }
section { background: #fff; border-radius: 6px; padding: 12px 18px; margin: 14px 0;
          box-shadow: 0 1px 2px rgba(0,0,0,.08); }
h2 { font-size: 18px; margin: 4px 0 10px; color: #0b4f8a; }
h3 { font-size: 15px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid #dde2ea; border-radius: 6px; padding: 10px 14px; min-width: 220px; flex: 1; }
.card.small { min-width: 140px; }
.card .label { font-size: 13px; color: #4a5568; }
.card .value { font-size: 28px; font-weight: 600; margin: 4px 0; }
.card .detail, .card .compare { font-size: 12px; color: #4a5568; }
.ok { color: #1e7b34; font-weight: 600; }
.bad { color: #b42318; font-weight: 600; }
.note { font-size: 12px; color: #5a6270; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #dde2ea; padding: 3px 8px; text-align: left; }
th { background: #eef2f7; }
.chart { margin: 8px 0; }
details { margin: 4px 0; }
"""

PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kiểm soát TTHC {place} — {period}</title>
<style>{style}</style>
<script type="text/javascript">window.PlotlyConfig = {{MathJaxConfig: 'local'}};</script>
<script type="text/javascript">{plotly_js}</script>
</head>
<body>
<header>
<h1>Tình hình giải quyết thủ tục hành chính — {place}</h1>
<p>Kỳ báo cáo: <span id="period" data-period="{period_code}">{period}</span></p>
<p>Dữ liệu đến hết ngày: <span id="data-through" data-value="{data_through_iso}">{data_through}</span>
 · Công bố lúc {published_at} · Phiên bản {version}</p>
</header>
<main>
{body}
</main>
</body>
</html>
"""
