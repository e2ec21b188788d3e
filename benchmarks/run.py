"""Province-scale benchmark (issue 8): `make bench`. Not part of `make test`.

For each size (100k and 1M dossiers over 2024, or ``--start``/``--end``; 10M with ``--10m``) it

1. generates the landing zone once into ``benchmarks/data/y<size>_full`` (reused later);
2. makes a landing zone of hard links to it, holding back the last day's dossier extract;
3. runs the FULL build (`tthc build` in a subprocess, its own TTHC_* dirs, DAGSTER_HOME and
   TTHC_PII_KEY) from an empty warehouse, polling the RSS of its whole process tree (dbt
   included) every 50 ms;
4. runs the BASELINE: one hand-written DuckDB query computing the province's monthly
   Biểu 06 straight from the same landing files (read_json), in its own process, and checks
   it against the published mart;
5. adds the held-back day and runs the INCREMENT (`tthc build` again).

Stage times come from ``TTHC_WAREHOUSE_DIR/logs/timings.jsonl`` (orchestration/timings.py)
and dbt's ``run_results.json`` (models vs tests). The table is printed and written to
``benchmarks/results.md`` together with the machine and the date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
TTHC = ROOT / ".venv" / "bin" / "tthc"
PYTHON = ROOT / ".venv" / "bin" / "python"
START, END = "2024-01-01", "2024-12-31"
SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


# --------------------------------------------------------------------------- measuring


def _children(pid: int, table: dict[int, list[int]]) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(table.get(p, []))
    return out


def _process_kind(pid: int, root: int) -> str:
    """Which part of the build a process is, from its command line."""
    if pid == root:
        return "tthc build"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            argv = handle.read().split(b"\0")
    except OSError:
        return "other"
    line = b" ".join(argv)
    if b"multiprocessing" in line:
        return "workers (GX, workbooks)"
    if any(Path(arg.decode(errors="replace")).name == "dbt" for arg in argv[:2]):
        return "dbt"
    return "other"


def tree_memory(pid: int) -> dict[str, dict[str, int]]:
    """Resident bytes of ``pid`` and all its descendants (from /proc), by kind of process
    and by kind of page: ``anon`` (heap: what the process allocated) and ``file`` (pages of
    files it mapped or read through mmap, which the kernel can drop under pressure)."""
    table: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            table.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError):
            continue
    memory: dict[str, dict[str, int]] = {}
    for p in _children(pid, table):
        try:
            with open(f"/proc/{p}/status") as handle:
                status = dict(line.split(":", 1) for line in handle if line.startswith("Rss"))
        except (OSError, ValueError):
            continue
        kind = memory.setdefault(_process_kind(p, pid), {"anon": 0, "file": 0})
        kind["anon"] += int(status.get("RssAnon", "0 kB").split()[0]) * 1024
        kind["file"] += sum(int(status.get(k, "0 kB").split()[0]) * 1024 for k in ("RssFile", "RssShmem"))
    return memory


def total_bytes(memory: dict[str, dict[str, int]]) -> int:
    return sum(kind["anon"] + kind["file"] for kind in memory.values())


def run_measured(cmd: list[str], env: dict, log: Path) -> tuple[float, int, int, dict]:
    """(wall seconds, peak tree RSS bytes, exit code, the tree's memory at that peak)."""
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        peak, at_peak = 0, {}
        done = threading.Event()

        def poll():
            nonlocal peak, at_peak
            while not done.is_set():
                memory = tree_memory(proc.pid)
                if total_bytes(memory) > peak:
                    peak, at_peak = total_bytes(memory), memory
                done.wait(0.05)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        code = proc.wait()
        done.set()
        poller.join()
    return time.perf_counter() - started, peak, code, at_peak


# --------------------------------------------------------------------------- data


def generate(size: str, start: str = START, end: str = END) -> Path:
    # the default range keeps its old folder name, so a generated year is reused
    span = "" if (start, end) == (START, END) else f"_{start}_{end}"
    full = DATA / f"y{size}{span}_full"
    marker = full / ".complete.json"
    if marker.exists():
        return full
    shutil.rmtree(full, ignore_errors=True)
    print(f"generating {size} dossiers into {full} ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [str(TTHC), "generate", "--out", str(full), "--dossiers", str(SIZES[size]),
         "--start", start, "--end", end],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    marker.write_text(json.dumps({"seconds": round(time.perf_counter() - started, 1)}))
    return full


def last_day(full: Path) -> str:
    return max(p.name for p in (full / "dossier_system").iterdir() if p.is_dir())


def link_tree(src: Path, dst: Path) -> None:
    """Hard-link copy (same bytes, same mtimes, no space)."""
    subprocess.run(["cp", "-al", str(src), str(dst)], check=True)


def _count_lines(landing: Path) -> int:
    import gzip

    total = 0
    for path in sorted((landing / "dossier_system").glob("*/*.jsonl*")):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 24), b""):
                total += block.count(b"\n")
    return total


