"""write_reports: every report of one publication, written into ``<folder>/reports/``.

Called by the publish step through ``publish(write_extra=...)``, after the marts are written
and before the manifest and the switch, so the reports are part of the atomic publication.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from publish.reports.bieu_06_xlsx import write_bieu_06_workbooks
from publish.reports.dashboard import render_dashboard
from publish.reports.dossier_lists import (
    summarise_by_agency,
    with_receiving_desks,
    write_dossier_lists,
)
from publish.reports.marts import Marts, marts_db, read_manifest

REPORTS_DIR = "reports"
DASHBOARD = "dashboard.html"


def write_reports(
    folder: Path, manifest: dict | None = None, cache_dir: Path | None = None
) -> list[Path]:
    """Write dashboard.html, bieu_06_<period>.xlsx and the two dossier CSVs; return their paths.

    ``manifest`` is the publication's manifest (the publish step passes it, since
    publication.json is written after the reports); without it, publication.json is read.
    ``cache_dir`` keeps the Biểu 06 workbooks between publications (write_bieu_06_workbooks).
    """
    folder = Path(folder)
    manifest = read_manifest(folder, manifest)
    reports = folder / REPORTS_DIR
    reports.mkdir(parents=True, exist_ok=True)
    with Marts(marts_db(folder)) as marts:
        period = marts.headline_period()
        data_through = marts.data_through(manifest)
        # No data_through means no dossier data at all: no day can have passed a due date.
        overdue = with_receiving_desks(marts, marts.overdue_dossiers(data_through or date.min))
        inflated = with_receiving_desks(marts, marts.inflated_appointments())
        written = write_dossier_lists(overdue, inflated, reports)
        by_agency = summarise_by_agency(overdue, inflated)
        page = render_dashboard(marts, manifest, period, data_through, overdue, inflated, by_agency)
        dashboard = reports / DASHBOARD
        dashboard.write_text(page, encoding="utf-8")
        written.insert(0, dashboard)
        written += write_bieu_06_workbooks(marts, reports, cache_dir)
    return written
