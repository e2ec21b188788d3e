"""What is published is safe to open: a name from the data is never a live formula in the Biểu 06
workbook or the dossier CSVs, and never markup or a link in the dashboard.

The reports are written by write_reports from a tiny hand-made publication whose agencies carry
hostile names, so no shared build is needed."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date

import duckdb
import polars as pl
import pytest
from openpyxl import load_workbook

from publish.publication import MARTS_DB
from publish.reports import write_reports
from publish.reports.bieu_06_xlsx import FIRST_DATA_ROW, SUMMARY_SHEET
from publish.reports.marts import BIEU_06_COUNTS
from publish.reports.safe_text import neutralise_cell, neutralise_frame, plot_text

HTML_NAME = 'Sở <a href="https://evil.example">X</a> & Co'
FORMULA_NAMES = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tcmd"]
AGENCIES = {f"000.00.{n:02d}.H04": name for n, name in enumerate([*FORMULA_NAMES, HTML_NAME], start=1)}
DISTRICT = ("213", "@Huyện <b>Lục</b> Nam")
FIELD_NAME = "=1+2"
HOSTILE_DOSSIER = "=cmd|' /C calc'!A0"
HOSTILE_PROCEDURE = "-1.000"
MANIFEST = {"data_through": "2024-04-22", "published_at": "2024-04-23T02:00:00+07:00", "version": "t1"}


# --- the cell function -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("Sở Tư pháp", "Sở Tư pháp"),
        ("a=b", "a=b"),
        ("", ""),
        ("'=already", "'=already"),
        (-2, -2),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_neutralise_frame_prefixes_text_columns_only():
    frame = pl.DataFrame(
        {
            "name": ["=1+1", "Sở Y tế", None, "\rx"],
            "code": ["-3", "000.00.01.H04", "@a", "+"],
            "days_over": [-3, 4, 0, 1],
            "due_date": [date(2024, 4, 1)] * 4,
        }
    )
    result = neutralise_frame(frame)
    assert result["name"].to_list() == ["'=1+1", "Sở Y tế", None, "'\rx"]
    assert result["code"].to_list() == ["'-3", "000.00.01.H04", "'@a", "'+"]
    assert result["days_over"].to_list() == [-3, 4, 0, 1]
    assert result.schema == frame.schema
    assert [neutralise_cell(v) for v in frame["name"].to_list()] == result["name"].to_list()


def test_plot_text_escapes_markup():
    assert plot_text(HTML_NAME) == 'Sở &lt;a href="https://evil.example"&gt;X&lt;/a&gt; &amp; Co'
    assert plot_text("&deg;") == "&amp;deg;"
    assert plot_text(0.5) == 0.5


# --- a hand-made publication with hostile names ------------------------------------------------

def make_publication(folder) -> None:
    """bieu_06 (one year), its fields, kpi_values, dossiers, vneid_coverage, reconciliation and
    publication_timeliness: every mart the reports read, with a few rows each."""
    folder.mkdir(parents=True)
    counts = dict.fromkeys(BIEU_06_COUNTS, 0) | {
        "total": 10, "received_online": 6, "received_in_person_postal": 4,
        "resolved": 8, "resolved_on_time": 8, "in_progress": 2, "in_progress_overdue": 1,
    }
    period = ("year", "2024", date(2024, 1, 1), date(2024, 12, 31))
    units = [("agency", code, name) for code, name in AGENCIES.items()]
    units += [("district", DISTRICT[0], DISTRICT[1]), ("province", "24", "Tỉnh Bắc Giang")]
    bieu_06 = pl.DataFrame(
        [dict(zip(("period_type", "period", "period_start", "period_end"), period))
         | {"level": level, "unit_code": code, "unit_name": name} | counts for level, code, name in units]
    )
    fields = bieu_06.with_columns(field_code=pl.lit("F1"), field_name=pl.lit(FIELD_NAME))
    kpis = []
    for n, (level, code, name) in enumerate(units):
        for kpi in ("on_time_rate", "online_rate", "online_payment_rate", "satisfaction_766"):
            kpis.append({"level": level, "unit_code": code, "unit_name": name, "period_type": "year",
                         "period": "2024", "kpi_code": kpi, "numerator": 80 + n, "denominator": 100,
                         "value": (80 + n) / 100, "target": 0.9, "meets_target": False})
    for month in ("2024-03", "2024-04"):
        kpis.append({"level": "province", "unit_code": "24", "unit_name": "Tỉnh Bắc Giang", "period_type": "month",
                     "period": month, "kpi_code": "on_time_rate", "numerator": 9, "denominator": 10,
                     "value": 0.9, "target": 0.95, "meets_target": False})
    agency_codes = list(AGENCIES)
    dossiers = pl.DataFrame(
        {
            "dossier_code": [HOSTILE_DOSSIER, *[f"HS-{n}" for n in range(1, len(agency_codes))]],
            "procedure_code": [HOSTILE_PROCEDURE] * len(agency_codes),
            "agency_code": agency_codes,
            "district_code": [None, *[DISTRICT[0]] * (len(agency_codes) - 1)],
            "received_at": [date(2024, 4, 1)] * len(agency_codes),
            "submitted_at": [date(2024, 4, 1)] * len(agency_codes),
            "due_at": [date(2024, 4, 10)] * len(agency_codes),
            "ended_at": [None] * len(agency_codes),
            "status": [2] * len(agency_codes),
            "statutory_due_date": [date(2024, 4, 5)] * len(agency_codes),
            "is_appointment_inflated": [True] * len(agency_codes),
        },
        schema_overrides={"received_at": pl.Datetime, "submitted_at": pl.Datetime, "due_at": pl.Datetime,
                          "ended_at": pl.Datetime, "district_code": pl.String},
    )
    vneid = pl.DataFrame(
        [{"level": level, "unit_code": code, "unit_name": name, "snapshot_date": date(2024, 4, 15),
          "eligible": 100, "level_1": 30, "level_2": 50, "without_account": 20, "coverage_rate": 0.8,
          "activation_rate": 0.7, "communes_missing": 0}
         for level, code, name in units if level != "agency"]
    )
    reconciliation = pl.DataFrame(
        [{"period": "2024-04", "unit_code": code, "unit_name": name, "measure": measure,
          "system_value": 40, "portal_value": 43, "diff": -3, "status": "mismatch"}
         for code, name in AGENCIES.items() for measure in ("received", "<i>measure</i>")]
    )
    timeliness = pl.DataFrame(
        [{"year": 2024, "agency_code": code, "agency_name": name, "procedures_published": 10,
          "published_on_time": 9, "publication_on_time_rate": 0.9, "made_public_due": 10,
          "made_public_on_time": 8, "made_public_on_time_rate": 0.8}
         for code, name in AGENCIES.items()]
    )
    with duckdb.connect(str(folder / MARTS_DB)) as con:
        con.execute("create schema marts")
        for table, frame in (
            ("bieu_06", bieu_06), ("bieu_06_fields", fields), ("kpi_values", pl.DataFrame(kpis)),
            ("dossiers", dossiers), ("vneid_coverage", vneid), ("reconciliation", reconciliation),
            ("publication_timeliness", timeliness),
        ):
            con.register("frame", frame)
            con.execute(f"create table marts.{table} as select * from frame")
            con.unregister("frame")


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "publication"
    make_publication(folder)
    write_reports(folder, MANIFEST)
    return folder / "reports"


# --- Biểu 06 -----------------------------------------------------------------------------------

def test_workbook_has_no_formula_and_prefixes_hostile_names(hostile_reports):
    path = hostile_reports / "bieu_06_2024.xlsx"
    workbook = load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    text = {cell.value for cell in cells if isinstance(cell.value, str)}
    for name in [*FORMULA_NAMES, DISTRICT[1]]:
        assert "'" + name in text, name
        assert name not in text, name
    # a field is written with its code (bieu_06_xlsx.field_label): still text, still prefixed
    assert "'" + FIELD_NAME + " (mã F1)" in text
    assert not any(value.startswith(FIELD_NAME) for value in text)
    assert HTML_NAME in text  # not a formula: written as it is
    assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in text)
    summary = workbook[SUMMARY_SHEET]
    first_agency = next(
        row for row in summary.iter_rows(min_row=FIRST_DATA_ROW, values_only=True) if row[1] == "'" + FORMULA_NAMES[0]
    )
    assert list(first_agency[2:5]) == [10, 6, 4]  # the counts stay numbers
    agency_sheet = workbook["000.00.01.H04"]
    assert agency_sheet["A6"].value == "'" + FORMULA_NAMES[0] + " (000.00.01.H04)"
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)


# --- dossier CSVs ------------------------------------------------------------------------------

def test_dossier_csvs_prefix_hostile_fields(hostile_reports):
    for name in ("overdue_dossiers.csv", "inflated_appointments.csv"):
        with open(hostile_reports / name, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == len(AGENCIES), name
        names = {row["agency_code"]: row["agency_name"] for row in rows}
        assert names == {code: neutralise_cell(value) for code, value in AGENCIES.items()}
        assert names["000.00.01.H04"] == '\'=HYPERLINK("http://x","y")'
        assert names["000.00.05.H04"] == "'\tcmd"
        assert {row["procedure_code"] for row in rows} == {"'" + HOSTILE_PROCEDURE}
        assert "'" + HOSTILE_DOSSIER in {row["dossier_code"] for row in rows}
        assert {row["days_over"] for row in rows} <= {"12", "5"}  # numbers stay numbers
        for row in rows:
            assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values()), row


# --- dashboard ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_page(hostile_reports, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.route(re.compile(r"^(https?|wss?)://"), lambda route: (problems.append(route.request.url), route.abort()))
    page.goto((hostile_reports / "dashboard.html").as_uri(), wait_until="load", timeout=60_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.chart')].every(c => c.querySelector('svg.main-svg'))",
        timeout=30_000,
    )
    yield page, problems
    page.close()


# Any <a> (HTML or SVG, href or xlink:href) whose attributes mention the hostile host.
HOSTILE_LINKS_JS = """() => [...document.getElementsByTagNameNS('*', 'a')]
    .filter(a => [...a.attributes].some(attr => attr.value.includes('evil'))).length"""


def test_dashboard_shows_names_as_text_never_links(hostile_page, artifacts):
    page, problems = hostile_page
    assert problems == []
    assert page.locator('a[href*="evil"]').count() == 0
    assert page.evaluate(HOSTILE_LINKS_JS) == 0
    assert page.locator("svg b, svg i").count() == 0
    assert HTML_NAME in page.inner_text("body")
    # plotly's SVG: the agency axes (rankings, reconciliation, publication) and the district axes
    for chart in ("chart-agency-on_time_rate", "chart-reconciliation", "chart-publication-timeliness"):
        ticks = page.eval_on_selector_all(
            f'div[data-chart="{chart}"] g.ytick text', "els => els.map(e => e.textContent)"
        )
        assert HTML_NAME in ticks, (chart, ticks)
    district_ticks = page.eval_on_selector_all(
        'div[data-chart="chart-district-rates"] g.xtick text', "els => els.map(e => e.textContent)"
    )
    assert district_ticks == [DISTRICT[1]]
    measure_ticks = page.eval_on_selector_all(
        'div[data-chart="chart-reconciliation"] g.xtick text', "els => els.map(e => e.textContent)"
    )
    assert "<i>measure</i>" in measure_ticks
    # the hover label of the hostile agency's bar
    chart = page.locator('div[data-chart="chart-agency-on_time_rate"]')
    chart.scroll_into_view_if_needed()
    box = chart.locator("g.point").nth(len(AGENCIES) - 1).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector('div[data-chart="chart-agency-on_time_rate"] g.hovertext', timeout=5_000)
    hover = chart.locator("g.hovertext text").first.text_content()
    assert hover == f"{HTML_NAME}: 85,00% (85/100)"
    assert page.evaluate(HOSTILE_LINKS_JS) == 0
    page.mouse.move(0, 0)
    page.screenshot(path=str(artifacts / "dashboard_hostile_names.png"), full_page=True)


def test_an_unchanged_workbook_is_a_hard_link_to_the_cached_one(tmp_path):
    """A night that changes no figure of a period reuses its workbook: the same bytes, one
    file on disk shared by the cache and the publications (no copy)."""
    first, second = tmp_path / "v1" / "publication", tmp_path / "v2" / "publication"
    cache = tmp_path / "cache"
    for folder in (first, second):
        make_publication(folder)
        write_reports(folder, MANIFEST, cache_dir=cache)
    old, new = (folder / "reports" / "bieu_06_2024.xlsx" for folder in (first, second))
    assert new.read_bytes() == old.read_bytes()
    assert new.stat().st_ino in {cached.stat().st_ino for cached in cache.glob("*.xlsx")}
    assert new.stat().st_nlink >= 2
