"""Everything a Dagster instance stores under DAGSTER_HOME, as text, for the secret scans.

Dagster keeps job and execution-plan snapshots zlib-compressed in the ``snapshots`` table of
history/runs.db: a byte search of the file would not find a secret in them, so each SQLite
database is read table by table and every compressed value is decompressed.
"""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path


def _as_text(value: object) -> tuple[str, bool]:
    """(text, whether it was zlib-compressed)."""
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        try:
            return zlib.decompress(raw).decode("utf-8", "replace"), True
        except zlib.error:
            return raw.decode("utf-8", "replace"), False
    return ("" if value is None else str(value)), False


def _database_texts(path: Path, where: str) -> dict[str, str]:
    texts = {}
    con = sqlite3.connect(path)  # not read-only: it must see the -wal file's pages too
    try:
        tables = [t for (t,) in con.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            values, compressed = [], 0
            for row in con.execute(f'select * from "{table}"'):
                for value in row:
                    text, was_compressed = _as_text(value)
                    values.append(text)
                    compressed += was_compressed
            texts[f"{where}:{table}"] = "\n".join(values)
            if compressed:
                texts[f"{where}:{table}:compressed values"] = str(compressed)
    finally:
        con.close()
    return texts


def dagster_home_texts(home: Path) -> dict[str, str]:
    """Every file under ``home`` (its bytes), and every value of every table of its SQLite
    databases (run storage, event logs, schedules and sensor ticks), compressed ones read."""
    texts = {}
    for path in sorted(Path(home).rglob("*")):
        if not path.is_file():
            continue
        rel = str(path.relative_to(home))
        texts[f"file:{rel}"] = path.read_bytes().decode("utf-8", "replace")
        if path.suffix == ".db":
            texts.update(_database_texts(path, f"sqlite:{rel}"))
    return texts


def secrets_found(texts: dict[str, str], secrets: set[str]) -> list[tuple[str, str]]:
    """(where, secret) for every text that contains a secret."""
    return [(where, s) for where, text in texts.items() for s in sorted(secrets) if s in text]
