"""The `tthc` command (operations.md): generate, build, demo, publications, rollback."""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
import time
from dataclasses import replace
from datetime import UTC, date, timedelta
from pathlib import Path

from orchestration.settings import MissingPiiKey, Settings, load_settings

DEMO_KEY_FILE = Path("data/.pii_key")


def _generate(args) -> int:
    from synthetic import generate

    summary = generate(
        Path(args.out),
        start=args.start,
        end=args.end,
        dossiers=args.dossiers,
        seed=args.seed,
        faults=args.faults,
        progress=sys.stderr.isatty(),
    )
    print(f"Landing zone written to {args.out}: {summary}")
    return 0


def _build(args, settings: Settings | None = None) -> int:
    settings = settings or load_settings()
    if getattr(args, "plan", False):
        return _show_plan(settings, full_refresh=getattr(args, "full_refresh", False))
    try:
        settings.require_pii_key()
    except MissingPiiKey as exc:
        print(f"tthc build: {exc}", file=sys.stderr)
        return 2
    # GX takes ~3 s to import (~10 s without bytecode): a worker process imports it on the other core while this one
    # loads the definitions (~7 s) and the new files (expectations/worker.py)
    from expectations.worker import prewarm

    prewarm()
    from orchestration.dbt_manifest import ManifestParseFailed, load_manifest, prepare_manifest

    try:
        prepare_manifest()  # parse only if a dbt project file changed since the last parse
    except ManifestParseFailed as exc:
        print(f"tthc build: {exc}", file=sys.stderr)
        return 2
    from orchestration.catch_up import BuildInProgress
    from orchestration.definitions import build_definitions
    from orchestration.instance import prepare_dagster_home
    from orchestration.local_build import run_build
    from orchestration.progress import BuildProgress, dbt_node_total

    instance = prepare_dagster_home(settings)
    started = time.monotonic()
    log_path = new_build_log(settings)
    interactive = sys.stdout.isatty()
    # dagster-dbt echoes every dbt log line to stdout, libraries warn on stderr: both go to
    # the build log; the terminal shows the progress line (orchestration/progress.py)
    with output_to_file(log_path) as terminal:
        progress = BuildProgress(instance, terminal, dbt_node_total(load_manifest()), interactive)
        try:
            outcome = run_build(
                settings,
                instance,
                build_definitions(settings),
                log_level="WARNING",
                progress=progress,
                full_refresh=getattr(args, "full_refresh", False),
            )
        except BuildInProgress as exc:
            print(f"tthc build: {exc}", file=terminal)
            return 1
    elapsed = time.monotonic() - started
    if not outcome.runs:
        print("Nothing to run.")
    for job_name, run_id, success in outcome.runs:
        print(f"  {'ok  ' if success else 'FAIL'} {job_name:<22} run {run_id}")
    if not outcome.success:
        print(
            f"tthc build: publication held back after {elapsed:.0f} s; "
            f"{TTHC_PUBLISH_NOTE}\nFailed:",
            file=sys.stderr,
        )
        for failure in outcome.failures:
            print(f"  - {failure}", file=sys.stderr)
        print(f"dbt and run logs: {log_path}; runs in the Dagster UI (make ui)", file=sys.stderr)
        return 1
    print(f"Published to {settings.publish_dir} in {elapsed:.0f} s. Log: {log_path}")
    from publish.reports import print_scorecard

    print_scorecard(settings.publish_dir)
    return 0


def _show_plan(settings: Settings, full_refresh: bool = False) -> int:
    """`tthc build --plan`: the runs a build would make now, and nothing else (no lock, no
    load, no Dagster run; the landing scan only refreshes its cache of file hashes)."""
    from orchestration import dbt_increment
    from orchestration.catch_up import BUILD_MARTS, plan_catch_up
    from orchestration.instance import prepare_dagster_home

    instance = prepare_dagster_home(settings)
    plan = plan_catch_up(settings, instance)
    print(f"Plan for {settings.landing_dir} (as of {settings.as_of_date.isoformat()}):")
    for position, planned in enumerate(plan.runs, start=1):
        print(f"  {position}. {planned.describe()}")
    for name, keys in plan.new_partitions.items():
        if keys:
            print(f"  new partitions of {name}: {len(keys)} ({keys[0]}..{keys[-1]})")
    loads = [planned for planned in plan.runs if planned.job_name != BUILD_MARTS]
    if full_refresh:
        print(f"  dbt: full rebuild of the incremental models: asked for (--full-refresh, run tag {dbt_increment.FULL_REFRESH_TAG})")
    elif loads:
        print("  dbt: incremental or whole is decided after the loads")
    else:
        print(f"  dbt: {dbt_increment.plan(settings).describe()}")
    return 0