# --------------------------------------------------------------------------- baseline

BASELINE_SQL = r"""
with lines as (
    select *, row_number() over () as line_no
    from read_json('{glob}', format = 'newline_delimited', filename = true,
                   columns = {columns})
),
typed as (
    select
        MaHoSo as dossier_code,
        try_cast(nullif(cast(KenhThucHien as varchar), '') as integer) as channel,
        try_cast(nullif(cast(TrangThaiHoSo as varchar), '') as integer) as status,
        try_strptime(nullif(NgayTiepNhan, ''), '%Y%m%d%H%M%S') as received_at,
        try_strptime(nullif(NgayHenTra, ''), '%Y%m%d%H%M%S') as appointment_at,
        try_strptime(nullif(NgayKetThucXuLy, ''), '%Y%m%d%H%M%S') as processing_ended_at,
        try_strptime(nullif(NgayCapNhat, ''), '%Y%m%d%H%M%S') as updated_at,
        DanhSachHoSoBoSung as supplements,
        filename, line_no
    from lines
),
ranked as (
    select *, row_number() over (partition by dossier_code
                                 order by updated_at desc, filename desc, line_no desc) as rk
    from typed
),
cur as (select * from ranked where rk = 1),
sup as (
    select dossier_code,
           try_strptime(nullif(s.NgayBoSung, ''), '%Y%m%d%H%M%S') as requested_at,
           try_strptime(nullif(s.NgayTiepNhanBoSung, ''), '%Y%m%d%H%M%S') as answered_at,
           try_strptime(nullif(s.NgayHenTraMoi, ''), '%Y%m%d%H%M%S') as new_appointment_at,
           pos
    from (select dossier_code, unnest(supplements) as s,
                 generate_subscripts(supplements, 1) as pos from cur)
),
sup_summary as (
    select dossier_code, count(*) as n_sup,
           arg_max(new_appointment_at, (requested_at, pos))
               filter (where new_appointment_at is not null) as new_appointment_at
    from sup group by dossier_code
),
dossiers as (
    select cur.dossier_code, cur.channel, cur.received_at,
           case when cur.status in (7, 8, 9, 10) then cur.processing_ended_at end as ended_at,
           coalesce(sup_summary.new_appointment_at, cur.appointment_at) as due_at,
           coalesce(sup_summary.n_sup, 0) as n_sup, cur.status
    from cur left join sup_summary using (dossier_code)
    where cur.status not in (1, 3) and cur.received_at is not null
),
timed as (
    select *, case
        when ended_at is null then null
        when status = 7 then 'on_time'
        when n_sup > 1 then 'overdue'
        when ended_at > due_at then 'overdue'
        when cast(ended_at as date) < cast(due_at as date) then 'early'
        else 'on_time' end as timeliness
    from dossiers
),
bounds as (
    select max(cast(updated_at as date)) as data_through from typed
),
months as (
    select strftime(m, '%Y-%m') as period, m as s,
           least(m + interval 1 month - interval 1 second,
                 (select data_through from bounds) + interval 1 day - interval 1 second) as e
    from range((select date_trunc('month', min(received_at)) from dossiers),
               (select data_through from bounds) + interval 1 day, interval 1 month) t(m)
),
handled as (
    select months.period, months.s, months.e, timed.*
    from months join timed
      on timed.received_at <= months.e
     and (timed.received_at >= months.s or timed.ended_at is null or timed.ended_at >= months.s)
),
waiting as (
    select distinct handled.period, handled.dossier_code
    from handled join sup using (dossier_code)
    where handled.ended_at is null or handled.ended_at > handled.e
      and sup.requested_at <= handled.e and (sup.answered_at is null or sup.answered_at > handled.e)
)
select handled.period,
       count(*) filter (where received_at >= s and channel = 2) as received_online,
       count(*) filter (where received_at >= s and channel in (1, 3)) as received_in_person_postal,
       count(*) filter (where received_at < s) as carried_over,
       count(*) as total,
       count(*) filter (where ended_at <= e) as resolved,
       count(*) filter (where ended_at <= e and timeliness = 'early') as resolved_early,
       count(*) filter (where ended_at <= e and timeliness = 'on_time') as resolved_on_time,
       count(*) filter (where ended_at <= e and timeliness = 'overdue') as resolved_overdue,
       count(*) filter (where ended_at is null or ended_at > e) as in_progress
from handled
group by handled.period
order by handled.period
"""

