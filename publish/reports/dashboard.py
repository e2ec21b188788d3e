"""dashboard.html: one self-contained page (plotly's JavaScript inlined once; no CDN, no web
fonts, no external script), so it opens offline from a file share or an e-mail attachment.

The page is rendered from Jinja2 templates (publish/reports/templates/, autoescape on). Its
filters (period, including the latest ISO weeks; tier; district while districts existed;
agency) work offline: the aggregated figures they need are embedded once as JSON
(``dashboard_data``) and a small inline script (templates/dashboard.js) redraws the cards, the
trends, the rankings (best and worst 15), the searchable ranking table and the 766 sections
(portal_766_data) from them.

Every headline number sits in an element with ``data-kpi`` (the KPI code) and ``data-value``
(the unrounded value as the marts hold it), so a test or a scraper can read it back; the
script keeps both up to date when a filter changes.

A name, code or message from the data is shown as text: Jinja escapes it in the HTML,
``plot_texts`` (safe_text) in the plotly traces drawn here, the script's ``plotText`` in those
it draws, and ``script_json`` keeps the embedded JSON from closing its ``<script>``.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from functools import cache

import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline
import polars as pl
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from publish.reports.labels import (
    DECIMAL_SYMBOL,
    GROUP_SYMBOL,
    HEADLINE_KPIS,
    KPI_DEFINITIONS,
    KPI_LABELS,
    LOWER_IS_BETTER,
    NOTICE_CARD_LABEL,
    NOTICE_NAME,
    RANKED_KPIS,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    VNEID_KPI,
    check_kind,
    check_label,
    code_label,
    fmt_date,
    fmt_int,
    fmt_kpi,
    fmt_pct,
    group_766_max_points,
    label_766,
    labels_766,
    notice_figures,
    period_label,
    period_short,
    period_text,
    province_place,
    warning_label,
)
from publish.reports.marts import Marts, Period
from publish.reports.safe_text import plot_texts
from publish.reports.year_on_year import COMPARED_KPIS, year_on_year

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"  # local fonts only
PLOT_SEPARATORS = DECIMAL_SYMBOL + GROUP_SYMBOL  # plotly: decimal, then thousands (Babel's vi_VN)
CHART_CONFIG = {"displaylogo": False, "responsive": True}
DETAIL_ROWS = 15  # dossiers listed per agency in the page; the CSVs hold them all
RANKED_SHOWN = 15  # best and worst agencies drawn per ranking; the table lists them all

# Period types in the filter, in its order. Weeks: only the latest RECENT_WEEKS are embedded,
# at every level; the marts hold every week for BI. Size: plotly.js is 4.8 MB; the figures
# take ~48 bytes per unit and period (compact()), so ~300 agencies + tiers + districts × (13
# weeks + 24 months + 8 quarters + 4 halves + 2 years) ≈ 0.8 MB, plus ~0.1 MB of monthly
# Biểu 06 counts; all 104 weeks of two years would add another ~1.4 MB for a view the weekly
# briefing never goes back to.
FILTER_PERIOD_TYPES = ("week", "month", "quarter", "half", "year")
RECENT_WEEKS = 13
PERIOD_TYPE_LABELS = {
    "week": f"Tuần ({RECENT_WEEKS} tuần gần nhất)",
    "month": "Tháng",
    "quarter": "Quý",
    "half": "6 tháng",
    "year": "Năm",
}
TIER_LABELS = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã"}
VOLUME_COLUMNS = {
    "received_online": "Tiếp nhận trực tuyến",
    "received_in_person_postal": "Tiếp nhận trực tiếp và BCCI",
    "resolved": "Đã giải quyết",
    "in_progress_overdue": "Đang giải quyết quá hạn",
}
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
GROUPS_766 = ["cong_khai", "tien_do", "dvctt", "thanh_toan", "so_hoa", "hai_long", "total"]
REASONS_LATE = ["ended_late", "more_than_one_supplement", "waiting_supplement_late", "open_past_due"]


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("publish.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(fmt_int=fmt_int, fmt_pct=fmt_pct, fmt_kpi=fmt_kpi, fmt_date=fmt_date, jsv=json_value)
    env.globals.update(kpi_labels=KPI_LABELS)
    return env


def render(template: str, **context) -> Markup:
    return Markup(environment().get_template(template).render(**context))


def json_value(value) -> str:
    """A number for a data-value attribute: JSON, unrounded; empty for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return json.dumps(value)


