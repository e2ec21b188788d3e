"""Write a publication into its own versioned folder and switch the published link to it.

``TTHC_PUBLISH_DIR`` (default ``data/published``) is a symbolic link to one folder of
``<publish_dir>.versions/``. A new publication is written completely into a new folder, then
the link is replaced with one ``rename`` (atomic on POSIX): a BI reader opening files through
the link sees the whole previous publication or the whole new one, never a mix, and a reader
that already holds a file keeps reading the version it opened. A killed publish leaves at most
an unfinished folder that no link points to; the next publish removes it.

Publish steps are one at a time: each holds ``publish_lock`` from its gate to the switch
(the build's lock does not cover the publish asset materialized alone from the UI).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from publish.descriptions import DICTIONARY, MartDescription, dictionary_markdown, sql_string
from publish.exclusive import held_exclusively
from publish.schema_version import SCHEMA_VERSION

MARTS_SCHEMA = "marts"
MARTS_DB = "tthc_marts.duckdb"
PUBLISHED_STORAGE_VERSION = "v1.0.0"
"""The DuckDB storage format of the published file: readable by DuckDB 1.0 and later (the
drivers that BI tools bundle lag the library by a year or more). Raise it only when every
BI tool that reads the publication has a driver that reads the new format."""
MANIFEST = "publication.json"
_UNFINISHED = ".unfinished"


class PublishDirConflict(RuntimeError):
    pass


class PublishInProgress(RuntimeError):
    """Another publish step holds the publication's lock."""


def lock_path(publish_dir: Path) -> Path:
    """Beside the published link and its versions folder, outside both."""
    publish_dir = Path(publish_dir)
    return publish_dir.parent / f".{publish_dir.name}.lock"


@contextmanager
def publish_lock(publish_dir: Path) -> Iterator[None]:
    """Hold the publication's lock for a whole publish step, or fail at once.

    Failing rather than waiting: the step that waited would audit and publish the
    warehouse as the other left it, minutes later, without anyone having asked for it;
    the failed run says which lock to look at, and the next build publishes. The lock is
    released by the kernel when its process dies, so a killed publish never leaves it held.
    """
    path = lock_path(publish_dir)
    refusal = PublishInProgress(
        f"another publish step is running (lock {path}): two never run at once; "
        "this one changed nothing, publish again when it ends"
    )
    with held_exclusively(path, refusal):
        yield


@dataclass(frozen=True)
class Publication:
    version: str
    path: Path
    manifest: dict


def versions_dir(publish_dir: Path) -> Path:
    return publish_dir.parent / f"{publish_dir.name}.versions"


def new_version_name(published_at: datetime, run_id: str) -> str:
    """Sortable by time; the run id tells which Dagster run wrote it."""
    return f"{published_at.strftime('%Y%m%dT%H%M%S')}_{run_id[:8]}"