JSON_COLUMNS = {
    "MaHoSo": "VARCHAR", "KenhThucHien": "VARCHAR", "TrangThaiHoSo": "VARCHAR",
    "NgayTiepNhan": "VARCHAR", "NgayHenTra": "VARCHAR", "NgayKetThucXuLy": "VARCHAR",
    "NgayCapNhat": "VARCHAR",
    "DanhSachHoSoBoSung": "STRUCT(NgayBoSung VARCHAR, NgayTiepNhanBoSung VARCHAR, NgayHenTraMoi VARCHAR)[]",
}  # fmt: skip

BASELINE_SCRIPT = r"""
import json, sys, time, duckdb
sql, threads, memory = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect(config={"threads": int(threads), "memory_limit": memory})
started = time.perf_counter()
rows = con.execute(sql).fetchall()
print(json.dumps({"seconds": time.perf_counter() - started, "rows": [list(map(str, r)) for r in rows]}))
"""


def baseline(landing: Path, env: dict, log: Path) -> tuple[float, int, list[list[str]]]:
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in JSON_COLUMNS.items()) + "}"
    sql = BASELINE_SQL.format(glob=f"{landing}/dossier_system/*/*.jsonl*", columns=columns)
    out = log.with_suffix(".json")
    cmd = [str(PYTHON), "-c", BASELINE_SCRIPT, sql, env["TTHC_DUCKDB_THREADS"], env["TTHC_DUCKDB_MEMORY_LIMIT"]]
    wall, peak, code, _ = run_measured(cmd, env, out)
    if code != 0:
        raise RuntimeError(f"baseline failed: {out.read_text()[-2000:]}")
    result = json.loads(out.read_text().strip().splitlines()[-1])
    return wall, peak, result["rows"]


def published_province_months(publish_dir: Path) -> list[list[str]]:
    import duckdb

    con = duckdb.connect(str(publish_dir / "tthc_marts.duckdb"), read_only=True)
    rows = con.execute(
        "select period, received_online, received_in_person_postal, carried_over, total, resolved, "
        "resolved_early, resolved_on_time, resolved_overdue, in_progress from marts.bieu_06 "
        "where level = 'province' and period_type = 'month' order by period"
    ).fetchall()
    con.close()
    return [list(map(str, r)) for r in rows]


# --------------------------------------------------------------------------- stages


def stage_times(warehouse: Path, since: float) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from orchestration import timings

    out: dict[str, float] = {}
    for line in timings.read(warehouse):
        if line["at"] >= since:
            out[line["stage"]] = out.get(line["stage"], 0.0) + line["seconds"]
    results = warehouse / "dbt_target" / "run_results.json"
    if results.exists():
        data = json.loads(results.read_text())
        models = sum(r["execution_time"] for r in data["results"] if r["unique_id"].startswith("model."))
        tests = sum(r["execution_time"] for r in data["results"] if r["unique_id"].startswith("test."))
        out["dbt_models"] = models
        out["dbt_tests"] = tests
        out["dbt_elapsed"] = data.get("elapsed_time", 0.0)
    return out


