"""Source 3: the weekly VNeID e-identification counts of the provincial police (sources.md §3)."""

from ingest.vneid.loader import VNEID_RULE_ORDER, load_vneid_snapshot

__all__ = ["VNEID_RULE_ORDER", "load_vneid_snapshot"]
