"""The national portal's view (sources.md §2): monthly 766 report and synced-dossier list.

Both are derived from the dossiers' state at the end of the period, then disturbed the way
Thông báo 294 complains about: ~3% of received dossiers never synced, ~1% with a stale status,
some channel and payment flags disagreeing, a few agency counts off in the 766 report.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import openpyxl
import polars as pl
from openpyxl.styles import Alignment, Font

from . import portal_766_rules as rules766
from .calendar import day_num
from .province import CENTRE, PROCEDURES
from .simulate import (
    C_A1,
    C_A2,
    C_B1,
    C_B2,
    C_END,
    C_REC,
    C_STOP,
    C_WD,
    C_WPRE,
    DAY,
    NONE,
    STATUS,
    Dossiers,
)

COUNT_COLS = ["Tiếp nhận", "Trực tuyến", "Trực tiếp", "BCCI", "Đã xử lý", "Đúng hạn", "Quá hạn",
              "Có phí", "Thanh toán trực tuyến", "Đồng bộ"]
SCORE_COLS = ["Điểm Công khai", "Điểm Tiến độ", "Điểm DVCTT", "Điểm Thanh toán", "Điểm Số hóa",
              "Điểm Hài lòng", "Tổng điểm"]
SCORE_MAX = [18, 20, 12, 10, 22, 18]  # max of each 766 score; total 100
GROUPS = list(rules766.GROUP_COLUMNS)  # the Điểm columns' groups, in SCORE_COLS order
# Differences planted between the published Điểm cells and the portal's rules on the dossiers,
# so that the warehouse's reconciliation has something to find (docs/synthetic.md):
# (month of every year, agency code or None for the Tổng cộng row, group, portal − rules).
# Nothing is planted where the group has no rule value (the agency has no row or no dossier).
PLANTED = (
    (2, CENTRE, "tien_do", -1.25),
    (3, None, "tien_do", -0.50),
    (4, "000.00.11.H04", "tien_do", -0.80),   # Sở Tư pháp
    (10, CENTRE, "tien_do", -0.60),
)
HEADER = ["STT", "Mã đơn vị", "Tên đơn vị"] + COUNT_COLS + SCORE_COLS
SYNC_HEADER = ["MaHoSo", "MaCoQuan", "TrangThaiHoSo", "KenhThucHien", "NgayTiepNhan",
               "NgayKetThucXuLy", "DuocThanhToanTrucTuyen"]


def final_state(ds: Dossiers, end: date) -> pl.DataFrame:
    """One row per dossier: its current state at the end of the period (kpis.md fields)."""
    end_off = (day_num(end) + 1) * DAY - ds.base - 1
    ev = ds.ev
    last_t = np.full(ds.n, -1, dtype=np.int32)
    last_c = np.zeros(ds.n, dtype=np.int8)
    for c in range(ev.shape[1]):  # column by column: no (n, 14) int64 temporary
        col = ev[:, c]
        newer = (col <= end_off) & (col >= last_t)
        last_t = np.where(newer, col, last_t)
        last_c = np.where(newer, c, last_c).astype(np.int8)
    status = STATUS[last_c]
    b = ds.base

    def ok(a):
        return (a != NONE) & (a <= end_off)

    end_like = np.minimum(np.minimum(ev[:, C_END], ev[:, C_STOP]), np.minimum(ev[:, C_WD], ev[:, C_WPRE]))
    received = ok(ev[:, C_REC]) & ~np.isin(status, [1, 3])
    ended = np.isin(status, [7, 8, 9, 10]) & ok(end_like)
    due = np.where(ok(ev[:, C_A2]), ds.moi2, np.where(ok(ev[:, C_A1]), ds.moi1, ds.appt0))
    n_sup = ok(ev[:, C_B1]).astype(np.int8) + ok(ev[:, C_B2])
    overdue = ended & (status != 7) & ((n_sup > 1) | (end_like.astype(np.int64) > due.astype(np.int64)))
    fee = np.array([p[11] for p in PROCEDURES])[ds.proc] > 0
    rec_abs = np.where(received, ev[:, C_REC].astype(np.int64) + b, 0)
    end_abs = np.where(ended, end_like.astype(np.int64) + b, 0)
    # compact columns only (no per-dossier strings): this frame lives through the portal step
    return pl.DataFrame({
        "i": np.arange(ds.n, dtype=np.int32), "agency": ds.agency,
        "status": status, "channel": ds.channel, "received": received, "rec": rec_abs,
        "ended": ended, "end": end_abs, "overdue": overdue,
        "has_fee": fee & ~ds.exempt, "paid": ds.paid,
        "rec_month": _month_no(rec_abs), "end_month": _month_no(end_abs),
    })


def _month_no(t_abs: np.ndarray) -> np.ndarray:
    """yyyymm of local epoch seconds, as int32."""
    m = (t_abs // DAY).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return ((m // 12 + 1970) * 100 + m % 12 + 1).astype(np.int32)


def month_no(month: str) -> int:
    return int(month.replace("-", ""))


def _fmt_ts(col):
    return pl.from_epoch(pl.col(col), time_unit="s").dt.strftime("%Y%m%d%H%M%S")


def mahoso(ds: Dossiers, idx: np.ndarray) -> list[str]:
    codes = np.array(ds.agency_codes, dtype=object)[ds.agency[idx]]
    days = ds.code_day[idx].astype("datetime64[D]").astype(object)
    return [f"{a}-{d:%y%m%d}-{s:04d}" for a, d, s in zip(codes, days, ds.seq[idx])]


def synced_list(ds: Dossiers, fs: pl.DataFrame, month: str, rng: np.random.Generator) -> pl.DataFrame:
    m = fs.filter(pl.col("received") & (pl.col("rec_month") == month_no(month)))
    n = m.height
    keep = rng.random(n) >= 0.03
    u = rng.random(n)
    status = m["status"].to_numpy().copy()
    stale = u < 0.012
    status = np.where(stale & (status == 10), 9, np.where(stale & np.isin(status, [9, 8]), 4, status))
    ch = m["channel"].to_numpy().copy()
    ch = np.where((u >= 0.012) & (u < 0.017), np.where(ch == 2, 1, 2), ch)
    paid = m["paid"].to_numpy().copy()
    paid = np.where((u >= 0.017) & (u < 0.028), np.where(paid == 0, 1, 0), paid)
    rec = m["rec"].to_numpy() + np.where((u >= 0.028) & (u < 0.031), 3600, 0)
    endt = m["end"].to_numpy() + np.where((u >= 0.031) & (u < 0.034), -1800, 0)
    out = pl.DataFrame({
        # explicit dtypes: a month without received dossiers (tiny ranges) gives empty columns
        "MaHoSo": pl.Series(mahoso(ds, m["i"].to_numpy()), dtype=pl.Utf8),
        "MaCoQuan": pl.Series(np.array(ds.agency_codes, dtype=object)[m["agency"].to_numpy()].tolist(),
                              dtype=pl.Utf8),
        "TrangThaiHoSo": status, "KenhThucHien": ch, "rec": rec, "end": endt,
        "ended": m["ended"], "DuocThanhToanTrucTuyen": paid,
    }).filter(pl.Series(keep))
    # a few dossiers the portal holds that the provincial system does not know
    extra = max(1, n // 1000) if n else 0
    if extra:
        src = out.head(extra)
        out = pl.concat([out, src.with_columns(
            MaHoSo=pl.col("MaHoSo").str.slice(0, 21) + pl.lit("9") + pl.col("MaHoSo").str.slice(22, 3))])
    out = out.with_columns(
        NgayTiepNhan=_fmt_ts("rec"),
        NgayKetThucXuLy=pl.when(pl.col("ended")).then(_fmt_ts("end")).otherwise(pl.lit("")),
    ).select(SYNC_HEADER).unique("MaHoSo", keep="first").sort("MaHoSo")
    return out


def month_end_day(month: str) -> int:
    y, m = int(month[:4]), int(month[5:])
    return day_num(date(y + (m == 12), m % 12 + 1, 1)) - 1


@dataclass
class MonthScores:
    """The portal's rule points of one month (portal_766_rules): per agency index (the dossiers
    the portal counts under the agency at the month's end, its successions included) and for
    the province, None where a group is not computable from the dossiers."""
    month: str
    agency: list[dict[str, float | None]]
    province: dict[str, float | None]


def month_scores(ds: Dossiers, facts: rules766.DossierFacts, fs: pl.DataFrame, month: str,
                 synced: pl.DataFrame, range_end: date) -> MonthScores:
    first, last, last_date = rules766.month_bounds(month, range_end)
    rules = rules766.rules_on(last_date)
    n_ag = len(ds.agency_codes)
    # each dossier under the agency in force at the month's end (E): the report's agency rows
    # hold the dossiers of the agencies they succeeded, and so do their Điểm cells
    counts = rules766.month_counts(rules766.at_period_end(facts, ds.validity, last, n_ag),
                                   first, last, n_ag, ds.base)
    # an agency's 3.3 has no sync factor here: its dvctt group lacks 3.1 and 3.2 anyway
    agency = [rules766.unit_groups(rules, {c: (int(nd[0][a]), int(nd[1][a])) for c, nd in counts.agency.items()})
              for a in range(n_ag)]
    return MonthScores(month, agency, rules766.unit_groups(rules, counts.province,
                                                           _sync_counts(ds, fs, month, synced)))


def _sync_counts(ds: Dossiers, fs: pl.DataFrame, month: str, synced: pl.DataFrame) -> tuple[int, int] | None:
    """1.4 of the province as the warehouse sums it (kpis.md sync_rate_766): per agency, received
    in the month and in the list / max(received in the month, the list's rows); None when the
    month has no list (nothing is delivered)."""
    if not synced.height:
        return None
    m = fs.filter(pl.col("received") & (pl.col("rec_month") == month_no(month)))
    codes = np.array(ds.agency_codes, dtype=object)
    rec = pl.DataFrame({"MaHoSo": pl.Series(mahoso(ds, m["i"].to_numpy()), dtype=pl.Utf8),
                        "MaCoQuan": pl.Series(codes[m["agency"].to_numpy()].tolist(), dtype=pl.Utf8)})
    listed = set(synced["MaHoSo"].to_list())
    per = (rec.with_columns(hit=pl.col("MaHoSo").is_in(listed))
           .group_by("MaCoQuan").agg(pl.len().alias("received"), pl.col("hit").sum().alias("hit"))
           .join(synced.group_by("MaCoQuan").agg(pl.len().alias("listed")), on="MaCoQuan", how="full",
                 coalesce=True)
           .fill_null(0))
    return int(per["hit"].sum()), int(per.select(pl.max_horizontal("received", "listed")).to_series().sum())


def _planted(month: str, code: str | None) -> dict[str, float]:
    return {g: d for mo, c, g, d in PLANTED if mo == int(month[5:]) and c == code}


def _publish(groups: dict[str, float | None], fallback: list[float], plant: dict[str, float]) -> list[float]:
    """The six Điểm cells and Tổng điểm as the portal publishes them (2 decimals): the rule
    value of each group that has one (plus any planted difference), else the fallback."""
    vals = []
    for g, mx, fb in zip(GROUPS, SCORE_MAX, fallback):
        v = groups.get(g)
        v = fb if v is None else min(mx, max(0.0, v + plant.get(g, 0.0)))
        vals.append(float(v))
    return [round(v, 2) for v in vals] + [round(sum(vals), 2)]


def report_766(ds: Dossiers, fs: pl.DataFrame, month: str, synced: pl.DataFrame,
               rng: np.random.Generator, scores: MonthScores) -> list[list]:
    """One row per agency valid in the month: the portal drills down to the units of its day,
    so a dossier of an agency that ended before the month's end (a merged department, a
    district office) counts under its successor, and every agency under its name of then.
    The Điểm cells follow the portal's rules on the same dossiers (those of the agencies it
    succeeded included: `month_scores`, as the warehouse recomputes them) where the warehouse
    can recompute them (tien_do, so_hoa), plus PLANTED; the other groups are plausible values
    drawn from the agency's counts."""
    last = month_end_day(month)
    names = ds.agency_names
    if ds.validity is not None:
        names = ds.validity.names_on(last)
        moved = ds.validity.resolve(np.arange(len(ds.agency_codes)), last).astype(np.int16)
        fs = fs.with_columns(agency=pl.Series("agency", moved[fs["agency"].to_numpy()]))
    rec = (fs.filter(pl.col("received") & (pl.col("rec_month") == month_no(month)))
           .group_by("agency").agg(
               pl.len().alias("Tiếp nhận"), (pl.col("channel") == 2).sum().alias("Trực tuyến"),
               (pl.col("channel") == 1).sum().alias("Trực tiếp"), (pl.col("channel") == 3).sum().alias("BCCI"),
               pl.col("has_fee").sum().alias("Có phí"),
               (pl.col("has_fee") & (pl.col("paid") > 0)).sum().alias("Thanh toán trực tuyến")))
    res = (fs.filter(pl.col("ended") & (pl.col("end_month") == month_no(month))).group_by("agency").agg(
        pl.len().alias("Đã xử lý"), (~pl.col("overdue")).sum().alias("Đúng hạn"),
        pl.col("overdue").sum().alias("Quá hạn")))
    syn = synced.group_by("MaCoQuan").agg(pl.len().alias("Đồng bộ"))
    codes = pl.DataFrame({"agency": np.arange(len(ds.agency_codes), dtype=np.int16),
                          "MaCoQuan": ds.agency_codes, "Tên đơn vị": names})
    t = (codes.join(rec, on="agency", how="left").join(res, on="agency", how="left")
         .join(syn, on="MaCoQuan", how="left").fill_null(0))
    t = t.filter(pl.sum_horizontal(COUNT_COLS) > 0).sort("MaCoQuan")
    rows = []
    for i, r in enumerate(t.iter_rows(named=True)):
        counts = [int(r[c]) for c in COUNT_COLS]
        if rng.random() < 0.08:  # the portal counts this agency differently
            j = int(rng.integers(0, len(counts)))
            counts[j] = max(0, counts[j] + int(rng.choice([-3, -2, -1, 1, 2])))
        recv, online = max(counts[0], 1), counts[1]
        done = max(counts[4], 1)
        # drawn for every row, used or not: the stream (and so the counts' noise) stays as it was
        fallback = [rng.uniform(13.5, 18), 20 * counts[5] / done * rng.uniform(0.9, 1.0),
                    12 * online / recv * rng.uniform(0.85, 1.0),
                    min(10.0, 10 * counts[8] / max(counts[7], 1) * rng.uniform(0.9, 1.1)),
                    rng.uniform(15, 22), rng.uniform(15.5, 18)]
        fallback = [min(float(s), mx) for s, mx in zip(fallback, SCORE_MAX)]
        groups = {g: v for g, v in scores.agency[int(r["agency"])].items() if g in ("tien_do", "so_hoa")}
        rows.append([i + 1, r["MaCoQuan"], r["Tên đơn vị"]] + counts
                    + _publish(groups, fallback, _planted(month, r["MaCoQuan"])))
    return rows