def write_marts(
    warehouse_db: Path,
    target: Path,
    marts: list[str],
    duckdb_config: dict | None = None,
    descriptions: dict[str, MartDescription] | None = None,
) -> dict[str, int]:
    """Copy the marts from the working warehouse into a fresh DuckDB file and Parquet files,
    with their descriptions (publish/descriptions.py) as COMMENTs, Parquet metadata and the
    folder's data dictionary.

    Rows are written in a fixed order (every column, ascending) so that the same marts give
    the same files, byte for byte where the formats allow.
    """
    descriptions = descriptions or {}
    target.mkdir(parents=True, exist_ok=True)
    (target / "parquet").mkdir(exist_ok=True)
    row_counts: dict[str, int] = {}
    con = duckdb.connect(config=dict(duckdb_config or {}))
    try:
        # The file format is pinned, not the writer's default: BI tools bundle older DuckDB
        # drivers, and a DuckDB upgrade here must not make a publication unreadable to them
        # (PUBLISHED_STORAGE_VERSION; tests/publish/test_storage_version.py opens one with 1.1).
        con.execute(
            f"attach '{_sql_path(target / MARTS_DB)}' as publication "
            f"(storage_version '{PUBLISHED_STORAGE_VERSION}')"
        )
        con.execute("use publication")
        con.execute(f"attach '{_sql_path(warehouse_db)}' as wh (read_only)")
        con.execute(f"create schema {MARTS_SCHEMA}")
        for mart in marts:
            _check_identifier(mart)
            con.execute(
                f"create table {MARTS_SCHEMA}.{mart} as "
                f"select * from wh.{MARTS_SCHEMA}.{mart} order by all"
            )
            described = descriptions.get(mart)
            metadata = ""
            if described is not None:
                _comment(con, mart, described)
                pairs = ", ".join(f"{key}: {sql_string(value)}" for key, value in described.parquet_metadata().items())
                metadata = f", kv_metadata {{{pairs}}}"
            parquet = target / "parquet" / f"{mart}.parquet"
            con.execute(
                f"copy {MARTS_SCHEMA}.{mart} to '{_sql_path(parquet)}' "
                f"(format parquet, compression zstd{metadata})"
            )
            row_counts[mart] = con.execute(
                f"select count(*) from {MARTS_SCHEMA}.{mart}"
            ).fetchone()[0]
        con.execute("detach wh")
        column_types: dict[str, list[tuple[str, str]]] = {}
        for mart, column, data_type in con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_catalog = 'publication' and table_schema = ? order by table_name, ordinal_position",
            [MARTS_SCHEMA],
        ).fetchall():
            column_types.setdefault(mart, []).append((column, data_type))
        (target / DICTIONARY).write_text(
            dictionary_markdown(descriptions, column_types, SCHEMA_VERSION), encoding="utf-8"
        )
        con.execute("checkpoint publication")
    finally:
        con.close()
    return row_counts


def _comment(con: duckdb.DuckDBPyConnection, mart: str, described: MartDescription) -> None:
    """The mart's and its columns' descriptions as DuckDB COMMENTs: what a BI tool shows
    beside a table and its fields (DBeaver, Superset, Metabase read duckdb_columns())."""
    con.execute(f"comment on table {MARTS_SCHEMA}.{mart} is {sql_string(described.description)}")
    published = {name for (name,) in con.execute(
        "select column_name from information_schema.columns "
        "where table_catalog = 'publication' and table_schema = ? and table_name = ?",
        [MARTS_SCHEMA, mart],
    ).fetchall()}  # fmt: skip
    for column, text in described.columns.items():
        if column in published:
            con.execute(f'comment on column {MARTS_SCHEMA}.{mart}."{column}" is {sql_string(text)}')


def import_spark_tables(
    spark_warehouse_dir: Path,
    warehouse_db: Path,
    tables: dict[str, list[str]],
    duckdb_config: dict | None = None,
) -> None:
    """Copy tables that dbt built on Spark into the working DuckDB file (TTHC_ENGINE=spark).

    The spark target writes each table as a Parquet folder
    ``<spark_warehouse_dir>/<schema>.db/<table>/``; ``tables`` maps a schema to its table
    names. Each becomes ``<schema>.<table>`` of ``warehouse_db``, replacing what was there,
    so that the rest of the publish step (data_quality, write_marts) reads the same working
    DuckDB on both engines. Spark's TIMESTAMP_NTZ columns read back as DuckDB TIMESTAMP,
    local time without a zone, as the DuckDB build writes them.
    """
    con = duckdb.connect(str(warehouse_db), config=dict(duckdb_config or {}))
    try:
        for schema, names in tables.items():
            _check_identifier(schema)
            con.execute(f"create schema if not exists {schema}")
            for name in names:
                _check_identifier(name)
                folder = Path(spark_warehouse_dir) / f"{schema}.db" / name
                if not folder.is_dir():
                    raise FileNotFoundError(f"no Spark table {schema}.{name} at {folder}")
                con.execute(
                    f"create or replace table {schema}.{name} as select * from "
                    f"read_parquet('{_sql_path(folder)}/*.parquet')"
                )
        con.execute("checkpoint")
    finally:
        con.close()