BUILD_LOGS_KEPT = 30


def new_build_log(settings: Settings) -> Path:
    """A new plain-text log for this build under TTHC_WAREHOUSE_DIR/logs; the oldest beyond
    the last BUILD_LOGS_KEPT are removed (the runs themselves stay in the Dagster instance)."""
    folder = settings.warehouse_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"build_{time.strftime('%Y%m%dT%H%M%S')}.log"
    for old in sorted(folder.glob("build_*.log"))[: -(BUILD_LOGS_KEPT - 1) or None]:
        old.unlink(missing_ok=True)
    return path


@contextlib.contextmanager
def output_to_file(path: Path):
    """Send file descriptors 1 and 2 to ``path`` (Dagster's log capture and dbt write at that
    level, libraries warn on 2) and yield a stream to the real terminal for progress lines."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    terminal = os.fdopen(os.dup(saved_out), "w", buffering=1, encoding="utf-8")
    with open(path, "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_out, 1)
            os.dup2(saved_err, 2)
            os.close(saved_out)
            os.close(saved_err)
            terminal.close()


TTHC_PUBLISH_NOTE = "the last publication is unchanged"
GENERATE_END = date(2024, 6, 30)
"""`tthc generate` alone: the notice's half-year (H1 2024), what the calibration tests build."""
DEMO_END = date(2025, 12, 31)
"""`tthc demo`: two years, so that its reports show the notice's half-year (H1 2024) and the
first half-year of the new map (H2 2025, after the reform of 1 July 2025) beside the same
half-year of 2024 restated (reorganisation.md)."""


def _demo(args) -> int:
    from orchestration.report import print_demo_summary

    settings = load_settings()
    if not settings.pii_key:
        # the one variable the demo exports, as a user would: the runs read the key from
        # their environment, never from run config (orchestration/resources.py)
        os.environ["TTHC_PII_KEY"] = demo_pii_key()
        settings = replace(settings, pii_key=os.environ["TTHC_PII_KEY"])
    args.out = str(settings.landing_dir)
    if not (settings.landing_dir / "reference").exists() or args.regenerate:
        _generate(args)
        if "TTHC_SETTLE_SECONDS" not in os.environ:
            # the demo wrote these files itself, completely: nothing is still being uploaded
            settings = replace(settings, settle_seconds=0.0)
    if settings.as_of is None:
        # freshness is judged at TTHC_AS_OF (today when unset): the day after the generated
        # data, so that the demo's 2024 shows no stale source. The landing zone may be an
        # earlier demo's, for other dates: its latest day of dossier extracts decides.
        days = []
        for folder in (settings.landing_dir / "dossier_system").glob("????-??-??"):
            with contextlib.suppress(ValueError):
                days.append(date.fromisoformat(folder.name))
        settings = replace(settings, as_of=max(days, default=args.end) + timedelta(days=1))
    status = _build(args, settings)
    if status == 0:
        print_demo_summary(settings)
    return status