def province_name(month: str) -> str:
    """The province the portal reports for, at the month's end (code 24 throughout)."""
    from .reform import TWO_LEVEL_DATE
    return "Bắc Ninh" if month_end_day(month) >= day_num(TWO_LEVEL_DATE) else "Bắc Giang"


def vn_number(v) -> str:
    if isinstance(v, float):
        s = f"{v:.2f}".rstrip("0").rstrip(".")
        ip, _, fp = s.partition(".")
        return f"{int(ip):,}".replace(",", ".") + ("," + fp if fp else "")
    return f"{int(v):,}".replace(",", ".")


def total_row(rows: list[list], scores: MonthScores | None = None) -> list:
    """Counts: the sum of the agency rows. Điểm cells (with `scores`): the province's own
    scores, not a sum: the rules where the warehouse recomputes them (tien_do, dvctt,
    thanh_toan, so_hoa), plus PLANTED; cong_khai and hai_long (and a group without a rule
    value) the mean of the agency rows' cells."""
    sums = [sum(r[3 + j] for r in rows) for j in range(len(COUNT_COLS))]
    if scores is None:
        return [None, None, "Tổng cộng"] + sums + [None] * len(SCORE_COLS)
    k = 3 + len(COUNT_COLS)
    mean = [sum(r[k + j] for r in rows) / len(rows) for j in range(len(GROUPS))]
    groups = {g: v for g, v in scores.province.items() if g not in ("cong_khai", "hai_long")}
    return [None, None, "Tổng cộng"] + sums + _publish(groups, mean, _planted(scores.month, None))