def build(work: Path, env: dict, label: str) -> dict:
    since = time.time()
    wall, peak, code, at_peak = run_measured([str(TTHC), "build"], env, work / f"{label}.log")
    if code != 0:
        raise RuntimeError(f"{label} build failed (exit {code}); see {work / f'{label}.log'}")
    return {
        "wall": wall, "peak": peak, "at_peak": at_peak,
        "stages": stage_times(Path(env["TTHC_WAREHOUSE_DIR"]), since),
    }  # fmt: skip


def bench_size(size: str, threads: str, memory: str, start: str = START, end: str = END) -> dict:
    full = generate(size, start, end)
    held_back = last_day(full)
    work = DATA / f"run_{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    landing = work / "landing"
    link_tree(full, landing)
    shutil.rmtree(landing / "dossier_system" / held_back)
    env = {
        **os.environ,
        "TTHC_LANDING_DIR": str(landing),
        "TTHC_WAREHOUSE_DIR": str(work / "warehouse"),
        "TTHC_PUBLISH_DIR": str(work / "published"),
        "DAGSTER_HOME": str(work / "dagster_home"),
        "TTHC_PII_KEY": "benchmark-key-not-secret-0123456789abcdef",
        "TTHC_DUCKDB_THREADS": threads,
        "TTHC_DUCKDB_MEMORY_LIMIT": memory,
        "TTHC_SETTLE_SECONDS": "0",  # generated just before: settled
    }
    records = _count_lines(landing)
    print(f"[{size}] full build ({records:,} change records) ...", flush=True)
    full_run = build(work, env, "full")
    print(f"[{size}] full: {full_run['wall']:.1f} s, peak {full_run['peak'] / 2**30:.2f} GiB", flush=True)
    base_wall, base_peak, base_rows = baseline(landing, env, work / "baseline")
    published = published_province_months(work / "published")
    matches = base_rows == published
    print(f"[{size}] baseline: {base_wall:.1f} s (matches published province months: {matches})", flush=True)
    if not matches:
        (work / "baseline_diff.json").write_text(json.dumps({"baseline": base_rows, "published": published}, indent=1))
    link_tree(full / "dossier_system" / held_back, landing / "dossier_system" / held_back)
    day_records = _count_lines(landing) - records
    print(f"[{size}] increment: +1 day ({held_back}, {day_records:,} records) ...", flush=True)
    inc = build(work, env, "increment")
    print(f"[{size}] increment: {inc['wall']:.1f} s, peak {inc['peak'] / 2**30:.2f} GiB", flush=True)
    dossiers = SIZES[size]
    result = {
        "size": size, "start": start, "end": end, "dossiers": dossiers, "records": records, "day_records": day_records,
        "full": full_run, "increment": inc, "baseline": base_wall, "baseline_peak": base_peak,
        "baseline_matches": matches,
    }  # fmt: skip
    (work / "result.json").write_text(json.dumps(result, indent=1))
    return result


# --------------------------------------------------------------------------- report


def fmt_stages(stages: dict) -> list[str]:
    return [f"{stages.get(k, 0):.1f}" for k in ("ingest", "checks", "dbt", "dbt_models", "dbt_tests", "publish")]


