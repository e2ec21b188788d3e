"""The blocking dbt test successor_cycle (reorganisation.md) on hand-made don_vi rows: a chain
of successors that comes back to a code it passed fails, naming the codes; a chain without a
cycle passes. Only the agencies' staging view is built: the test reads nothing else, and the
view reads the raw Parquet afresh, so one build serves every don_vi written after it."""

from __future__ import annotations

import duckdb
import pytest

from tests.figures.conftest import run_dbt
from tests.figures.raw_fixture import (
    CEASED,
    HUYEN_A,
    HUYEN_B,
    PROV,
    XA,
    write_raw_layer,
    write_reference,
)

A, B, C = PROV, HUYEN_A, HUYEN_B


def agency(code, successor=None, valid_from="2008-01-01", valid_to=None):
    return (code, f"Đơn vị {code}", "tinh", "24", None, valid_from, valid_to, successor)


@pytest.fixture(scope="module")
def agencies_view(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("successors").resolve()
    write_raw_layer(warehouse)
    built = run_dbt(warehouse, "run", "--select", "stg_reference__agencies")
    assert built.returncode == 0, built.output[-4000:]
    return warehouse


def failing_rows(warehouse) -> set[tuple]:
    """The test's rows, from the SQL dbt compiled for it."""
    sql = next((warehouse / "dbt_target" / "compiled").rglob("successor_cycle.sql")).read_text()
    with duckdb.connect(str(warehouse / "tthc.duckdb"), read_only=True) as con:
        return set(con.execute(sql).fetchall())


def test_a_cycle_fails_and_names_its_codes(agencies_view):
    # A → B → A, and XA → A only leads into it (not named); A ended with B as successor
    write_reference(agencies_view, "don_vi", [
        agency(A, successor=B, valid_to="2025-02-28"),
        agency(A, valid_from="2025-03-01"),  # a later row of A without a successor
        agency(B, successor=A),
        agency(XA, successor=A),
        agency(C),
    ])  # fmt: skip
    result = run_dbt(agencies_view, "test", "--select", "successor_cycle")
    assert result.returncode != 0
    assert "FAIL 2 successor_cycle" in " ".join(result.output.split()), result.output[-3000:]
    assert failing_rows(agencies_view) == {(A, B), (B, A)}


def test_a_chain_without_cycle_passes(agencies_view):
    # A → B → C, and CEASED → C: two chains ending at C
    write_reference(agencies_view, "don_vi", [
        agency(A, successor=B, valid_to="2025-02-28"),
        agency(B, successor=C, valid_to="2025-06-30"),
        agency(C),
        agency(CEASED, successor=C, valid_to="2024-03-31"),
    ])  # fmt: skip
    result = run_dbt(agencies_view, "test", "--select", "successor_cycle")
    assert result.returncode == 0, result.output[-3000:]
    assert "PASS successor_cycle" in " ".join(result.output.split())
    assert failing_rows(agencies_view) == set()


def test_a_successor_to_itself_is_a_cycle(agencies_view):
    write_reference(agencies_view, "don_vi", [agency(A, successor=A), agency(B)])
    result = run_dbt(agencies_view, "test", "--select", "successor_cycle")
    assert result.returncode != 0
    assert failing_rows(agencies_view) == {(A, A)}
