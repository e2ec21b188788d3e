"""Peak memory of loading one big daily dossier extract (issue 14). Run on demand:

    .venv/bin/python benchmarks/ingest_memory.py [--size-mb 200] [--gzip]

Generates once, under ``benchmarks/data/ingest_memory/``, a landing zone holding the sample
reference files and one day of about ``--size-mb`` MB of JSON lines (the sample day's lines
repeated, each with its own MaHoSo), then loads that day in a fresh process and prints the
process's peak RSS before the load (imports + reference) and after it, with the time taken.
A reader that holds the whole file grows with the file; a batched reader stays flat.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "spec" / "samples" / "landing"
DAY = "2024-04-01"
SAMPLE_DAY = SAMPLES / "dossier_system" / DAY / "hoso_20240401.jsonl"
PII_KEY = b"benchmark-key-not-secret-0123456789abcdef"


def generate(landing: Path, size_mb: int, compress: bool) -> Path:
    name = "hoso_20240401.jsonl" + (".gz" if compress else "")
    target = landing / "dossier_system" / DAY / name
    if target.exists():
        return target
    shutil.rmtree(landing, ignore_errors=True)
    shutil.copytree(SAMPLES / "reference", landing / "reference")
    target.parent.mkdir(parents=True)
    samples = [json.loads(line) for line in SAMPLE_DAY.read_text("utf-8").splitlines() if line]
    budget, i = size_mb * 1_000_000, 0
    tmp = target.with_name(".generating")
    opener = gzip.open if compress else open
    with opener(tmp, "wb") as out:
        written = 0
        while written < budget:
            record = dict(samples[i % len(samples)])
            agency = record["MaHoSo"].split("-")[0]
            # MaHoSo's date part is only checked for its pattern: it carries the counter too
            record["MaHoSo"] = f"{agency}-{i // 10_000:06d}-{i % 10_000:04d}"
            line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
            out.write(line)
            written += len(line)
            i += 1
    tmp.rename(target)
    return target


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def load_in_this_process(landing: Path, warehouse: Path, batch_mb: int | None) -> None:
    sys.path.insert(0, str(ROOT))
    from ingest.dossier_system import load_dossier_day
    from ingest.reference import load_reference

    shutil.rmtree(warehouse, ignore_errors=True)
    load_reference(landing, warehouse)
    before = peak_rss_mib()
    started = time.perf_counter()
    sizes = {"batch_bytes": batch_mb * 1024**2} if batch_mb else {}
    result = load_dossier_day(landing, warehouse, DAY, PII_KEY, **sizes)
    elapsed = time.perf_counter() - started
    print(
        json.dumps(
            {
                "peak_rss_before_load_mib": round(before),
                "peak_rss_after_load_mib": round(peak_rss_mib()),
                "seconds": round(elapsed, 1),
                "rows_read": result.rows_read,
                "rows_loaded": result.rows_loaded,
                "rows_quarantined": result.rows_quarantined,
                "rejected": result.rejected,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--gzip", action="store_true", help="deliver the day as .jsonl.gz")
    parser.add_argument("--dir", type=Path, default=ROOT / "benchmarks" / "data" / "ingest_memory")
    parser.add_argument("--batch-mb", type=int, help="batch size in MiB (default: the loader's)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    suffix = f"{args.size_mb}mb" + ("_gz" if args.gzip else "")
    landing, warehouse = args.dir / f"landing_{suffix}", args.dir / f"warehouse_{suffix}"
    if args.child:
        load_in_this_process(landing, warehouse, args.batch_mb)
        return
    path = generate(landing, args.size_mb, args.gzip)
    print(f"{path.relative_to(args.dir)}: {path.stat().st_size / 1e6:.0f} MB on disk")
    # a fresh process, so that the peak RSS is the load's own, not the generator's
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--size-mb",
            str(args.size_mb),
            "--dir",
            str(args.dir),
        ]
        + (["--gzip"] if args.gzip else [])
        + (["--batch-mb", str(args.batch_mb)] if args.batch_mb else []),
        check=False,
        capture_output=True,
        text=True,
        env=os.environ | {"POLARS_MAX_THREADS": os.environ.get("POLARS_MAX_THREADS", "2")},
    )
    if child.returncode:
        sys.exit(child.stderr)
    print(child.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
