"""The publication gate: which evidence blocks, which only warns."""

from orchestration.load_records import LoadRecord
from publish.gate import CheckOutcome, evaluate, unevaluated_outcome


def record(file, read, loaded, held, rejected=None):
    return LoadRecord(
        table="dossier_versions", partition_key="2024-04-01", file=file,
        rows_read=read, rows_loaded=loaded, rows_quarantined=held, rejected=rejected,
    )  # fmt: skip


def test_clean_run_publishes_and_counts_passes():
    verdict = evaluate(
        [CheckOutcome("marts/bieu_06:identities", True, True)],
        [record("a.jsonl", 100, 100, 0)],
    )
    assert verdict.may_publish and verdict.summary() == {"passed": 2, "warnings": 0, "errors": 0}


def test_failed_blocking_check_names_the_check():
    verdict = evaluate([CheckOutcome("marts/bieu_06:identities", False, True, "3 rows")], [])
    assert not verdict.may_publish
    assert verdict.errors == ["marts/bieu_06:identities: 3 rows"]


def test_failed_warning_check_still_publishes():
    verdict = evaluate([CheckOutcome("marts/reconciliation:gaps", False, False)], [])
    assert verdict.may_publish and verdict.summary()["warnings"] == 1


def test_quarantine_over_five_percent_blocks_at_or_under_only_warns():
    at_limit = evaluate([], [record("a.jsonl", 100, 95, 5)])
    assert at_limit.may_publish and at_limit.warnings == ["a.jsonl: 5 rows quarantined"]
    over = evaluate([], [record("b.jsonl", 100, 94, 6)])
    assert over.errors == ["b.jsonl: 6 of 100 rows quarantined (6.0% > 5%)"]


def test_rows_not_accounted_for_block():
    verdict = evaluate([], [record("a.jsonl", 100, 90, 5)])
    assert verdict.errors == ["a.jsonl: rows read 100 != loaded 90 + quarantined 5"]


def test_rejected_file_is_a_warning():
    verdict = evaluate([], [record("x.jsonl", 0, 0, 0, rejected="x.jsonl: not UTF-8")])
    assert verdict.may_publish
    assert verdict.warnings == ["rejected: x.jsonl: not UTF-8"]


def test_a_check_planned_but_never_reported_has_not_passed():
    # its latest run failed or was killed before the check: the asset may hold unchecked data
    outcome = unevaluated_outcome("marts/bieu_06:identities", True, "run-42", asset_materialized=True)
    assert outcome.passed is False and outcome.blocking is True
    assert "not evaluated: its latest run run-42" in outcome.details
    verdict = evaluate([outcome], [])
    assert not verdict.may_publish and verdict.errors[0].startswith("marts/bieu_06:identities: not evaluated")


def test_a_check_never_evaluated_counts_only_when_its_asset_exists():
    never = unevaluated_outcome("staging/stg_x:not_null_x", True, None, asset_materialized=True)
    assert never == CheckOutcome(
        "staging/stg_x:not_null_x", False, True, "never evaluated, though its asset was materialized; build again"
    )
    # a source that never delivered: nothing of it exists, nothing of it is published
    assert unevaluated_outcome("raw/vneid_counts:gx_suite", True, None, asset_materialized=False) is None


def test_an_unevaluated_warning_check_only_warns():
    outcome = unevaluated_outcome("raw/portal_766:total_row_matches", False, None, asset_materialized=True)
    verdict = evaluate([outcome], [])
    assert verdict.may_publish and len(verdict.warnings) == 1
