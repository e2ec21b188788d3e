"""Personal data stays in the landing zone and the quarantine: nothing published, no report,
no log and no Dagster event carries an applicant's name, citizen ID, phone or e-mail, nor
the PII key; applicant_key follows TTHC_PII_KEY; the quarantine and the Dagster instance are
private (operations.md, "Configuration" and "Guarantees")."""

from __future__ import annotations

import json
import re
import stat
import zipfile
from pathlib import Path

import duckdb
import polars as pl

from ingest.common.files import FileRejected, read_bytes
from tests.dagster_home_scan import dagster_home_texts, secrets_found
from tests.faults.conftest import dagster_runs

PII_FIELDS = ("ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email")


def landing_pii(landing: Path) -> set[str]:
    from tests.faults.delivery_faults import MAX_UNPACKED

    values: set[str] = set()
    for path in sorted((landing / "dossier_system").rglob("hoso_*.jsonl*")):
        try:
            # the build's own limit: the planted gzip bomb is refused here too
            text = read_bytes(path, max_unpacked_bytes=MAX_UNPACKED).decode("utf-8")
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


def test_the_pii_key_is_nowhere_in_the_dagster_instance(sample_build):
    """The runs of a build hashed every citizen ID with TTHC_PII_KEY, and no file under
    DAGSTER_HOME holds it: not the run snapshots (zlib-compressed in history/runs.db), the
    runs' config and tags, the event logs, the schedule and sensor storage, the step logs.
    Resource config names the variable (dg.EnvVar): the scan finds the name where a
    resolved key would be (tests/orchestration/test_secrets.py shows it finds a key given
    in clear)."""
    _, env, _ = sample_build
    home = Path(env["DAGSTER_HOME"])
    texts = dagster_home_texts(home)
    snapshots = texts["sqlite:history/runs.db:snapshots"]
    assert int(texts["sqlite:history/runs.db:snapshots:compressed values"]) >= 10
    assert "TTHC_PII_KEY" in snapshots and env["TTHC_LANDING_DIR"] in snapshots
    assert len([k for k in texts if k.startswith("sqlite:history/runs/")]) >= 6  # event logs
    assert "sqlite:schedules/schedules.db:jobs" in texts
    assert secrets_found(texts, {env["TTHC_PII_KEY"]}) == []


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_restricted_zone_and_the_instance_are_private(sample_build):
    """After a build: the quarantine's folders 0700 and files 0600; DAGSTER_HOME 0700, so
    that its files (run history, event logs, step logs) are this user's only."""
    root, env, _ = sample_build
    quarantine = root / "warehouse" / "quarantine"
    folders = [quarantine, *(p for p in quarantine.rglob("*") if p.is_dir())]
    files = [p for p in quarantine.rglob("*") if p.is_file()]
    assert len(folders) >= 2 and len(files) >= 2  # the samples quarantine lines of 2 days
    assert {mode(p) for p in folders} == {0o700} and {mode(p) for p in files} == {0o600}
    home = Path(env["DAGSTER_HOME"])
    assert mode(home) == 0o700 and mode(home / "dagster.yaml") == 0o600


# That applicant_key follows TTHC_PII_KEY (and that a new key reloads every day, never a mix
# of two keys in the raw layer) is proved without a build, in seconds:
# tests/ingest/test_ingest_dossier.py::test_applicant_key_follows_the_pii_key and
# tests/orchestration/test_sensor_and_plan.py::test_a_new_pii_key_reloads_every_day.
