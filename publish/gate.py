"""The publication gate: the marts go out only when no blocking check failed.

Two kinds of evidence are audited, because neither alone is enough:
- the LATEST evaluation of every asset check of every asset the publication depends on
  (dbt tests, Biểu 06 identities, the raw assets' door checks), whatever run made it,
  read from Dagster's event log. Not only the publishing run's: the publish asset can be
  materialized alone from the UI after a build that a failed test held back, and
  dagster-dbt does not reliably stop a downstream Python asset on a failed test (dagster
  issues #25112, #18472), so the gate reads the results itself;
- the load records of every raw partition currently in the warehouse: a batch loaded by an
  earlier run with more than 5% of its rows quarantined still holds the publication back
  until the file is re-delivered (sources.md, "Severity").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.raw_layer import MAX_QUARANTINE_RATE

if TYPE_CHECKING:  # annotations only: orchestration/ imports publish/, never the reverse
    from orchestration.load_records import LoadRecord


@dataclass(frozen=True)
class CheckOutcome:
    name: str  # e.g. "marts/bieu_06:bieu_06_identities"
    passed: bool
    blocking: bool  # error severity: blocks publication
    details: str = ""
    failing_rows: int | None = None


@dataclass
class GateVerdict:
    passed: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def may_publish(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        return {"passed": self.passed, "warnings": len(self.warnings), "errors": len(self.errors)}


def unevaluated_outcome(
    name: str, blocking: bool, pending_run_id: str | None, asset_materialized: bool
) -> CheckOutcome | None:
    """The outcome of a check with no result to read, or None when it does not count.

    ``pending_run_id``: the run of its latest execution, planned but never reported (the
    run is still going, failed before the check, or was killed); None when it never ran.
    Such a check has not passed: its asset may hold data no check has seen. A check that
    never ran on an asset that was never materialized does not count: nothing of that
    asset exists to publish (a source that never delivered).
    """
    if pending_run_id is not None:
        return CheckOutcome(
            name, False, blocking,
            f"not evaluated: its latest run {pending_run_id} planned it and has not reported "
            "it (still running, failed or killed before the check); build again",
        )  # fmt: skip
    if asset_materialized:
        return CheckOutcome(
            name, False, blocking, "never evaluated, though its asset was materialized; build again"
        )
    return None


def batch_problems(record: LoadRecord) -> list[tuple[bool, str]]:
    """(blocking, message) for one load record."""
    problems: list[tuple[bool, str]] = []
    where = record.where
    if record.rejected:
        problems.append((False, f"rejected: {record.rejected}"))
        return problems
    if record.rejected_redelivery:
        # the last accepted delivery stays in force, and so does its verdict below
        problems.append((False, f"rejected: {record.rejected_redelivery}"))
    read, loaded, held = record.rows_read, record.rows_loaded, record.rows_quarantined
    if read != loaded + held:
        problems.append((True, f"{where}: rows read {read} != loaded {loaded} + quarantined {held}"))
    if record.over_quarantine_limit:
        share = f"{record.quarantine_rate:.1%} > {MAX_QUARANTINE_RATE:.0%}"
        problems.append((True, f"{where}: {held} of {read} rows quarantined ({share})"))
    elif held:
        problems.append((False, f"{where}: {held} rows quarantined"))
    return problems


def evaluate(checks: list[CheckOutcome], load_records: list[LoadRecord]) -> GateVerdict:
    verdict = GateVerdict()
    for check in checks:
        if check.passed:
            verdict.passed += 1
        elif check.blocking:
            verdict.errors.append(f"{check.name}: {check.details}".rstrip(": "))
        else:
            verdict.warnings.append(f"{check.name}: {check.details}".rstrip(": "))
    for record in load_records:
        problems = batch_problems(record)
        if not problems:
            verdict.passed += 1
        for blocking, message in problems:
            (verdict.errors if blocking else verdict.warnings).append(message)
    return verdict