def demo_pii_key() -> str:
    """The demo's key: random, kept in data/.pii_key (mode 0600), reused by later demos.

    64 hex characters, used as text: 64 bytes of key, 256 bits of randomness (at least 32
    bytes are required: ingest/pii.py). A key file found readable by others (copied, or
    written by hand) is made 0600 again before it is used."""
    if DEMO_KEY_FILE.exists():
        if DEMO_KEY_FILE.stat().st_mode & 0o077:
            DEMO_KEY_FILE.chmod(0o600)
        return DEMO_KEY_FILE.read_text(encoding="utf-8").strip()
    DEMO_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(DEMO_KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)  # exactly 0600, whatever the umask
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def _prune_runs(args) -> int:
    """Run retention: delete the finished runs created more than ``--older-than-days`` ago,
    their event logs and their step logs (Dagster OSS keeps every run for ever; the instance's
    SQLite files would grow by every night's few hundred events). Queued or running runs are
    never touched."""
    import shutil
    from datetime import datetime

    import dagster as dg

    from orchestration.instance import prepare_dagster_home

    settings = load_settings()
    instance = prepare_dagster_home(settings)
    cutoff = datetime.now(UTC) - timedelta(days=args.older_than_days)
    finished = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
    records = instance.get_run_records(filters=dg.RunsFilter(created_before=cutoff, statuses=finished))
    for record in records:
        run_id = record.dagster_run.run_id
        instance.delete_run(run_id)
        # the steps' stdout/stderr captured under the instance's storage folder
        shutil.rmtree(settings.dagster_home / "storage" / run_id, ignore_errors=True)
    print(f"Removed {len(records)} run(s) created before {cutoff:%Y-%m-%d %H:%M} UTC from {settings.dagster_home}.")
    instance.dispose()
    return 0


def _publications(args) -> int:
    from publish.publication import current_version, list_publications

    settings = load_settings()
    current = current_version(settings.publish_dir)
    for publication in list_publications(settings.publish_dir):
        manifest = publication.manifest
        marker = "*" if publication.version == current else " "
        print(
            f"{marker} {publication.version}  published {manifest.get('published_at')}  "
            f"data through {manifest.get('data_through')}  checks {manifest.get('checks')}"
        )
    return 0


def _rollback(args) -> int:
    from publish.publication import rollback

    settings = load_settings()
    try:
        publication = rollback(settings.publish_dir, args.version)
    except ValueError as exc:
        print(f"tthc rollback: {exc}", file=sys.stderr)
        return 1
    print(f"{settings.publish_dir} now serves {publication.version}")
    return 0


def environment_help() -> str:
    """The variables of orchestration/settings.py (ENVIRONMENT), for --help."""
    from orchestration.settings import ENVIRONMENT

    width = max(len(name) for name in ENVIRONMENT)
    lines = ["environment variables (default in brackets):"]
    for name, (default, what) in ENVIRONMENT.items():
        shown = f" [{default}]" if default is not None else ""
        lines.append(f"  {name:<{width}}  {what}{shown}")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="tthc",
        description=__doc__,
        epilog=environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = root.add_subparsers(dest="command", required=True)

    def generation_options(command, end: date):
        command.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
        command.add_argument("--end", type=date.fromisoformat, default=end)
        command.add_argument("--dossiers", type=int, default=None, help="default: demo size")
        command.add_argument("--seed", type=int, default=20240719)
        command.add_argument("--faults", action="store_true", help="plant the bad inputs of sources.md")

    generate = commands.add_parser("generate", help="write a synthetic landing zone")
    generate.add_argument("--out", required=True)
    generation_options(generate, end=GENERATE_END)
    generate.set_defaults(handler=_generate)

    build = commands.add_parser(
        "build",
        help="load what changed, check, publish",
        description=(
            "Load every landing file that is new or changed, run every check, build the marts "
            "and publish them if no blocking check failed. Exit 0 when published, 1 when held "
            "back (the failed checks are named), 2 when the configuration is unusable. The "
            "runs are recorded in the Dagster instance (DAGSTER_HOME) and show in the UI; the "
            "full log is written to TTHC_WAREHOUSE_DIR/logs/build_<time>.log."
        ),
        epilog=environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("--plan", action="store_true", help="print the runs a build would make now, and stop")
    build.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every incremental dbt model whole (instead of the new days only)",
    )
    build.set_defaults(handler=_build)

    demo = commands.add_parser("demo", help="generate (if needed), build, print the figures")
    generation_options(demo, end=DEMO_END)
    demo.add_argument("--regenerate", action="store_true")
    demo.set_defaults(handler=_demo)

    prune = commands.add_parser("prune-runs", help="delete finished Dagster runs older than N days")
    prune.add_argument("--older-than-days", type=int, default=90)
    prune.set_defaults(handler=_prune_runs)

    publications = commands.add_parser("publications", help="list the kept publications")
    publications.set_defaults(handler=_publications)

    rollback = commands.add_parser("rollback", help="serve an earlier publication again")
    rollback.add_argument("version")
    rollback.set_defaults(handler=_rollback)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
