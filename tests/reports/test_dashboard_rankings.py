"""The rankings of a province with more agencies than fit a chart: each ranking draws the 15
worst and the 15 best (not ~300 bars), the tier filter keeps the agencies of that tier
(dim_units), ties are broken by the number of dossiers, and the page stays small enough.

A hand-made publication (no shared build): 40 agencies, 20 of the provincial tier and 20 of
the commune tier, one year and two months; dim_units carries their tier."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from publish.publication import MARTS_DB
from publish.reports import write_reports
from publish.reports.labels import fmt_int, fmt_pct
from publish.reports.marts import BIEU_06_COUNTS
from publish.reports.scorecard import portal_766_table

MANIFEST = {"data_through": "2024-02-29", "published_at": "2024-03-01T02:00:00+07:00", "version": "r1"}
AGENCIES = 40
PERIODS = [
    ("year", "2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("month", "2024-01", date(2024, 1, 1), date(2024, 1, 31)),
    ("month", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
]


def agency(n: int) -> tuple[str, str, str]:
    """(code, name, tier): the first half provincial, the second communal."""
    return f"000.00.{n:02d}.H04", f"Cơ quan số {n:02d}", "tinh" if n < AGENCIES // 2 else "xa"


def on_time(n: int) -> tuple[int, int]:
    """(numerator, denominator) of agency n: eight agencies at 100% with different volumes
    (ties), the others spread below."""
    if n < 8:
        return 10 + n, 10 + n
    return 50 + n, 100


def make_publication(folder) -> None:
    folder.mkdir(parents=True)
    units = [("agency", code, name) for code, name, _ in map(agency, range(AGENCIES))]
    units += [("tier", "tinh", "Cấp tỉnh"), ("tier", "xa", "Cấp xã"), ("province", "24", "Tỉnh Bắc Giang")]
    counts = dict.fromkeys(BIEU_06_COUNTS, 0) | {"total": 10, "received_online": 6, "received_in_person_postal": 4,
                                                  "resolved": 10, "resolved_on_time": 10}
    bieu_06 = pl.DataFrame([
        {"period_type": t, "period": p, "period_start": s, "period_end": e, "level": level, "unit_code": code,
         "unit_name": name} | counts
        for t, p, s, e in PERIODS for level, code, name in units
    ])
    kpis = []
    for t, p, _, _ in PERIODS:
        for level, code, name in units:
            n = int(code.split(".")[2]) if level == "agency" else 0
            numerator, denominator = on_time(n) if level == "agency" else (900, 1000 if level == "province" else 990)
            for kpi in ("on_time_rate", "online_rate", "online_payment_rate", "satisfaction_766"):
                kpis.append({"period_type": t, "period": p, "level": level, "unit_code": code, "unit_name": name,
                             "kpi_code": kpi, "numerator": numerator, "denominator": denominator,
                             "value": numerator / denominator, "target": 0.95,
                             "meets_target": numerator / denominator >= 0.95})
    dossiers = pl.DataFrame(
        {"dossier_code": ["HS-1"], "procedure_code": ["P1"], "agency_code": [agency(0)[0]], "district_code": [None],
         "received_at": [date(2024, 2, 1)], "submitted_at": [date(2024, 2, 1)], "due_at": [date(2024, 2, 10)],
         "ended_at": [date(2024, 2, 5)], "status": [10], "statutory_due_date": [date(2024, 2, 10)],
         "is_appointment_inflated": [False]},
        schema_overrides={"received_at": pl.Datetime, "submitted_at": pl.Datetime, "due_at": pl.Datetime,
                          "ended_at": pl.Datetime, "district_code": pl.String},
    )
    dim_units = pl.DataFrame([
        {"unit_type": "agency", "unit_code": code, "unit_name": name, "cap": tier, "parent_code": None,
         "valid_from": date(2020, 1, 1), "valid_to": None, "successor_code": None, "district_code": None,
         "province_code": "24"}
        for code, name, tier in map(agency, range(AGENCIES))
    ], schema_overrides={"parent_code": pl.String, "valid_to": pl.Date, "successor_code": pl.String,
                         "district_code": pl.String})
    with duckdb.connect(str(folder / MARTS_DB)) as con:
        con.execute("create schema marts")
        for table, frame in (("bieu_06", bieu_06), ("bieu_06_fields", bieu_06.with_columns(
                field_code=pl.lit("F1"), field_name=pl.lit("Lĩnh vực"))), ("kpi_values", pl.DataFrame(kpis)),
                ("dossiers", dossiers), ("dim_units", dim_units)):
            con.register("frame", frame)
            con.execute(f"create table marts.{table} as select * from frame")
            con.unregister("frame")


def section_shot(page, selector: str, path) -> None:
    """A section's screenshot without the sticky filter bar drawn over it."""
    page.add_style_tag(content=".filters { position: static; }")
    page.locator(selector).screenshot(path=str(path))