def publish(
    *,
    warehouse_db: Path,
    publish_dir: Path,
    marts: list[str],
    manifest: dict,
    run_id: str,
    published_at: datetime,
    keep: int = 30,
    write_extra=None,
    duckdb_config: dict | None = None,
    descriptions: dict[str, MartDescription] | None = None,
) -> Publication:
    """Write a complete publication beside the current one, then switch the link to it.

    ``manifest`` gets ``row_counts``, ``run_id``, ``published_at`` and ``version`` added.
    ``write_extra(folder, manifest)`` may add reports to the folder before the switch.
    """
    publish_dir = Path(publish_dir)
    _ensure_link_or_absent(publish_dir)
    versions = versions_dir(publish_dir)
    versions.mkdir(parents=True, exist_ok=True)
    _remove_unfinished(versions)

    version = new_version_name(published_at, run_id)
    folder = versions / version
    if folder.exists():  # the same run publishing twice in one second: keep both apart
        version = f"{version}_{uuid.uuid4().hex[:6]}"
        folder = versions / version
    folder.mkdir()
    (folder / _UNFINISHED).touch()

    row_counts = write_marts(warehouse_db, folder, marts, duckdb_config, descriptions)
    full_manifest = {
        "published_at": published_at.isoformat(),
        "run_id": run_id,
        "version": version,
        "schema_version": SCHEMA_VERSION,
        **manifest,
        "row_counts": row_counts,
    }
    if write_extra is not None:
        write_extra(folder, full_manifest)
    (folder / MANIFEST).write_text(
        json.dumps(full_manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    _fsync_tree(folder)
    (folder / _UNFINISHED).unlink()

    switch_link(publish_dir, folder)
    prune(publish_dir, keep)
    return Publication(version=version, path=folder, manifest=full_manifest)


def switch_link(publish_dir: Path, folder: Path) -> None:
    """Point ``publish_dir`` at ``folder`` with one atomic rename of a new link."""
    tmp_link = publish_dir.with_name(f".{publish_dir.name}.{uuid.uuid4().hex}.link")
    os.symlink(os.path.relpath(folder, publish_dir.parent), tmp_link)
    os.replace(tmp_link, publish_dir)
    _fsync_dir(publish_dir.parent)


def list_publications(publish_dir: Path) -> list[Publication]:
    """Finished publications, newest first."""
    versions = versions_dir(Path(publish_dir))
    if not versions.is_dir():
        return []
    result = []
    for folder in sorted(versions.iterdir(), reverse=True):
        manifest_file = folder / MANIFEST
        if folder.is_dir() and manifest_file.exists() and not (folder / _UNFINISHED).exists():
            manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
            result.append(Publication(folder.name, folder, manifest))
    return result


def current_version(publish_dir: Path) -> str | None:
    publish_dir = Path(publish_dir)
    if not publish_dir.is_symlink():
        return None
    return Path(os.readlink(publish_dir)).name


def rollback(publish_dir: Path, version: str) -> Publication:
    """Make an earlier publication the current one again (the link switches back to it)."""
    for publication in list_publications(publish_dir):
        if publication.version == version:
            switch_link(Path(publish_dir), publication.path)
            return publication
    raise ValueError(f"no finished publication named {version!r} in {versions_dir(publish_dir)}")


def prune(publish_dir: Path, keep: int) -> None:
    """Keep the newest ``keep`` publications, and always the current one."""
    current = current_version(publish_dir)
    for publication in list_publications(publish_dir)[keep:]:
        if publication.version != current:
            shutil.rmtree(publication.path, ignore_errors=True)


def _ensure_link_or_absent(publish_dir: Path) -> None:
    if publish_dir.is_symlink() or not publish_dir.exists():
        publish_dir.parent.mkdir(parents=True, exist_ok=True)
        return
    if publish_dir.is_dir() and not any(publish_dir.iterdir()):
        publish_dir.rmdir()  # an empty folder made by hand: replace it with the link
        return
    raise PublishDirConflict(
        f"{publish_dir} is a real folder with files in it; publications are served through a "
        f"link to {versions_dir(publish_dir)}/<version>. Move the folder away and publish again."
    )


def _remove_unfinished(versions: Path) -> None:
    # a publish killed between mkdir and the marker leaves a folder with neither the marker
    # nor publication.json: unfinished too (publish steps hold publish_lock, so none is in
    # progress)
    for folder in versions.iterdir():
        if folder.is_dir() and ((folder / _UNFINISHED).exists() or not (folder / MANIFEST).exists()):
            shutil.rmtree(folder, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _check_identifier(name: str) -> None:
    if not name.isidentifier():
        raise ValueError(f"not a mart name: {name!r}")