def write_766_csv(path, rows: list[list], total: list) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(HEADER)
    for r in rows + [total]:
        w.writerow(["" if v is None else (vn_number(v) if isinstance(v, (int, float)) else v) for v in r])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def write_766_xlsx(path, rows: list[list], total: list, month: str, rng: np.random.Generator) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TongHop"
    y, mo = month.split("-")
    title = ["CỔNG DỊCH VỤ CÔNG QUỐC GIA", "BÁO CÁO BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP",
             f"Kỳ báo cáo: Tháng {mo}/{y}", f"Đơn vị: UBND tỉnh {province_name(month)}"]
    ncol = len(HEADER)
    for i, t in enumerate(title, start=1):
        ws.cell(i, 1, t).font = Font(bold=i <= 2)
        ws.cell(i, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=ncol)
    for j, h in enumerate(HEADER, start=1):
        ws.cell(6, j, h).font = Font(bold=True)
    for i, r in enumerate(rows + [total], start=7):
        for j, v in enumerate(r, start=1):
            if v is None:
                continue
            if j > 3 and rng.random() < 0.07:  # exported as Vietnamese-formatted text
                v = vn_number(v)
            ws.cell(i, j, v)
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 48
    stamp = datetime(int(y) + (int(mo) == 12), int(mo) % 12 + 1, 1)
    wb.properties.creator = "openpyxl"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    _freeze_zip(buf.getvalue(), path, stamp)


def _freeze_zip(data: bytes, path, stamp: datetime) -> None:
    """Re-pack the xlsx with fixed entry times so that the file is byte-identical per run."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", lambda m: m.group(1) + iso.encode(), content)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            z.writestr(zi, content)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def write_synced(path, df: pl.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    df.write_csv(buf, line_terminator="\n")
    path.write_bytes(buf.getvalue())
