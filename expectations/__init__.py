"""Great Expectations suites of the raw layer: one per landed table, checked on every
loaded batch (a pass means the door rules of sources.md held). Kept as data in
``suites.py``; run with ``validate_batch``. great_expectations is imported only inside
``validate_batch`` (importing it costs ~7 s and ~280 MB)."""

from expectations.suites import SUITES, suite_as_json
from expectations.validate import validate_batch, validate_batches

__all__ = ["SUITES", "suite_as_json", "validate_batch", "validate_batches"]