def table(results: list[dict]) -> str:
    head = (
        "| data | run | dossiers | change records | wall s | ingest s | GX checks s | dbt step s "
        "| dbt models s | dbt tests s | publish s | other s | peak RSS GiB | records/s | vs baseline | vs full |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    rows = []
    for r in results:
        for run in ("full", "increment"):
            m = r[run]
            st = m["stages"]
            accounted = sum(st.get(k, 0) for k in ("ingest", "checks", "dbt", "publish"))
            records = r["records"] if run == "full" else r["day_records"]
            rows.append(
                f"| {r['size']} | {run} | {r['dossiers']:,} | {records:,} | {m['wall']:.1f} | "
                + " | ".join(fmt_stages(st))
                + f" | {m['wall'] - accounted:.1f} | {m['peak'] / 2**30:.2f} | {records / m['wall']:,.0f} | "
                f"{m['wall'] / r['baseline']:.2f}x | "
                + (f"{100 * m['wall'] / r['full']['wall']:.1f}%" if run == "increment" else "100%")
                + " |"
            )
        rows.append(
            f"| {r['size']} | baseline query | {r['dossiers']:,} | {r['records']:,} | {r['baseline']:.1f} | "
            "– | – | – | – | – | – | – | "
            f"{r['baseline_peak'] / 2**30:.2f} | {r['records'] / r['baseline']:,.0f} | 1.00x | "
            f"matches mart: {'yes' if r['baseline_matches'] else 'NO'} |"
        )
    return head + "\n".join(rows) + "\n\n" + peak_table(results)


def peak_table(results: list[dict]) -> str:
    """Who held the memory at each build's peak: heap (anon) and file pages, GiB."""
    kinds = ("tthc build", "dbt", "workers (GX, workbooks)", "other")
    head = (
        "Memory at the moment of each build's peak, GiB (anon = allocated; file = pages of "
        "mapped files, which the kernel may drop):\n\n"
        "| data | run | peak | " + " | ".join(f"{k} anon | {k} file" for k in kinds) + " |\n"
        "|---|---|---:|" + "---:|" * (2 * len(kinds)) + "\n"
    )
    rows = []
    for r in results:
        for run in ("full", "increment"):
            at_peak = r[run].get("at_peak", {})
            cells = [
                f"{at_peak.get(k, {}).get(page, 0) / 2**30:.2f}" for k in kinds for page in ("anon", "file")
            ]
            rows.append(f"| {r['size']} | {run} | {r[run]['peak'] / 2**30:.2f} | " + " | ".join(cells) + " |")
    return head + "\n".join(rows) + "\n"


def machine() -> str:
    mem = 0
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    return f"{os.cpu_count()} cores, {mem / 2**30:.1f} GiB RAM, {platform.platform()}, Python {platform.python_version()}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M", help="comma-separated: 100k,1M,10M")
    parser.add_argument("--10m", dest="ten_m", action="store_true", help="also run 10M dossiers")
    parser.add_argument("--threads", default=os.environ.get("TTHC_DUCKDB_THREADS", "2"))
    parser.add_argument("--memory-limit", default=os.environ.get("TTHC_DUCKDB_MEMORY_LIMIT", "3GB"))
    parser.add_argument("--no-write", action="store_true", help="print only, leave results.md")
    parser.add_argument("--start", default=START, help="first day generated (default %(default)s)")
    parser.add_argument("--end", default=END, help="last day generated (default %(default)s); "
                        "e.g. --start 2025-01-01 --end 2025-12-31 crosses the reform of 1 July 2025")
    args = parser.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    if args.ten_m and "10M" not in sizes:
        sizes.append("10M")
    results = []
    for size in sizes:
        results.append(bench_size(size, args.threads, args.memory_limit, args.start, args.end))
        text = table(results)
        print(text, flush=True)
        if not args.no_write:
            write_results(text, args)
    return 0


def write_results(text: str, args) -> None:
    header = (
        "# Benchmark results\n\n"
        f"Measured {dt.date.today().isoformat()} on {machine()}; "
        f"DuckDB threads {args.threads}, memory limit {args.memory_limit}; "
        f"dossiers generated from {args.start} to {args.end}. "
        "`make bench` (benchmarks/run.py) regenerates this table.\n\n"
    )
    out = ROOT / "benchmarks" / "results.md"
    notes_marker = "<!-- notes -->"
    notes = ""
    if out.exists() and notes_marker in out.read_text():
        notes = out.read_text().split(notes_marker, 1)[1]
    out.write_text(header + text + "\n" + notes_marker + notes)


if __name__ == "__main__":
    sys.exit(main())
