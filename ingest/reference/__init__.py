"""Source 4: the reference files (sources.md §4): agencies, administrative units,
procedures, publication decisions, the working calendar and the KPI targets."""

from ingest.reference.loader import REFERENCE_RULES, load_reference, load_reference_file

__all__ = ["REFERENCE_RULES", "load_reference", "load_reference_file"]
