"""Synthetic Bắc Giang landing zone (`tthc generate`), across the 2025 reform that makes it
the merged Bắc Ninh (synthetic/reform.py), see docs/synthetic.md."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

DEFAULT_DOSSIERS_PER_DAY = 40_000 / 182  # ~40,000 for the default half-year (fast demo)


def _write_csv(path: Path, header: list[str], rows) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def _is_gz_day(day: int, seed: int) -> bool:
    """Deterministic ~1 in 7 days delivered gzipped."""
    return ((day * 2654435761 + seed) >> 5) % 7 == 0


def _months(start: date, end: date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _csv_month(month: str) -> bool:
    """The 766 report of these months arrives as the csv export instead of xlsx."""
    return int(month[5:]) in (3, 6, 9, 12)


def generate(out: Path, start: date = date(2024, 1, 1), end: date = date(2024, 6, 30),
             dossiers: int | None = None, seed: int = 20240719, faults: bool = False,
             progress: bool = False) -> dict:
    """Write a synthetic landing zone for [start, end] under `out` (layout of sources.md).

    Returns a summary: files written, dossiers, change records (lines), seconds.
    """
    from . import dossier_writer, portal, portal_766_rules, province, vneid
    from .calendar import WorkCalendar, calendar_rows, day_num
    from .simulate import default_dossiers, simulate

    t0 = time.perf_counter()
    out = Path(out)
    if end < start:
        raise ValueError("end is before start")
    n_days = (end - start).days + 1
    n = (int(dossiers) if dossiers is not None
         else default_dossiers(start, end, DEFAULT_DOSSIERS_PER_DAY))
    if n < 1:
        raise ValueError("dossiers must be >= 1")
    cal = WorkCalendar(start - timedelta(days=60), end + timedelta(days=600))
    prov = province.build(np.random.default_rng([seed, 7]))
    files: list[str] = []

    # --- reference ------------------------------------------------------------------------
    ref = out / "reference"
    last_cal_year = (end + timedelta(days=60)).year
    _write_csv(ref / "dvhc.csv", ["ma_dvhc", "ten_dvhc", "cap", "ma_dvhc_cha", "hieu_luc_tu",
                                  "hieu_luc_den", "ma_dvhc_ke_thua"], prov.dvhc_rows)
    _write_csv(ref / "don_vi.csv", ["ma_don_vi", "ten_don_vi", "cap", "ma_dvhc", "ma_don_vi_cha",
                                    "hieu_luc_tu", "hieu_luc_den", "ma_don_vi_ke_thua"],
               prov.don_vi_rows)
    _write_csv(ref / "tthc.csv", ["ma_tthc", "ten_tthc", "ma_linh_vuc", "ten_linh_vuc",
                                  "cap_thuc_hien", "muc_do_dvc", "co_phi", "thoi_han",
                                  "don_vi_thoi_han", "yeu_cau_ket_qua_giay", "ma_co_quan_cong_bo"],
               prov.tthc_rows)
    _write_csv(ref / "cong_bo.csv", ["ma_tthc", "ma_co_quan_cong_bo", "so_qd_bo",
                                     "ngay_hieu_luc_van_ban", "so_qd_tinh", "ngay_qd_tinh",
                                     "ngay_cong_khai"],
               province.cong_bo_rows(np.random.default_rng([seed, 8]),
                                        WorkCalendar(date(start.year - 1, 9, 1), date(end.year + 1, 12, 31)),
                                        start.year, end.year))
    _write_csv(ref / "ngay_nghi.csv", ["ngay", "loai", "ten"],
               calendar_rows(start.year, last_cal_year))
    years = range(2024, max(2024, end.year) + 1)
    _write_csv(ref / "chi_tieu.csv", ["ma_chi_tieu", "nam", "gia_tri", "nguon"],
               [(c, y, v, s) for y in years for c, _, v, s in province.CHI_TIEU])
    files += [f"reference/{f}" for f in ("dvhc.csv", "don_vi.csv", "tthc.csv", "cong_bo.csv",
                                         "ngay_nghi.csv", "chi_tieu.csv")]

    # --- dossiers ---------------------------------------------------------------------------
    ds = simulate(prov, cal, start, end, n, seed)
    d0, d1 = day_num(start), day_num(end)
    sub_day = (ds.t_sub.astype(np.int64) + ds.base) // 86400
    lines_total = 0
    bar = None
    if progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
        bar = Progress("[progress.description]{task.description}", BarColumn(),
                       MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True))
        bar.start()
        task = bar.add_task("days written", total=n_days)
    try:
        for day in range(d0, d1 + 1):
            hi = int(np.searchsorted(sub_day, day, side="right"))
            rows, t, col = dossier_writer.day_versions(ds, day, hi)
            if len(rows):
                lines = dossier_writer.build_lines(ds, day, rows, t, col, seed)
                ymd = np.datetime64(day, "D").astype(object)
                gz = _is_gz_day(day, seed)
                rel = f"dossier_system/{ymd:%Y-%m-%d}/hoso_{ymd:%Y%m%d}.jsonl" + (".gz" if gz else "")
                dossier_writer.write_lines(out / rel, lines, gz)
                files.append(rel)
                lines_total += len(lines)
            if bar is not None:
                bar.advance(task)
    finally:
        if bar is not None:
            bar.stop()

    # --- portal -----------------------------------------------------------------------------
    fs = portal.final_state(ds, end)
    # the state of the last extract of the range: what the warehouse scores
    facts = portal_766_rules.dossier_facts(ds, (d1 + 1) * 86400 - ds.base - 1)
    for month in _months(start, end):
        mrng = np.random.default_rng([seed, 2, int(month.replace("-", ""))])
        synced = portal.synced_list(ds, fs, month, mrng)
        scores = portal.month_scores(ds, facts, fs, month, synced, end)
        rows = portal.report_766(ds, fs, month, synced, mrng, scores)
        folder = f"dvc_portal/{month}"
        if synced.height:
            portal.write_synced(out / folder / f"dvcqg_dongbo_{month}.csv", synced)
            files.append(f"{folder}/dvcqg_dongbo_{month}.csv")
        if rows:
            total = portal.total_row(rows, scores)
            if _csv_month(month):
                portal.write_766_csv(out / folder / f"dvcqg_766_{month}.csv", rows, total)
                files.append(f"{folder}/dvcqg_766_{month}.csv")
            else:
                portal.write_766_xlsx(out / folder / f"dvcqg_766_{month}.xlsx", rows, total, month, mrng)
                files.append(f"{folder}/dvcqg_766_{month}.xlsx")

    # --- VNeID ------------------------------------------------------------------------------
    for d, rows in vneid.snapshots(prov, start, end, np.random.default_rng([seed, 3])):
        rel = f"vneid/{d:%Y-%m-%d}/vneid_{d:%Y%m%d}.csv"
        vneid.write(out / rel, rows)
        files.append(rel)

    summary = {"out": str(out), "start": start.isoformat(), "end": end.isoformat(),
               "seed": seed, "dossiers": n, "change_records": lines_total}
    if faults:
        from . import faults as faults_mod
        manifest = faults_mod.plant(out, ds, start, end, seed, files)
        summary["faults"] = len(manifest["faults"])
        summary["manifest"] = str(faults_mod.manifest_path(out))
    summary["files"] = len(files)
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    return summary