def script_json(data) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` that
    could close the element or open a comment, whatever a name from the data holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return Markup(text)


def num(text, **attrs) -> dict:
    """A right-aligned table cell (numbers); ``attrs`` become data attributes."""
    return {"text": text, "num": True, "css": None, "attrs": {k.replace("_", "-"): v for k, v in attrs.items()}}


def cell(text, css: str | None = None, **attrs) -> dict:
    """A text cell; ``css`` its class (``name``: a unit's name, kept readable in wide tables)."""
    return {"text": text, "num": False, "css": css, "attrs": {k.replace("_", "-"): v for k, v in attrs.items()}}


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
    data = dashboard_data(marts, period, notice is not None, data_through)
    sections = [
        headline_section(marts, period, notice),
        year_on_year_section(marts),
        trends_section(data),
        rankings_section(data),
        portal_766_section(data),
        reconciliation_section(marts),
        vneid_section(marts),
        publication_section(marts),
        dossier_lists_section(overdue, inflated, by_agency),
        data_quality_section(marts, manifest),
    ]
    period_name = (
        period_text(period.period_type, period.period, period.start, period.end, data_through)
        if period
        else "chưa có dữ liệu"
    )
    return render(
        "dashboard.html.j2",
        plotly_js=Markup(plotly.offline.get_plotlyjs()),
        data_json=script_json(data),
        place=place,
        period_text=period_name,
        period_code=period.period if period else "",
        data_through=fmt_date(data_through),
        data_through_iso=data_through.isoformat() if data_through else "",
        published_at=fmt_timestamp(manifest.get("published_at")),
        version=manifest.get("version", "–"),
        sections=[s for s in sections if s],
        has_filters=bool(data["periods"]),
        period_types=PERIOD_TYPE_LABELS,
    )


def fmt_timestamp(value: str | None) -> str:
    """'2026-11-30T20:40:38+07:00' → '20:40 ngày 30/11/2026' (the manifest's ISO time, as a
    reader writes it); anything unreadable as it is."""
    if not value:
        return "–"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{moment:%H:%M} ngày {fmt_date(moment.date())}"


# --- the embedded figures ---------------------------------------------------------------------

def period_key(period_type: str, period: str) -> str:
    return f"{period_type}|{period}"


def dashboard_data(marts: Marts, headline: Period | None, notice: bool, data_through: date | None = None) -> dict:
    """The figures the filters need, aggregated as the marts hold them (no dossier, no person):

    - ``periods``: the latest RECENT_WEEKS weeks, then every month, quarter, half and year;
    - ``units``: per level, ``[code, name]`` (the latest name); agencies also carry their tier
      and district (dim_units when published, else the district most of their dossiers carry);
    - ``values[period][level][i]``: per headline KPI ``compact(...)`` of the i-th unit of that
      level, or null;
    - ``volumes[level][i][m]``: the Biểu 06 counts of VOLUME_COLUMNS of month m;
    - ``targets[kpi][year]``: chi_tieu.csv as kpi_values carries it;
    - ``p766``: the 766 figures of every period (portal_766_data), or null.

    A period's ``label`` says when it is the current one, not yet ended (period_range).
    """
    all_periods = marts.periods(FILTER_PERIOD_TYPES)
    weeks = [p for p in all_periods if p.period_type == "week"][-RECENT_WEEKS:]
    periods = weeks + [p for p in all_periods if p.period_type != "week"]
    keys = {(p.period_type, p.period) for p in periods}
    units = unit_lists(marts)
    index = {level: {row[0]: i for i, row in enumerate(rows)} for level, rows in units.items()}

    values: dict[str, dict[str, list]] = {}
    targets: dict[str, dict[str, float]] = {}
    ends = {(p.period_type, p.period): p.end for p in periods}
    kpi_position = {code: i for i, code in enumerate(HEADLINE_KPIS)}
    rows = marts.rows(
        "select period_type, period, level, unit_code, kpi_code, numerator, denominator, value, "
        "meets_target, target from marts.kpi_values where kpi_code in "
        f"({', '.join(repr(code) for code in HEADLINE_KPIS)})"
    )
    for period_type, period, level, unit_code, kpi, numerator, denominator, value, meets, target in rows:
        if (period_type, period) not in keys or unit_code not in index.get(level, {}):
            continue
        by_level = values.setdefault(period_key(period_type, period), {})
        slots = by_level.setdefault(level, [None] * len(units[level]))
        i = index[level][unit_code]
        if slots[i] is None:
            slots[i] = [None] * len(HEADLINE_KPIS)
        slots[i][kpi_position[kpi]] = compact(numerator, denominator, clean(value), meets)
        if target is not None:
            targets.setdefault(kpi, {})[str(ends[(period_type, period)].year)] = clean(target)

    months = [p for p in periods if p.period_type == "month"]
    month_index = {p.period: i for i, p in enumerate(months)}
    volumes: dict[str, list] = {level: [None] * len(rows) for level, rows in units.items()}
    for row in marts.rows(
        f"select level, unit_code, period, {', '.join(VOLUME_COLUMNS)} from marts.bieu_06 "
        "where period_type = 'month'"
    ):
        level, unit_code, period, *counts = row
        if unit_code not in index.get(level, {}) or period not in month_index:
            continue
        series = volumes[level][index[level][unit_code]]
        if series is None:
            series = volumes[level][index[level][unit_code]] = [None] * len(months)
        series[month_index[period]] = counts

    return {
        "sep": {"decimal": DECIMAL_SYMBOL, "group": GROUP_SYMBOL},
        "font": FONT,
        "kpis": [
            {"code": code, "label": KPI_LABELS[code], "lower": code in LOWER_IS_BETTER,
             "unit": KPI_DEFINITIONS.get(code, {}).get("unit", "rate")}
            for code in HEADLINE_KPIS
        ],
        "ranked": RANKED_KPIS,
        "periodTypes": PERIOD_TYPE_LABELS,
        "shown": RANKED_SHOWN,
        "periods": [
            {"key": period_key(p.period_type, p.period), "type": p.period_type, "code": p.period,
             "label": period_text(p.period_type, p.period, p.start, p.end, data_through),
             "short": period_short(p.period_type, p.period), "year": str(p.end.year)}
            for p in periods
        ],
        "months": [period_key("month", p.period) for p in months],
        "weeks": [period_key("week", p.period) for p in weeks],
        "default": period_key(headline.period_type, headline.period) if headline else None,
        "notice": notice,
        "units": units,
        "tiers": TIER_LABELS,
        "values": values,
        "volumes": volumes,
        "volumeLabels": list(VOLUME_COLUMNS.values()),
        "targets": targets,
        "p766": portal_766_data(marts, periods, units["agency"]),
    }


def compact(numerator, denominator, value, meets) -> list:
    """``[numerator, denominator, meets (1/0/null), value]``, the value left out when it is
    numerator / denominator (the rates: the script divides again, bit for bit the same
    double), which keeps a province of ~300 agencies under a megabyte of figures."""
    entry = [numerator, denominator, None if meets is None else int(bool(meets))]
    if not (value is not None and denominator and value == numerator / denominator):
        entry.append(value)
    return entry


def clean(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def unit_lists(marts: Marts) -> dict[str, list[list]]:
    """Per level, the units of bieu_06 as ``[code, name]`` under their latest name (names
    change with mergers; the latest is the one readers know), agencies as ``[code, name,
    tier, district]``."""
    found: dict[str, list[list]] = {"agency": [], "tier": [], "district": [], "province": []}
    for level, unit_code, unit_name in marts.rows(
        "select level, unit_code, unit_name from marts.bieu_06 qualify row_number() over "
        "(partition by level, unit_code order by period_end desc, period_type) = 1 "
        "order by level, unit_code"
    ):
        if level in found:
            found[level].append([unit_code, unit_name])
    tiers, districts = agency_places(marts)
    found["agency"] = [[code, name, tiers.get(code), districts.get(code)] for code, name in found["agency"]]
    order = list(TIER_LABELS)
    found["tier"].sort(key=lambda row: order.index(row[0]) if row[0] in order else len(order))
    return found


def agency_places(marts: Marts) -> tuple[dict[str, str], dict[str, str]]:
    """agency → tier (``cap``) and agency → district: dim_units' latest row when published;
    without it no tier, and the district most of the agency's dossiers carry."""
    if marts.has("dim_units"):
        rows = marts.rows(
            "select unit_code, cap, district_code from marts.dim_units where unit_type = 'agency' "
            "qualify row_number() over (partition by unit_code order by valid_from desc nulls last) = 1"
        )
        return (
            {code: cap for code, cap, _ in rows if cap},
            {code: district for code, _, district in rows if district},
        )
    if not marts.has("dossiers"):
        return {}, {}
    frame = marts.agency_districts()
    return {}, {r["agency_code"]: r["district_code"] for r in frame.to_dicts() if r["district_code"]}


# --- sections -------------------------------------------------------------------------------

def headline_section(marts: Marts, period: Period | None, notice: dict | None) -> Markup:
    kpis = marts.province_kpis(period) if period else {}
    cards = []
    for code in HEADLINE_KPIS:
        row = kpis.get(code, {})
        cards.append({
            "code": code,
            "label": KPI_LABELS[code] + (" (càng thấp càng tốt)" if code in LOWER_IS_BETTER else ""),
            "value": row.get("value"),
            "text": fmt_kpi(code, row.get("value")),
            "detail": (f"{fmt_int(row.get('numerator'))} / {fmt_int(row.get('denominator'))} hồ sơ"
                       if row else "không có hồ sơ trong kỳ"),
            "target": row.get("target"),
            "target_text": fmt_kpi(code, row.get("target")),
            "meets": row.get("meets_target"),
            "notice": None if notice is None else {"value": notice.get(code), "text": fmt_kpi(code, notice.get(code))},
        })
    vneid = marts.vneid_province()
    vneid_card = {
        "code": VNEID_KPI,
        "label": KPI_LABELS[VNEID_KPI] + " (càng thấp càng tốt)",
        "value": vneid["without_account"] if vneid else None,
        "text": fmt_int(vneid["without_account"]) if vneid else "–",
        "detail": (f"toàn tỉnh, ảnh chụp ngày {fmt_date(vneid['snapshot_date'])}; "
                   f"độ bao phủ {fmt_pct(vneid['coverage_rate'])}") if vneid else "chưa có ảnh chụp VNeID",
        "notice": None if notice is None else {"value": notice.get(VNEID_KPI), "text": fmt_int(notice.get(VNEID_KPI))},
    }
    return render(
        "sections/headline.html.j2", cards=cards, vneid=vneid_card,
        notice_name=NOTICE_NAME if notice is not None else None, notice_label=NOTICE_CARD_LABEL,
    )


def year_on_year_section(marts: Marts) -> str:
    """The latest complete half-year beside the same half a year earlier, both restated to
    today's units (year_on_year.py); no section when the marts hold no such pair."""
    compared = year_on_year(marts)
    if compared is None:
        return ""
    pairs = ((compared.latest, compared.latest_kpis), (compared.earlier, compared.earlier_kpis))
    rows = [[
        "Hồ sơ tiếp nhận",
        *[num(fmt_int(count), data_yoy="received", data_period=period.period)
          for period, count in ((compared.latest, compared.latest_received),
                                (compared.earlier, compared.earlier_received))],
    ]]
    for code in COMPARED_KPIS:
        rows.append([
            KPI_LABELS.get(code, code),
            *[num(fmt_kpi(code, kpis.get(code, {}).get("value")), data_yoy=code, data_period=period.period,
                  data_value=json_value(kpis.get(code, {}).get("value")))
              for period, kpis in pairs],
        ])
    columns = [("Chỉ tiêu", False), *[(period_label(p.period_type, p.period), True) for p, _ in pairs]]
    place = province_place(compared.province.name) or "toàn tỉnh"
    return render(
        "sections/year_on_year.html.j2", title=f"{compared.title} ({place})", columns=columns, rows=rows,
        note=compared.note,
    )


def trends_section(data: dict) -> Markup:
    return render("sections/trends.html.j2", has_data=bool(data["periods"]), weeks=bool(data["weeks"]),
                  recent_weeks=RECENT_WEEKS)


def rankings_section(data: dict) -> Markup:
    columns = [("Mã", False), ("Cơ quan", False), ("Cấp", False), ("Huyện", False)]
    for code in RANKED_KPIS:
        columns += [(KPI_LABELS[code], True), ("Hồ sơ (đạt / tổng)", True)]
    return render("sections/rankings.html.j2", has_data=bool(data["periods"]), ranked=RANKED_KPIS,
                  shown=RANKED_SHOWN, columns=columns)


# --- the 766 sections, by period -------------------------------------------------------------
#
# The 766 figures follow the period filter like every other section. portal_766_indicators
# holds months, quarters and years; portal_766_scores (the groups) and portal_766_dossiers (the
# reasons) hold months only: the portal publishes its 766 report monthly (portal_766.md
# "Periods and levels"). So, for the period chosen:
# - a month, quarter or year of those marts: its own figures. A quarter or a year shows the
#   group scores of its latest scored month (a note names it) and no portal points nor reasons
#   in the agency table (those columns are monthly: a note says to choose a month);
# - a week or a half-year, which those marts do not have: the whole section shows one month,
#   said in a note above it: for a half-year its latest month with 766 figures, for a week the
#   month of its last day (no month lies inside a week). A month rather than a quarter for a
#   half-year: it is the period of the portal's own report, and it keeps the groups, the
#   indicators and the agencies on one and the same period. An official who chose "6 tháng
#   đầu năm" (the default view) thus still sees the latest figures the portal scored, and is
#   told that they are of that month, rather than an empty section;
# - a month, quarter or year those marts lack (before the portal's first report): a note.
PORTAL_766_PERIOD_TYPES = ("month", "quarter", "year")


def portal_766_section(data: dict) -> str:
    """Issue 17: the province's recomputed 766 score by group beside the portal's, the
    indicators ranked by points lost, and every agency's own 2.1 (progress_766) beside the
    portal rule's, with the portal's reasons; of the period the filter shows (see above), drawn
    by the script from ``data["p766"]`` (portal_766_data). No section when the publication
    lacks portal_766_scores."""
    if not (data.get("p766") or {}).get("data"):
        return ""
    return render("sections/portal_766.html.j2",
                  late_reasons=[code_label("reason", code) for code in REASONS_LATE])


def portal_766_data(marts: Marts, periods: list[Period], agency_units: list[list]) -> dict | None:
    """The 766 figures of every period the filter offers, for the script:

    - ``view[filter period key]``: ``[key, groups_key, note]``: the 766 period shown (null:
      none), the month whose group scores are shown (null: none) and a note on the choice;
    - ``data[key]``: ``label``, ``short``, ``monthly`` (portal points and reasons exist),
      ``groups`` ``[code, max, recomputed, portal, diff, status]`` (months), ``indicators``
      ``[code, group, numerator, denominator, rate, points, max, points_lost]`` ranked by
      points lost, ``agencies`` ``[i, own, portal_rule, portal_points, late]`` ranked by
      the largest difference (own and portal_rule: ``[numerator, denominator, value?]``,
      the value left out when it is numerator / denominator, as in compact);
    - ``agencies``: ``[code, name]`` (i above); ``groupLabels``, ``indicatorLabels``,
      ``statusLabels``: the words of the codes (labels_766, code_label).
    None without portal_766_scores."""
    if not marts.has("portal_766_scores"):
        return None
    by_key = {(p.period_type, p.period): p for p in periods}
    scored = [
        by_key[("month", month)]
        for (month,) in marts.rows(
            "select distinct period from marts.portal_766_scores where level = 'province' order by period"
        )
        if ("month", month) in by_key
    ]
    indicators: dict[tuple[str, str], list[dict]] = {}
    if marts.has("portal_766_indicators"):
        for r in marts.df(
            "select period_type, period, indicator_code, group_code, numerator, denominator, rate, points, "
            "max_points, points_lost from marts.portal_766_indicators where level = 'province' "
            "order by period_type, period, points_lost desc nulls last, indicator_code"
        ).to_dicts():
            indicators.setdefault((r["period_type"], r["period"]), []).append(r)
    have = {key for key in indicators if key in by_key} | {("month", p.period) for p in scored}
    months = sorted((by_key[key] for key in have if key[0] == "month"), key=lambda p: p.period)
    scored_months = {p.period for p in scored}

    view: dict[str, list] = {}
    for p in periods:
        shown, groups_month, note = portal_766_choice(p, have, months, scored_months)
        view[period_key(p.period_type, p.period)] = [
            period_key(*shown) if shown else None, period_key("month", groups_month) if groups_month else None, note,
        ]
    wanted = {tuple(key.split("|", 1)) for entry in view.values() for key in entry[:2] if key}

    labels = labels_766(marts)
    own, rule, published, late = portal_766_agency_figures(marts)
    agency_index: dict[str, int] = {}
    agencies: list[list] = []
    unit_names = {row[0]: row[1] for row in agency_units}

    def agency(code: str, name: str | None) -> int:
        if code not in agency_index:
            agency_index[code] = len(agencies)
            agencies.append([code, unit_names.get(code) or name or code])
        return agency_index[code]

    data: dict[str, dict] = {}
    group_codes: set[str] = set()
    indicator_codes: set[str] = set()
    statuses: set[str] = set()
    for key in sorted(wanted):
        period_type, period = key
        entry: dict = {
            "label": period_label(period_type, period), "short": period_short(period_type, period),
            "monthly": period_type == "month",
        }
        if period_type == "month" and period in scored_months:
            groups = province_766_groups(marts, period)
            entry["groups"] = [
                [r["group_code"], clean(r["max_points"]), clean(r["recomputed_points"]), clean(r["portal_points"]),
                 clean(r["diff"]), r["status"]]
                for r in groups
            ]
            group_codes |= {r["group_code"] for r in groups}
            statuses |= {r["status"] for r in groups}
        entry["indicators"] = [
            [r["indicator_code"], r["group_code"], clean(r["numerator"]), clean(r["denominator"]), clean(r["rate"]),
             clean(r["points"]), clean(r["max_points"]), clean(r["points_lost"])]
            for r in indicators.get(key, [])
        ]
        indicator_codes |= {r[0] for r in entry["indicators"]}
        group_codes |= {r[1] for r in entry["indicators"]}
        rows = []
        for code in sorted(set(own.get(key, {})) | set(rule.get(key, {}))):
            mine, theirs = own.get(key, {}).get(code), rule.get(key, {}).get(code)
            i = agency(code, (mine or theirs)[0])
            own_value = mine[1] if mine else None
            rule_value = theirs[1] if theirs else None
            # Both 2.1 figures count Biểu 06 column 3 (dossiers to handle), so their
            # denominators agree unless the portal counts under this agency the dossiers of
            # agencies that ended before the period's end (int_portal_766__period_agencies):
            # then the two rates are of different dossiers and no difference is shown.
            same_dossiers = not (mine and theirs) or mine[3] == theirs[3]
            diff = (own_value - rule_value
                    if same_dossiers and own_value is not None and rule_value is not None else None)
            row = [i, ratio(*mine[1:]) if mine else None, ratio(*theirs[1:]) if theirs else None]
            if entry["monthly"]:
                counts = late.get(period, {}).get(code, {})
                row += [clean(published.get(period, {}).get(code)), [counts.get(reason, 0) for reason in REASONS_LATE]]
            rows.append((-abs(diff) if diff is not None else 1, code, row))
        entry["agencies"] = [row for *_, row in sorted(rows, key=lambda r: (r[0], r[1]))]
        data[period_key(period_type, period)] = entry
    return {
        "view": view,
        "data": data,
        "agencies": agencies,
        "reasons": REASONS_LATE,
        "groupLabels": {code: label_766(labels, "group", code) for code in sorted(group_codes)},
        "indicatorLabels": {code: label_766(labels, "indicator", code) for code in sorted(indicator_codes)},
        "statusLabels": {status: code_label("score_status", status) for status in sorted(statuses) if status},
    }


def portal_766_choice(
    p: Period, have: set[tuple[str, str]], months: list[Period], scored_months: set[str]
) -> tuple[tuple[str, str] | None, str | None, str | None]:
    """(the 766 period shown for the filter period ``p``, the month of the group scores, a
    note): see the comment above PORTAL_766_PERIOD_TYPES."""
    chosen = in_sentence(period_label(p.period_type, p.period))
    if p.period_type in PORTAL_766_PERIOD_TYPES:
        if (p.period_type, p.period) not in have:
            return None, None, None
        if p.period_type == "month":
            return ("month", p.period), p.period if p.period in scored_months else None, None
        inside = [m for m in months if p.start <= m.start <= p.end and m.period in scored_months]
        if not inside:
            return (p.period_type, p.period), None, None
        month = inside[-1]
        return (p.period_type, p.period), month.period, (
            f"Cổng chấm điểm theo nhóm hằng tháng: điểm theo nhóm dưới đây là của "
            f"{in_sentence(period_label('month', month.period))}, tháng mới nhất có điểm trong {chosen}; "
            f"các chỉ số và bảng theo cơ quan là của cả {chosen}."
        )
    if p.period_type == "week":
        month = next((m for m in months if m.period == f"{p.end:%Y-%m}"), None)
        why = "tháng có ngày cuối của tuần đã chọn"
        kind = "tuần"
    else:
        inside = [m for m in months if p.start <= m.start <= p.end]
        month = inside[-1] if inside else None
        why = f"tháng mới nhất có số liệu 766 trong {chosen}"
        kind = "kỳ 6 tháng" if p.period_type == "half" else "kỳ này"
    if month is None:
        return None, None, (
            f"Chỉ số 766 được tính theo tháng, quý và năm, không theo {kind}; chưa có tháng nào có số liệu "
            f"766 cho {chosen}."
        )
    return ("month", month.period), month.period if month.period in scored_months else None, (
        f"Chỉ số 766 được tính theo tháng, quý và năm, không theo {kind}: số liệu dưới đây là của "
        f"{in_sentence(period_label('month', month.period))}, {why}."
    )


def in_sentence(label: str) -> str:
    """'Quý II năm 2024' → 'quý II năm 2024': a period's name inside a sentence."""
    return label[:1].lower() + label[1:]


def ratio(value, numerator, denominator) -> list | None:
    """``[numerator, denominator]``, with the value appended when it is not numerator /
    denominator (compact); None when there is nothing."""
    value, numerator, denominator = clean(value), clean(numerator), clean(denominator)
    if value is None and numerator is None and denominator is None:
        return None
    entry = [numerator, denominator]
    if not (value is not None and denominator and value == numerator / denominator):
        entry.append(value)
    return entry


def portal_766_agency_figures(marts: Marts) -> tuple[dict, dict, dict, dict]:
    """Per (period_type, period) and agency: the province's own 2.1 (progress_766, kpis.md)
    and the portal rule's 2.1 (portal_766_indicators) as ``(name, value, numerator,
    denominator)``; per month and agency, the portal's published Tiến độ points
    (portal_766_scores) and the portal's reasons for the dossiers it counts late
    (portal_766_dossiers): ``{reason: count}``."""
    types = ", ".join(repr(t) for t in PORTAL_766_PERIOD_TYPES)
    own: dict = {}
    if marts.has("kpi_values"):
        for period_type, period, code, name, value, numerator, denominator in marts.rows(
            "select period_type, period, unit_code, unit_name, value, numerator, denominator from marts.kpi_values "
            f"where level = 'agency' and kpi_code = 'progress_766' and period_type in ({types})"
        ):
            own.setdefault((period_type, period), {})[code] = (name, value, numerator, denominator)
    rule: dict = {}
    if marts.has("portal_766_indicators"):
        for period_type, period, code, name, value, numerator, denominator in marts.rows(
            "select period_type, period, unit_code, unit_name, rate, numerator, denominator "
            f"from marts.portal_766_indicators where level = 'agency' and indicator_code = '2.1' "
            f"and period_type in ({types})"
        ):
            rule.setdefault((period_type, period), {})[code] = (name, value, numerator, denominator)
    published: dict = {}
    for period, code, points in marts.rows(
        "select period, unit_code, portal_points from marts.portal_766_scores "
        "where level = 'agency' and group_code = 'tien_do'"
    ):
        published.setdefault(period, {})[code] = points
    late: dict = {}
    if marts.has("portal_766_dossiers"):
        for period, code, reason, count in marts.rows(
            "select period, agency_code, reason, count(*) from marts.portal_766_dossiers "
            "where period_type = 'month' and not is_on_time group by all"
        ):
            late.setdefault(period, {}).setdefault(code, {})[reason] = count
    return own, rule, published, late


def latest_766_month(marts: Marts) -> str | None:
    """The latest month of portal_766_scores that has a province row; None without the mart."""
    if not marts.has("portal_766_scores"):
        return None
    found = marts.rows("select max(period) from marts.portal_766_scores where level = 'province'")
    return found[0][0] if found else None


def province_766_groups(marts: Marts, month: str) -> list[dict]:
    """The province's rows of portal_766_scores for ``month``, in the groups' order, each with
    its maximum points (rules_766.csv)."""
    rows = marts.df(
        "select rule_set, group_code, recomputed_points, portal_points, diff, status "
        "from marts.portal_766_scores where level = 'province' and period = ?",
        [month],
    ).to_dicts()
    rows.sort(key=lambda r: GROUPS_766.index(r["group_code"]) if r["group_code"] in GROUPS_766 else 99)
    for r in rows:
        r["max_points"] = group_766_max_points(r["rule_set"], r["group_code"])
    return rows


def reconciliation_section(marts: Marts) -> Markup:
    title = "Đối soát với Cổng Dịch vụ công quốc gia"
    if not marts.has("reconciliation"):
        return render("sections/simple.html.j2", key="reconciliation", title=title,
                      note="Bản công bố này chưa có số liệu đối soát với Cổng DVCQG.")
    frame = marts.df("select period, unit_code, unit_name, measure, system_value, portal_value, diff, status from marts.reconciliation")
    if frame.is_empty():
        return render("sections/simple.html.j2", key="reconciliation", title=title, note=None)
    mismatched = frame.filter(pl.col("status") == "mismatch")
    figure = None
    if mismatched.height:
        gaps = mismatched.group_by("unit_name", "measure").agg(pl.col("diff").sum())
        agencies = sorted(gaps["unit_name"].unique().to_list())
        measures = [m for m in MEASURE_LABELS if m in set(gaps["measure"].to_list())] + sorted(
            set(gaps["measure"].to_list()) - set(MEASURE_LABELS)
        )
        lookup = {(r["unit_name"], r["measure"]): r["diff"] for r in gaps.to_dicts()}
        z = [[lookup.get((a, m)) for m in measures] for a in agencies]
        text = [[("" if v is None else fmt_int(v)) for v in r] for r in z]
        figure = go.Figure(
            go.Heatmap(
                z=z, x=plot_texts([MEASURE_LABELS.get(m, m) for m in measures]), y=plot_texts(agencies),
                colorscale="RdBu", zmid=0, text=text, texttemplate="%{text}",
                hovertemplate="%{y} – %{x}: %{text}<extra></extra>",
                colorbar={"title": "Hệ thống − Cổng"},
            )
        )
        style(figure, "Chênh lệch hệ thống − Cổng DVCQG theo cơ quan (tổng các tháng lệch)",
              height=max(320, 30 * len(agencies) + 160))
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
    rows = [
        [r["unit_code"], r["unit_name"], num(fmt_int(r["months"])), num(fmt_int(r["mismatch"])),
         num(fmt_int(r["no_portal_row"])), num(fmt_int(r["no_system_data"])),
         "; ".join(f"{code_label('issue', k)}: {fmt_int(v)}" for k, v in sorted(issues.get(r["unit_code"], {}).items()))]
        for r in summary.to_dicts()
    ]
    columns = [("Mã", False), ("Cơ quan", False), ("Số tháng", True), ("Chỉ số lệch", True),
               (code_label("score_status", "no_portal_row"), True), (code_label("score_status", "no_system_data"), True),
               ("Hồ sơ lệch theo loại", False)]
    return render("sections/reconciliation.html.j2", title=title,
                  chart=chart(figure, "chart-reconciliation") if figure else "", columns=columns, rows=rows)


def vneid_section(marts: Marts) -> Markup:
    title = "Độ bao phủ tài khoản VNeID theo huyện"
    frame = pl.DataFrame()
    if marts.has("vneid_coverage"):
        frame = marts.df(
            "select * from marts.vneid_coverage where level in ('district', 'province') and snapshot_date = "
            "(select max(snapshot_date) from marts.vneid_coverage) order by level, unit_code"
        )
    districts = frame.filter(pl.col("level") == "district").sort("coverage_rate") if frame.height else frame
    if districts.is_empty():
        return render("sections/simple.html.j2", key="vneid", title=title, note=None)
    figure = go.Figure()
    for column, label, colour in (
        ("level_2", "Định danh mức 2", "#2ca02c"),
        ("level_1", "Định danh mức 1", "#98df8a"),
        ("without_account", "Chưa có tài khoản", "#d62728"),
    ):
        values = districts[column].to_list()
        figure.add_bar(y=plot_texts(districts["unit_name"].to_list()), x=values, name=label,
                       orientation="h", marker_color=colour, customdata=[fmt_int(v) for v in values],
                       hovertemplate="%{y}: %{customdata}<extra>" + label + "</extra>")
    snapshot = fmt_date(districts["snapshot_date"][0])
    style(figure, f"Công dân đủ điều kiện theo tình trạng tài khoản VNeID (ảnh chụp {snapshot})",
          height=max(300, 40 * districts.height + 140))
    figure.update_layout(barmode="stack")
    rows = [
        [r["unit_name"], num(fmt_int(r["eligible"])), num(fmt_int(r["level_1"])), num(fmt_int(r["level_2"])),
         num(fmt_int(r["without_account"])), num(fmt_pct(r["coverage_rate"])), num(fmt_pct(r["activation_rate"])),
         num(fmt_int(r["communes_missing"]))]
        for r in frame.sort(["level", "unit_code"]).to_dicts()
    ]
    columns = [("Đơn vị", False), ("Đủ điều kiện", True), ("Mức 1", True), ("Mức 2", True),
               ("Chưa có tài khoản", True), ("Độ bao phủ", True), ("Tỷ lệ kích hoạt", True), ("Xã thiếu số liệu", True)]
    return render("sections/chart_table.html.j2", key="vneid", title=title,
                  chart=chart(figure, "chart-vneid-districts"), columns=columns, rows=rows, table_id="vneid-table")


def publication_section(marts: Marts) -> Markup:
    title = "Công bố, công khai TTHC đúng hạn theo sở, ngành"
    frame = marts.df("select * from marts.publication_timeliness order by year, agency_code") \
        if marts.has("publication_timeliness") else pl.DataFrame()
    if frame.is_empty():
        return render("sections/simple.html.j2", key="publication", title=title, note=None)
    year = frame["year"].max()
    latest = frame.filter(pl.col("year") == year).sort("publication_on_time_rate")
    figure = go.Figure()
    for column, label in (
        ("publication_on_time_rate", "Công bố đúng hạn (766, chỉ tiêu 1.1)"),
        ("made_public_on_time_rate", "Công khai đúng hạn (766, chỉ tiêu 1.2)"),
    ):
        texts = [fmt_pct(v) for v in latest[column].to_list()]
        figure.add_bar(y=plot_texts(latest["agency_name"].to_list()), x=latest[column].to_list(), name=label,
                       orientation="h", text=texts, textposition="auto", customdata=texts,
                       hovertemplate="%{y}: %{customdata}<extra>" + label + "</extra>")
    style(figure, f"Tỷ lệ công bố và công khai đúng hạn, năm {year}", percent_axis="x",
          height=max(300, 50 * latest.height + 140))
    rows = [
        [str(r["year"]), r["agency_name"], num(fmt_int(r["procedures_published"])), num(fmt_int(r["published_on_time"])),
         num(fmt_pct(r["publication_on_time_rate"])), num(fmt_int(r["made_public_due"])),
         num(fmt_int(r["made_public_on_time"])), num(fmt_pct(r["made_public_on_time_rate"]))]
        for r in frame.to_dicts()
    ]
    columns = [("Năm", False), ("Cơ quan", False), ("TTHC công bố", True), ("Công bố đúng hạn", True),
               ("Tỷ lệ", True), ("Đến hạn công khai", True), ("Công khai đúng hạn", True), ("Tỷ lệ", True)]
    return render("sections/chart_table.html.j2", key="publication", title=title,
                  chart=chart(figure, "chart-publication-timeliness"), columns=columns, rows=rows,
                  table_id="publication-table")


def dossier_lists_section(overdue: pl.DataFrame, inflated: pl.DataFrame, by_agency: pl.DataFrame) -> Markup:
    summary = [
        [r["agency_code"], r["agency_name"], num(fmt_int(r["overdue_count"])), num(fmt_int(r["overdue_max_days"])),
         num(fmt_int(r["inflated_count"])), num(fmt_int(r["inflated_max_days"]))]
        for r in by_agency.to_dicts()
    ]
    lists = []
    for frame, heading, date_col, csv_name in (
        (overdue, "Hồ sơ đang giải quyết quá hạn", "due_date", "overdue_dossiers.csv"),
        (inflated, "Hồ sơ có ngày hẹn trả vượt thời hạn luật định", "appointment_date", "inflated_appointments.csv"),
    ):
        blocks = []
        for (agency_code, agency_name), rows in frame.group_by("agency_code", "agency_name", maintain_order=True):
            shown = rows.head(DETAIL_ROWS)
            more = f" (hiển thị {shown.height}/{rows.height}, đầy đủ trong {csv_name})" if rows.height > shown.height else ""
            blocks.append({
                "summary": f"{agency_name or agency_code} — {fmt_int(rows.height)} hồ sơ{more}",
                "rows": [[r["dossier_code"], r["procedure_code"], num(fmt_date(r[date_col])), num(fmt_int(r["days_over"]))]
                         for r in shown.to_dicts()],
            })
        lists.append({"heading": heading, "csv": csv_name, "blocks": blocks,
                      "columns": [("Mã hồ sơ", False), ("Mã TTHC", False),
                                  ("Ngày hẹn" if date_col == "due_date" else "Ngày hẹn trả", True),
                                  ("Số ngày vượt", True)]})
    columns = [("Mã cơ quan", False), ("Cơ quan", False), ("Hồ sơ đang quá hạn", True),
               ("Quá hạn nhiều nhất (ngày)", True), ("Hồ sơ hẹn trả vượt luật định", True), ("Vượt nhiều nhất (ngày)", True)]
    return render("sections/dossiers.html.j2", columns=columns, rows=summary, lists=lists)


def data_quality_section(marts: Marts, manifest: dict) -> Markup:
    checks = manifest.get("checks") or {}
    rejected = manifest.get("rejected_files") or []
    quarantined = manifest.get("quarantined_rows") or {}
    cards = [
        ("checks_passed", "Kiểm tra đạt", checks.get("passed")),
        ("checks_warnings", "Cảnh báo", checks.get("warnings")),
        ("checks_errors", "Lỗi chặn công bố", checks.get("errors")),
        ("rejected_files", "Tệp bị từ chối", len(rejected)),
        ("quarantined_rows", "Dòng bị cách ly", sum(quarantined.values())),
    ]
    failed, passed = [], []
    if marts.has("data_quality"):
        frame = marts.df(
            "select source, check_name, severity, count(*) as checks, "
            "count(*) filter (where not passed) as failed, sum(coalesce(failing_rows, 0)) as failing_rows "
            "from marts.data_quality group by all order by failed desc, source, check_name"
        )
        for r in frame.to_dicts():
            label = check_label(r["check_name"])
            if r["failed"]:
                failed.append([
                    SOURCE_LABELS.get(r["source"], r["source"]),
                    cell(label, title=r["check_name"]),
                    SEVERITY_LABELS.get(r["severity"], r["severity"]),
                    num(fmt_int(r["failed"])), num(fmt_int(r["failing_rows"]) if r["failing_rows"] else "–"),
                ])
            else:
                passed.append((SOURCE_LABELS.get(r["source"], r["source"]), check_kind(r["check_name"]), r["checks"]))
    kinds: dict[tuple[str, str], int] = {}
    for source, kind, count in passed:
        kinds[(source, kind)] = kinds.get((source, kind), 0) + count
    passed_rows = [[source, kind, num(fmt_int(count))] for (source, kind), count in sorted(kinds.items())]
    return render(
        "sections/data_quality.html.j2",
        cards=cards, verdict_ok=checks.get("errors", 0) == 0,
        rejected=[[f] for f in rejected], quarantined=[[f, num(fmt_int(n))] for f, n in sorted(quarantined.items())],
        warnings=[warning_label(w) for w in manifest.get("warnings") or []],
        failed=failed, passed=passed_rows,
    )


# --- building blocks ------------------------------------------------------------------------

def style(figure: go.Figure, title: str, percent_axis: str | None = None, height: int = 420) -> None:
    figure.update_layout(
        title={"text": title, "font": {"size": 15}},
        font={"family": FONT, "size": 12},
        separators=PLOT_SEPARATORS,
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


def chart(figure: go.Figure, chart_id: str) -> Markup:
    div = pio.to_html(figure, full_html=False, include_plotlyjs=False, div_id=chart_id, config=CHART_CONFIG)
    return render("chart.html.j2", chart_id=chart_id, div=Markup(div))