@pytest.fixture(scope="module")
def many_agencies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many") / "publication"
    make_publication(folder)
    write_reports(folder, MANIFEST)
    return folder


@pytest.fixture
def page(many_agencies, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto((many_agencies / "reports" / "dashboard.html").as_uri(), wait_until="load", timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')].every(c => c.querySelector('svg.main-svg'))",
        timeout=30_000,
    )
    yield page
    assert problems == []
    page.close()


def bars(page, code: str = "on_time_rate") -> list[str]:
    """The agency names of a ranking chart, bottom to top."""
    return page.evaluate(
        f"() => document.getElementById('chart-agency-{code}').data.flatMap(t => t.y)"
    )


def ranked(members: list[int]) -> list[int]:
    """Best first: the higher rate, then the more dossiers."""
    return sorted(members, key=lambda n: (-on_time(n)[0] / on_time(n)[1], -on_time(n)[1]))


def test_each_ranking_draws_the_15_worst_and_the_15_best(page, artifacts):
    order = ranked(list(range(AGENCIES)))
    worst = order[::-1][:15]  # worst first
    best = order[:15]
    expected = [agency(n)[1] for n in worst] + [agency(n)[1] for n in reversed(best)]
    assert bars(page) == expected
    # ties at 100%: the agency with more dossiers ranks first
    assert best[:8] == [7, 6, 5, 4, 3, 2, 1, 0]
    names = page.evaluate("() => document.getElementById('chart-agency-on_time_rate').data.map(t => t.name)")
    assert names == ["15 cơ quan thấp nhất", "15 cơ quan cao nhất"]
    assert "8/40 cơ quan đạt 100%." in page.inner_text("#rank-note-on_time_rate")
    # the table still lists every agency
    assert page.locator("#ranking-table tbody tr").count() == AGENCIES
    section_shot(page, "#rankings", artifacts / "dashboard_rankings_40_agencies.png")


def test_the_tier_filter_keeps_that_tiers_agencies(page):
    page.select_option("#f-tier", "xa")
    communes = [n for n in range(AGENCIES) if agency(n)[2] == "xa"]
    assert page.locator("#ranking-table tbody tr").count() == len(communes)
    # 20 agencies: all of them in one ranking, best on top
    assert bars(page) == [agency(n)[1] for n in reversed(ranked(communes))]
    options = page.eval_on_selector_all("#f-agency option", "os => os.map(o => o.value).filter(v => v)")
    assert sorted(options) == sorted(agency(n)[0] for n in communes)
    # the cards show the tier's own row of the marts, not a sum made in the page
    assert page.get_attribute('[data-kpi="on_time_rate"]', "data-value") == str(900 / 990)
    page.select_option("#f-agency", agency(communes[0])[0])
    numerator, denominator = on_time(communes[0])
    assert page.inner_text('[data-kpi="on_time_rate"]') == fmt_pct(numerator / denominator)
    assert page.inner_text('[data-card="on_time_rate"] .detail') == f"{fmt_int(numerator)} / {fmt_int(denominator)} hồ sơ"


def test_no_766_section_without_its_marts(many_agencies):
    html = (many_agencies / "reports" / "dashboard.html").read_text(encoding="utf-8")
    assert 'id="portal-766"' not in html
    assert portal_766_table(many_agencies / MARTS_DB) is None


def test_the_page_stays_small(many_agencies):
    """plotly.js (~4.8 MB) plus the embedded figures: 40 agencies × 3 periods stay far below
    100 kB of JSON."""
    html = (many_agencies / "reports" / "dashboard.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="dashboard-data">')
    data = html[start:html.index("</script>", start)]
    assert len(data.encode()) < 100_000
    assert len(html.encode()) < 5_500_000
