"""Source 2: the national public service portal (sources.md §2): the monthly 766 report
(xlsx or csv) and the monthly list of synced dossiers."""

from ingest.dvc_portal.numbers import parse_vietnamese_number, vietnamese_number
from ingest.dvc_portal.report_766 import load_report_766, read_report_766
from ingest.dvc_portal.synced_list import load_synced_list

__all__ = [
    "load_report_766",
    "load_synced_list",
    "parse_vietnamese_number",
    "read_report_766",
    "vietnamese_number",
]
