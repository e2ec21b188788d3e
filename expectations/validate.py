"""Run a suite on one loaded batch with GX's pandas datasource and an ephemeral context.

The summary keeps counts only: GX results can carry sample values
(``partial_unexpected_list``), which may be personal data; they are requested at count 0
and never copied.
"""

from __future__ import annotations

import logging
import os
import uuid

import polars as pl

from expectations.suites import DERIVED, NESTED, SUITES


def _class_name(type_: str) -> str:
    # expect_column_pair_values_a_to_be_greater_than_b -> ExpectColumnPairValuesAToBeGreaterThanB
    return "".join(part[:1].upper() + part[1:] for part in type_.split("_"))


def validate_batch(table: str, frame: pl.DataFrame) -> dict:
    """Validate ``frame`` (raw rows of ``table``) against its suite; JSON-able summary."""
    if table not in SUITES:
        raise ValueError(f"no expectation suite for {table!r}")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx  # heavy: only when a batch is validated
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # Nested columns cannot go through pandas/GX usefully and derived columns are added for
    # the suite: with either, the ordered column list is checked here, on the batch as loaded.
    nested = [c for c in NESTED if c in frame.columns]
    check_columns_here = bool(nested or DERIVED.get(table))
    columns_ok = list(frame.columns) == _ordered_columns(table)
    for name, (a, b) in DERIVED.get(table, {}).items():
        frame = frame.with_columns((pl.col(a) + pl.col(b)).alias(name))
    pdf = frame.drop(nested).to_pandas()
    suite_items = SUITES[table]
    if check_columns_here:
        suite_items = [
            e for e in suite_items if e["type"] != "expect_table_columns_to_match_ordered_list"
        ]
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    name = f"{table}_{uuid.uuid4().hex[:8]}"
    batch = (
        context.data_sources.add_pandas(name)
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(name)
        .get_batch(batch_parameters={"dataframe": pdf})
    )
    suite = gx.ExpectationSuite(name=f"raw_{table}")
    for item in suite_items:
        suite.add_expectation(getattr(gxe, _class_name(item["type"]))(**item["kwargs"]))
    result = batch.validate(
        suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 0}
    )
    expectations = []
    for r in result.results:
        config = r.expectation_config
        details = r.result or {}
        expectations.append(
            {
                "type": config.type,
                "column": _column_of(config.type, config.kwargs),
                "success": bool(r.success),
                "unexpected_count": details.get("unexpected_count"),
                "unexpected_percent": details.get("unexpected_percent"),
            }
        )
    if check_columns_here:
        expectations.insert(
            0,
            {
                "type": "expect_table_columns_to_match_ordered_list",
                "column": None,
                "success": columns_ok,
                "unexpected_count": None,
                "unexpected_percent": None,
            },
        )
    successful = sum(e["success"] for e in expectations)
    return {
        "table": table,
        "success": successful == len(expectations),
        "evaluated": len(expectations),
        "successful": successful,
        "rows": frame.height,
        "expectations": expectations,
    }


def _ordered_columns(table: str) -> list[str]:
    for item in SUITES[table]:
        if item["type"] == "expect_table_columns_to_match_ordered_list":
            return item["kwargs"]["column_list"]
    return []


def _column_of(type_: str, kwargs: dict):
    if "column" in kwargs:
        return kwargs["column"]
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    if type_.startswith(("expect_compound", "expect_multicolumn")):
        return kwargs.get("column_list")
    return None  # table-level expectation
