"""Say in one list what stopped a run: failed blocking checks first, then failed steps."""

from __future__ import annotations

import dagster as dg


def describe_failures(result: dg.ExecuteInProcessResult) -> list[str]:
    failures = [
        f"check {evaluation.asset_key.to_user_string()}:{evaluation.check_name} failed"
        + (f" ({evaluation.description})" if evaluation.description else "")
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    ]
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:  # the user's exception, not
            error = error.cause  # Dagster's wrapper around it
        message = error.message.strip() if error else "failed"
        # dg.Failure raised by the publish gate: its description is the useful part
        user_failure = event.step_failure_data.user_failure_data
        if user_failure is not None and user_failure.description:
            message = user_failure.description
        failures.append(f"step {event.step_key}: {message}")
    return failures
