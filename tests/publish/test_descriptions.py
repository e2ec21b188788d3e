"""What a BI analyst reads besides the numbers (marts.md, issue 18): every published table and
column described (Vietnamese, then English) as a DuckDB COMMENT, in the Parquet file's
metadata and in the publication's data dictionary; `schema_version` in publication.json,
raised on any change of a published column. Read from the sample build's publication, through
a read-only connection as BI connects."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from publish.descriptions import DICTIONARY
from publish.publication import MANIFEST, MARTS_DB
from publish.schema_version import SCHEMA_FINGERPRINT, SCHEMA_VERSION, schema_fingerprint

VIETNAMESE = re.compile(r"[^\x00-\x7f]")  # Vietnamese is written with diacritics


@pytest.fixture(scope="module")
def publication(sample_build):
    root, _, _ = sample_build
    folder = (root / "published").resolve()
    con = duckdb.connect(str(folder / MARTS_DB), read_only=True)
    yield folder, con
    con.close()


def bilingual(text: str | None) -> bool:
    """Vietnamese first, then ' — ' and the English."""
    if not text or " — " not in text:
        return False
    vietnamese, english = text.split(" — ", 1)
    return bool(VIETNAMESE.search(vietnamese)) and bool(english.strip())


def test_every_published_table_and_column_carries_its_description(publication):
    _, con = publication
    tables = con.execute(
        "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
    ).fetchall()
    assert len(tables) >= 10
    undescribed = [name for name, comment in tables if not bilingual(comment)]
    assert undescribed == []
    columns = con.execute(
        "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
    ).fetchall()
    undescribed = [f"{table}.{column}" for table, column, comment in columns if not bilingual(comment)]
    assert undescribed == [], f"{len(undescribed)} of {len(columns)} columns: {undescribed[:20]}"


def test_the_parquet_files_carry_the_same_descriptions(publication):
    folder, con = publication
    for (mart,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall():
        metadata = {
            key.decode(): value.decode()
            for key, value in duckdb.sql(
                f"select key, value from parquet_kv_metadata('{folder / 'parquet' / f'{mart}.parquet'}')"
            ).fetchall()
        }
        comment = con.execute(
            "select comment from duckdb_tables() where schema_name = 'marts' and table_name = ?", [mart]
        ).fetchone()[0]
        assert metadata["description"] == comment
        columns = json.loads(metadata["column_descriptions"])
        for column, text in con.execute(
            "select column_name, comment from duckdb_columns() where schema_name = 'marts' and table_name = ?", [mart]
        ).fetchall():
            assert columns.get(column) == text, (mart, column)


def test_the_dictionary_lists_every_mart_and_column(publication):
    folder, con = publication
    text = (folder / DICTIONARY).read_text(encoding="utf-8")
    assert f"schema version: {SCHEMA_VERSION}" in text
    for table, column, data_type in con.execute(
        "select table_name, column_name, data_type from duckdb_columns() where schema_name = 'marts'"
    ).fetchall():
        assert f"## `{table}`" in text
        assert f"| `{column}` | {data_type} |" in text


def test_the_schema_version_follows_the_published_columns(publication):
    folder, con = publication
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["schema_version"] == SCHEMA_VERSION
    columns = con.execute(
        "select table_name, column_name, data_type from duckdb_columns() where schema_name = 'marts'"
    ).fetchall()
    fingerprint = schema_fingerprint(columns)
    assert fingerprint == SCHEMA_FINGERPRINT, (
        "the published columns changed: raise SCHEMA_VERSION in publish/schema_version.py and set "
        f"SCHEMA_FINGERPRINT = {fingerprint!r}"
    )
