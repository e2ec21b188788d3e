"""Source 1: the provincial dossier system's daily change extracts (sources.md §1)."""

from ingest.dossier_system.loader import (
    DOSSIER_RULE_ORDER,
    load_dossier_day,
    read_dossier_batches,
    validate_lines,
)

__all__ = ["DOSSIER_RULE_ORDER", "load_dossier_day", "read_dossier_batches", "validate_lines"]
