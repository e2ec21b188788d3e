"""Run a suite on one loaded batch with GX's pandas datasource and an ephemeral context.

The summary keeps counts only: GX results can carry sample values
(``partial_unexpected_list``), which may be personal data; they are requested at count 0
and never copied.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import uuid

import polars as pl

from expectations.suites import DERIVED, NESTED, SUITES
from ingest.common.processes import make_main_module_safe


def _class_name(type_: str) -> str:
    # expect_column_pair_values_a_to_be_greater_than_b -> ExpectColumnPairValuesAToBeGreaterThanB
    return "".join(part[:1].upper() + part[1:] for part in type_.split("_"))


def validate_batch(table: str, frame: pl.DataFrame) -> dict:
    """Validate ``frame`` (raw rows of ``table``) against its suite; JSON-able summary."""
    if table not in SUITES:
        raise ValueError(f"no expectation suite for {table!r}")

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
    expectations = _validate_pandas(table, pdf, suite_items)
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


@functools.cache
def _context():
    """One ephemeral GX context per process (creating one costs ~0.1 s per batch)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    make_main_module_safe()  # GX imports pyspark when installed: see ingest/common/processes.py
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


BATCH_COLUMN = "_gx_batch"
UNION_ROWS = 400_000  # rows validated at once: ~0.5 GB of pandas for dossier versions


def _per_batch_item(item: dict) -> dict | None:
    """The suite item as it applies to the union of batches, keeping its per-batch meaning:
    a uniqueness becomes uniqueness within (batch, key); the column list is checked by
    polars on each batch (None)."""
    kind, kwargs = item["type"], item["kwargs"]
    if kind == "expect_table_columns_to_match_ordered_list":
        return None
    if kind == "expect_column_values_to_be_unique":
        return {"type": "expect_compound_columns_to_be_unique",
                "kwargs": {"column_list": [BATCH_COLUMN, kwargs["column"]]}}  # fmt: skip
    if kind == "expect_compound_columns_to_be_unique":
        return {"type": kind, "kwargs": {**kwargs, "column_list": [BATCH_COLUMN, *kwargs["column_list"]]}}
    if kind.startswith("expect_table_"):
        raise ValueError(f"{kind} has no per-batch form on a union")
    return item


def validate_batches(table: str, frames: dict[str, pl.DataFrame]) -> dict[str, dict]:
    """Per-batch summaries of ``frames`` (batch key -> raw rows), as ``validate_batch`` gives.

    GX costs ~0.2 s per validation whatever the size, so the batches are validated in ONE
    validation of their union, each expectation in its per-batch form (uniqueness within a
    batch, the column list on each batch). When every expectation holds on the union, it
    holds on every batch and the per-batch summaries follow (nothing unexpected anywhere).
    When anything fails, every batch is validated on its own, so that the failure names
    its batches and its counts exactly as before.
    """
    if len(frames) <= 1 or table not in SUITES:
        return {key: validate_batch(table, frame) for key, frame in frames.items()}
    # bounded memory (GX validates a pandas copy): consecutive groups of at most UNION_ROWS
    # rows (a single larger batch is a group of its own)
    out: dict[str, dict] = {}
    for group in _groups_of_bounded_rows(frames, UNION_ROWS):
        out.update(_validate_union(table, group) if len(group) > 1 else
                   {key: validate_batch(table, frame) for key, frame in group.items()})  # fmt: skip
    return out


def _groups_of_bounded_rows(frames: dict[str, pl.DataFrame], limit: int) -> list[dict[str, pl.DataFrame]]:
    groups: list[dict[str, pl.DataFrame]] = [{}]
    rows = 0
    for key, frame in frames.items():
        if groups[-1] and rows + frame.height > limit:
            groups.append({})
            rows = 0
        groups[-1][key] = frame
        rows += frame.height
    return groups


def _validate_union(table: str, frames: dict[str, pl.DataFrame]) -> dict[str, dict]:
    """validate_batches on one group: the union validated once, or each batch on failure."""
    ordered = _ordered_columns(table)
    items = SUITES[table]
    try:
        if not all(list(frame.columns) == ordered for frame in frames.values()):
            raise ValueError("column list differs")
        union = pl.concat(
            [frame.with_columns(pl.lit(key).alias(BATCH_COLUMN)) for key, frame in frames.items()],
            how="vertical",
        )
    except (ValueError, pl.exceptions.PolarsError):
        union = None
    if union is not None:
        union_items = [(item, _per_batch_item(item)) for item in items]
        suite_items = [u for _, u in union_items if u is not None]
        summary = _run_suite(table, union, suite_items)
        if summary["success"]:
            return {
                key: _all_passed(table, frame, [i for i, _ in union_items])
                for key, frame in frames.items()
            }
    return {key: validate_batch(table, frame) for key, frame in frames.items()}


def _all_passed(table: str, frame: pl.DataFrame, items: list[dict]) -> dict:
    expectations = [
        {
            "type": item["type"],
            "column": _column_of(item["type"], item["kwargs"]),
            "success": True,
            "unexpected_count": None if item["type"].startswith("expect_table_") else 0,
            "unexpected_percent": None
            if item["type"].startswith(("expect_table_", "expect_column_pair_"))
            else 0.0,
        }
        for item in items
    ]
    return {
        "table": table,
        "success": True,
        "evaluated": len(expectations),
        "successful": len(expectations),
        "rows": frame.height,
        "expectations": expectations,
    }


def _run_suite(table: str, frame: pl.DataFrame, suite_items: list[dict]) -> dict:
    """GX on ``frame`` with ``suite_items`` (derived columns added, nested ones dropped)."""

    for name, (a, b) in DERIVED.get(table, {}).items():
        frame = frame.with_columns((pl.col(a) + pl.col(b)).alias(name))
    pdf = frame.drop([c for c in NESTED if c in frame.columns]).to_pandas()
    return {"success": all(e["success"] for e in _validate_pandas(table, pdf, suite_items))}


def _validate_pandas(table: str, pdf, suite_items: list[dict]) -> list[dict]:
    """The outcome of each expectation of ``suite_items`` on the pandas frame ``pdf``
    (type, column, success, unexpected count and percent), as plain values.

    GX's objects hold the frame in reference cycles, which Python's cyclic collector frees
    only now and then: a worker validating a 10M-dossier year (62 groups of ~400k rows) grew
    by ~0.1 GiB a group, to 10 GiB (benchmarks/results.md). So only plain values leave this
    function, the data source is deleted and the cycles are collected: the frame is freed
    as soon as the caller drops it, and the worker stays under ~1 GiB.
    """
    context = _context()  # first: it makes the GX import safe
    import great_expectations as gx
    import great_expectations.expectations as gxe

    name = f"{table}_{uuid.uuid4().hex[:8]}"
    batch = result = None
    try:
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
        outcomes = []
        for r in result.results:
            config, details = r.expectation_config, r.result or {}
            outcomes.append(
                {
                    "type": config.type,
                    "column": _column_of(config.type, config.kwargs),
                    "success": bool(r.success),
                    "unexpected_count": details.get("unexpected_count"),
                    "unexpected_percent": details.get("unexpected_percent"),
                }
            )
    finally:
        batch = result = suite = None
        if name in context.data_sources.all():
            context.data_sources.delete(name)
        gc.collect()
    return outcomes


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
