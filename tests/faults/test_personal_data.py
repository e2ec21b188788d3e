"""Personal data stays in the landing zone and the quarantine: nothing published, no report,
no log and no Dagster event carries an applicant's name, citizen ID, phone or e-mail, nor
the PII key; applicant_key follows TTHC_PII_KEY (operations.md, "Guarantees")."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import duckdb
import polars as pl

from ingest.common.files import FileRejected, read_bytes
from tests.faults.conftest import dagster_runs

PII_FIELDS = ("ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email")


def landing_pii(landing: Path) -> set[str]:
    values: set[str] = set()
    for path in sorted((landing / "dossier_system").rglob("hoso_*.jsonl*")):
        try:
            text = read_bytes(path).decode("utf-8")
        except (FileRejected, UnicodeDecodeError):
            continue  # rejected files (truncated gzip, not UTF-8): read below as bytes
        for line in text.splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            for field in PII_FIELDS:
                value = row.get(field) if isinstance(row, dict) else None
                if isinstance(value, str) and len(value) >= 6:
                    values.add(value)
    return values


def published_texts(publish_dir: Path) -> dict[str, str]:
    """Every text a BI user can get from the publication, by where it came from."""
    folder = publish_dir.resolve()
    texts: dict[str, str] = {}
    con = duckdb.connect(str(folder / "tthc_marts.duckdb"), read_only=True)
    try:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            values = con.execute(f'select distinct "{column}" from {schema}.{table}').fetchall()
            texts[f"duckdb:{table}.{column}"] = "\n".join(str(v[0]) for v in values)
    finally:
        con.close()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix == ".duckdb":
            continue
        rel = str(path.relative_to(folder))
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path)
            texts[rel] = "\n".join(
                "\n".join(str(v) for v in frame[c].unique().to_list()) for c in frame.columns
            )
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts[rel] = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        else:
            texts[rel] = path.read_bytes().decode("utf-8", "replace")
    return texts


TOKEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\w+")


def find_leaks(texts: dict[str, str], secrets: set[str]) -> list[tuple[str, str]]:
    """Where a personal value appears as whole words (a name, an ID, a phone, an e-mail).

    Linear in the text: the texts are cut into words once, and each secret of n words is
    looked up among the text's n-word sequences. A substring test of every secret against
    every text took minutes, and flagged digits inside a hex hash as a citizen ID.
    """
    by_words: dict[int, set[str]] = {}
    for secret in secrets:
        words = tuple(TOKEN.findall(secret))
        if words:
            by_words.setdefault(len(words), set()).add(" ".join(words))
    leaks = []
    for where, text in texts.items():
        tokens = TOKEN.findall(text)
        for n, wanted in by_words.items():
            grams = {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}
            leaks.extend((where, secret) for secret in sorted(wanted & grams))
    return leaks


def test_no_personal_value_is_published_logged_or_in_dagster_events(fault_build):
    root, env = fault_build["root"], fault_build["env"]
    pii = landing_pii(root / "landing")
    assert len(pii) > 3000  # names, IDs, phones, e-mails of ~3,000 dossiers
    secrets = pii | {env["TTHC_PII_KEY"]}

    texts = published_texts(root / "published")
    assert any(k.endswith("dashboard.html") for k in texts) and any(k.endswith(".xlsx") for k in texts)
    assert any(k.endswith(".csv") for k in texts) and "publication.json" in texts
    assert len([k for k in texts if k.startswith("duckdb:")]) > 20

    # logs: the builds' stdout/stderr and the log files of the warehouse
    for name, result in (("held", fault_build["held"]), ("published", fault_build["published"])):
        texts[f"{name}:stdout"] = result.stdout
        texts[f"{name}:stderr"] = result.stderr
    logs = sorted((root / "warehouse" / "logs").rglob("*"))
    logs += [root / "warehouse" / "dbt_target" / "dbt.log"]
    for path in logs:
        if path.is_file():
            texts[str(path)] = path.read_bytes().decode("utf-8", "replace")
    assert any("build_" in k for k in texts)

    # the Dagster event log of every run of the builds (metadata, check results, messages)
    runs = dagster_runs(env)
    assert len(runs) >= 6
    for run, events in runs:
        texts[f"run:{run.run_id}:tags"] = json.dumps(run.tags, default=str)
        texts[f"run:{run.run_id}:events"] = "\n".join(repr(e) for e in events)
    assert sum(len(events) for _, events in runs) > 100

    assert find_leaks(texts, secrets) == []

    # and the quarantine (restricted zone) does keep them: the scan would have found them
    held = pl.concat(
        [pl.read_parquet(p) for p in (root / "warehouse" / "quarantine" / "dossier_versions").glob("*.parquet")],
        how="diagonal_relaxed",
    )
    assert find_leaks({"quarantine": "\n".join(held["raw_text"].to_list())}, pii)


# That applicant_key follows TTHC_PII_KEY (and that a new key reloads every day, never a mix
# of two keys in the raw layer) is proved without a build, in seconds:
# tests/ingest/test_ingest_dossier.py::test_applicant_key_follows_the_pii_key and
# tests/orchestration/test_sensor_and_plan.py::test_a_new_pii_key_reloads_every_day.
