"""The outcome of loading one landed file (one partition), as a loader returns it.

The orchestration keeps it, with how the load was run, as the partition's load record
(orchestration/load_records.py, ``LoadRecord``) and shows it in asset checks. It never
carries a data value: counts, reason codes, field names and file paths only, so it can be
logged and shown in the Dagster UI without leaking personal data.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Self

from ingest.raw_layer import MAX_QUARANTINE_RATE


@dataclass
class LoadResult:
    table: str  # dossier_versions | portal_766 | portal_synced | vneid_counts | reference name
    partition_key: str | None = None  # YYYY-MM-DD, YYYY-MM, None for reference files
    file: str | None = None  # path relative to the landing root
    file_sha256: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    rejected: str | None = None  # why the whole file was rejected (names the file)
    warnings: list[str] = field(default_factory=list)
    checks: dict = field(default_factory=dict)
    # the load failed for a reason that is not a verdict on the file (an unexpected error):
    # the planner tries it again at the next build
    retry: bool = False

    @property
    def ok(self) -> bool:
        return self.rejected is None

    @property
    def quarantine_rate(self) -> float:
        return self.rows_quarantined / self.rows_read if self.rows_read else 0.0

    @property
    def over_quarantine_limit(self) -> bool:
        """More than MAX_QUARANTINE_RATE of the rows quarantined: the batch holds the
        publication back until it is re-delivered (sources.md, "Severity")."""
        return self.quarantine_rate > MAX_QUARANTINE_RATE

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> Self:
        """Keys the class does not know are ignored, and missing ones take their defaults:
        records written by an earlier version still load."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    @classmethod
    def from_json(cls, text: str) -> Self:
        return cls.from_dict(json.loads(text))
