"""Deliveries as they really arrive (sources.md; issue 14): each untidy file is judged on its
own. A stray file never takes a good one down, a rejected re-delivery never publishes a
partial day, no file stops a build, and what is published stays text.

The files are planted by tests/faults/delivery_faults.py into the one fault build
(tests/faults/conftest.py), which is built three times: held back, held back again after a
rejected re-delivery, published.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import openpyxl
import polars as pl

from tests.faults.delivery_faults import FORMULA_NAME, MARKUP_AGENCY, MARKUP_NAME, UNKNOWN_DESK
from tests.faults.test_bad_input import count_lines, data_quality


def _record(root: Path, table: str, key: str) -> dict | None:
    path = root / "warehouse" / "loads" / table / f"{key}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _published_codes(root: Path) -> set[str]:
    con = duckdb.connect(str(root / "published" / "tthc_marts.duckdb"), read_only=True)
    try:
        return {r[0] for r in con.execute("select dossier_code from marts.dossiers").fetchall()}
    finally:
        con.close()


def test_a_stray_file_never_takes_the_valid_extract_down(fault_build):
    """The generator's misnamed copy of another day sits beside a day's own extract, and a
    name with full-width digits beside another: both days load, and their dossiers are in
    the published marts; each stray is reported on its own."""
    root, manifest = fault_build["root"], fault_build["manifest"]
    misnamed = next(f["file"] for f in manifest["faults"] if f["kind"] == "misnamed_file")
    host_day = misnamed.split("/")[1]
    stray = next(p for p, what in fault_build["planted"].items() if what == "rejected:unexpected file name")
    stray_day = stray.split("/")[1]
    published = _published_codes(root)
    rows = data_quality(root)
    for day in (host_day, stray_day):
        record = _record(root, "dossier_versions", day)
        assert record is not None and record["rejected"] is None, record
        own_file = f"dossier_system/{day}/hoso_{day.replace('-', '')}.jsonl"
        assert record["file"] == own_file
        assert record["rows_read"] == count_lines(root / "landing" / own_file) > 20
        raw = pl.read_parquet(root / "warehouse/raw/dossier_versions" / f"{day}.parquet")
        codes = set(raw.get_column("MaHoSo"))
        assert len(codes) > 20 and codes <= published, day
    for path, text in ((misnamed, "does not match its folder"), (stray, "unexpected file name")):
        hits = [r for r in rows if r["object"] == path and r["check_name"] == "rejected_file"]
        assert len(hits) == 1 and text in hits[0]["details"], (path, hits)


def test_a_rejected_redelivery_keeps_the_held_back_day_held_back(fault_build):
    """The day held back for 8% quarantined is 're-delivered' as a .gz twin (ambiguous,
    both files rejected): its partial delivery stays in force and keeps the publication
    held back; only the corrected re-delivery publishes."""
    root, over = fault_build["root"], fault_build["over_5pct"]
    held, again = fault_build["held"], fault_build["held_again"]
    for build in (held, again):
        assert build.returncode == 1, build.stdout[-2000:] + build.stderr[-2000:]
        assert "quarantine_within_5pct" in build.stderr and over["file"] in build.stderr
    # the partial day stayed in force beside the refused twin
    kept = fault_build["record_held_again"]
    assert "ambiguous delivery" in kept["rejected_redelivery"] and kept["rejected"] is None
    assert kept["rows_quarantined"] / kept["rows_read"] > 0.05
    # the held-back builds published nothing: the one publication is the third build's
    versions = [p for p in (root / "published.versions").iterdir() if (p / "publication.json").exists()]
    assert len(versions) == 1
    record = _record(root, "dossier_versions", over["file"].split("/")[1])
    assert record["rows_quarantined"] == 0 and not record.get("rejected_redelivery")


def test_files_that_once_stopped_a_build_are_rejected_and_the_rest_publishes(fault_build):
    """A truncated workbook, a CSV header with a duplicated column, a FIFO, folders dated
    after TTHC_AS_OF or before the working calendar, a gzip bomb: each is rejected with a
    message naming it, and the build published (exit 0)."""
    root, planted = fault_build["root"], fault_build["planted"]
    assert fault_build["published"].returncode == 0
    rows = [r for r in data_quality(root) if r["check_name"] == "rejected_file"]
    rejected = {p: what.removeprefix("rejected:") for p, what in planted.items() if what.startswith("rejected:")}
    assert len(rejected) == 7
    for path, text in rejected.items():
        hits = [r for r in rows if r["object"] == path or path in (r["details"] or "")]
        assert any(text in r["details"] and path in r["details"] for r in hits), (path, hits)
    bomb = next(r for r in rows if r["object"] == "dossier_system/2024-05-02/hoso_20240502.jsonl.gz")
    assert "TTHC_MAX_UNPACKED_BYTES" in bomb["details"] or "unpacks to more than" in bomb["details"]
    # nothing of them became a partition
    for key in ("9999-12-31", "2014-12-31", "2024-05-01", "2024-05-02", "2024-05-03"):
        assert not (root / "warehouse/raw/dossier_versions" / f"{key}.parquet").exists(), key


def test_an_upload_in_progress_is_neither_loaded_nor_reported(fault_build):
    root = fault_build["root"]
    assert _record(root, "dossier_versions", "2024-05-03") is None
    assert not [r for r in data_quality(root) if "2024-05-03" in r["object"] or ".swp" in r["object"]]


def test_a_line_over_16_mib_is_quarantined_and_its_file_loads(fault_build):
    root = fault_build["root"]
    path = next(p for p, what in fault_build["planted"].items() if what == "quarantine:line_too_long")
    record = _record(root, "dossier_versions", path.split("/")[1])
    assert record["quarantine_reasons"] == {"line_too_long": 1}
    assert record["rows_read"] == count_lines(root / "landing" / path)
    assert record["rows_loaded"] == record["rows_read"] - 1 > 20


def test_a_workbook_declaring_the_whole_sheet_loads_its_rows(fault_build):
    root = fault_build["root"]
    record = _record(root, "portal_766", "2024-04")
    assert record["rejected"] is None and record["rows_quarantined"] == 0
    assert record["rows_loaded"] == record["rows_read"] > 20


def test_names_from_the_data_stay_text_in_every_report(fault_build):
    """An agency named like a formula and a field named like a link: written as text in
    the Biểu 06 workbooks and the CSV drill-downs, escaped in the dashboard."""
    reports = Path(fault_build["root"]) / "published" / "reports"
    formulas, prefixed = [], 0
    for book in sorted(reports.glob("bieu_06_*.xlsx"))[:3]:
        for sheet in openpyxl.load_workbook(book).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        formulas.append((book.name, sheet.title, cell.coordinate, cell.value))
                    elif cell.value == "'" + FORMULA_NAME:
                        prefixed += 1
    assert formulas == [] and prefixed >= 1
    as_text = 0
    for table in sorted(reports.glob("*.csv")):
        with open(table, encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                assert not any(field[:1] in ("=", "+", "@", "\t", "\r") for field in row), (table, row)
                as_text += row.count("'" + FORMULA_NAME)
    assert as_text >= 1  # the agency's dossiers are in a drill-down, its name as text
    # the dashboard shows the agency named like a link, escaped: plotly draws "&lt;a href=..."
    # as the text "<a href=...>", never as a link
    page = (reports / "dashboard.html").read_text(encoding="utf-8")
    # plotly's JSON writes "/" as \u002f and quotes as \"
    text = page.replace("\\u002f", "/").replace('\\"', '"')
    # the name is in the page only escaped: as HTML text, or in the page's embedded figures as
    # JSON whose < > & are \u escapes (publish/reports/dashboard.py script_json)
    as_html = '&lt;a href="http://evil.example/z"&gt;Sở Bấm Vào&lt;/a&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;'
    as_json = MARKUP_AGENCY.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    assert as_html in text or as_json in text
    assert MARKUP_AGENCY not in text and '<a href="http://evil.example' not in text
    # and the field named like a link is stored as data, verbatim
    con = duckdb.connect(str(reports.parent / "tthc_marts.duckdb"), read_only=True)
    try:
        fields = {r[0] for r in con.execute("select distinct field_name from marts.bieu_06_fields").fetchall()}
    finally:
        con.close()
    assert MARKUP_NAME in fields


def test_an_unknown_receiving_desk_loads_its_dossier_and_warns_for_its_file(fault_build):
    """reorganisation.md: a MaDonViTiepNhan that don_vi.csv does not know never quarantines
    the row; the dossier is published with the desk as delivered, and data_quality warns
    once for the file, with the count, without holding the publication back."""
    root = fault_build["root"]
    key, what = next(
        (key, what) for key, what in fault_build["planted"].items() if what.startswith("unknown_receiving_desk:")
    )
    own, dossier = key.split("#")[0], what.removeprefix("unknown_receiving_desk:")
    con = duckdb.connect(str(root / "published" / "tthc_marts.duckdb"), read_only=True)
    try:
        desk, agency = con.execute(
            "select receiving_agency_code, agency_code from marts.dossiers where dossier_code = ?",
            [dossier],
        ).fetchone()
    finally:
        con.close()
    assert desk == UNKNOWN_DESK and agency != UNKNOWN_DESK
    hits = [r for r in data_quality(root) if r["check_name"] == "unknown_receiving_agency" and r["object"] == own]
    assert len(hits) == 1, hits
    assert hits[0]["severity"] == "warn" and hits[0]["failing_rows"] >= 1
    assert UNKNOWN_DESK in hits[0]["details"]
