"""The `tthc` command (operations.md): generate, build, demo, publications, rollback."""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
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
    try:
        settings.require_pii_key()
    except MissingPiiKey as exc:
        print(f"tthc build: {exc}", file=sys.stderr)
        return 2
    # GX takes ~3 s to import (~10 s without bytecode): a worker process imports it on the other core while this one
    # loads the definitions (~7 s) and the new files (expectations/worker.py)
    from expectations.worker import prewarm

    prewarm()
    from orchestration.dbt_manifest import prepare_manifest

    prepare_manifest()  # parse only if a dbt project file changed since the last parse
    from orchestration.catch_up import BuildInProgress
    from orchestration.definitions import build_definitions
    from orchestration.instance import prepare_dagster_home
    from orchestration.local_build import run_build

    instance = prepare_dagster_home(settings)
    started = time.monotonic()
    # dagster-dbt echoes every dbt log line to stdout: keep them in a file, show progress
    log_path = settings.warehouse_dir / "logs" / f"build_{time.strftime('%Y%m%dT%H%M%S')}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with stdout_to_file(log_path) as terminal:

        def announce(planned):
            print(f"  running {planned.describe()}", file=terminal, flush=True)

        try:
            outcome = run_build(
                settings, instance, build_definitions(settings), log_level="WARNING", on_run_start=announce
            )
        except BuildInProgress as exc:
            print(f"tthc build: {exc}", file=terminal)
            return 1
    elapsed = time.monotonic() - started
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
    print(f"Published to {settings.publish_dir} in {elapsed:.0f} s.")
    from publish.reports import print_scorecard

    print_scorecard(settings.publish_dir)
    return 0


@contextlib.contextmanager
def stdout_to_file(path: Path):
    """Send file descriptor 1 to ``path`` (Dagster's log capture tees at that level) and
    yield a stream to the real terminal for progress lines."""
    sys.stdout.flush()
    saved = os.dup(1)
    terminal = os.fdopen(os.dup(saved), "w", buffering=1, encoding="utf-8")
    with open(path, "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 1)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
            terminal.close()


TTHC_PUBLISH_NOTE = "the last publication is unchanged"


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


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="tthc", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    def generation_options(command):
        command.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
        command.add_argument("--end", type=date.fromisoformat, default=date(2024, 6, 30))
        command.add_argument("--dossiers", type=int, default=None, help="default: demo size")
        command.add_argument("--seed", type=int, default=20240719)
        command.add_argument("--faults", action="store_true", help="plant the bad inputs of sources.md")

    generate = commands.add_parser("generate", help="write a synthetic landing zone")
    generate.add_argument("--out", required=True)
    generation_options(generate)
    generate.set_defaults(handler=_generate)

    build = commands.add_parser("build", help="load what changed, check, publish")
    build.set_defaults(handler=_build)

    demo = commands.add_parser("demo", help="generate (if needed), build, print the figures")
    generation_options(demo)
    demo.add_argument("--regenerate", action="store_true")
    demo.set_defaults(handler=_demo)

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
