"""The descriptions of the published marts, written once in the dbt YAML (Vietnamese, then
English: marts.md), carried into every form a BI analyst reads: DuckDB `COMMENT`s on the
published tables and columns, the Parquet files' key-value metadata, and the publication's
data dictionary (`dictionary.md`).

They are read from dbt's manifest (the YAML as dbt parsed it, `{{ doc() }}` blocks resolved),
so the publish step needs no second copy of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

DICTIONARY = "dictionary.md"


@dataclass(frozen=True)
class MartDescription:
    description: str
    columns: dict[str, str] = field(default_factory=dict)  # column → description

    def parquet_metadata(self) -> dict[str, str]:
        """Key-value metadata of the mart's Parquet file: the table's description and the
        columns' as JSON (Parquet has no place for a column's description of its own)."""
        return {
            "description": self.description,
            "column_descriptions": json.dumps(self.columns, ensure_ascii=False, sort_keys=True),
        }


def mart_descriptions(manifest: dict, marts: list[str]) -> dict[str, MartDescription]:
    """The descriptions of ``marts`` (model names) from a dbt manifest; a mart or a column
    without one gets an empty string (tests/publish/test_descriptions.py requires them all)."""
    by_name = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] in set(marts)
    }
    result = {}
    for mart in marts:
        node = by_name.get(mart, {})
        columns = {name: _clean(column.get("description")) for name, column in node.get("columns", {}).items()}
        result[mart] = MartDescription(_clean(node.get("description")), columns)
    return result


def _clean(text: str | None) -> str:
    """One paragraph: YAML's folded text keeps line breaks that mean nothing to a reader."""
    return " ".join((text or "").split())


def dictionary_markdown(
    descriptions: dict[str, MartDescription], column_types: dict[str, list[tuple[str, str]]], schema_version: int
) -> str:
    """The data dictionary of one publication: every mart, its description, and each column
    with its type (as published) and its description."""
    lines = [
        "# Từ điển dữ liệu / Data dictionary",
        "",
        (
            f"Phiên bản lược đồ / schema version: {schema_version}. "
            "Bảng trong `tthc_marts.duckdb` (schema `marts`) và `parquet/<bảng>.parquet`; "
            "kết nối chỉ đọc (read-only)."
        ),
        "",
    ]
    for mart in sorted(column_types):
        description = descriptions.get(mart, MartDescription(""))
        lines += [f"## `{mart}`", "", description.description or "–", "", "| cột / column | kiểu / type | mô tả / description |", "|---|---|---|"]
        for name, data_type in column_types[mart]:
            text = description.columns.get(name, "").replace("|", "\\|")
            lines.append(f"| `{name}` | {data_type} | {text or '–'} |")
        lines.append("")
    return "\n".join(lines)


def sql_string(text: str) -> str:
    """A SQL string literal (the descriptions are the project's own text, quoted anyway)."""
    return "'" + text.replace("'", "''") + "'"
