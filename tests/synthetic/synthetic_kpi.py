"""The generator's own check of the headline figures, computed directly from the landing files
following kpis.md (independent of the warehouse)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

import polars as pl


def read_extracts(landing: Path) -> list[tuple[str, int, dict]]:
    out = []
    for f in sorted((landing / "dossier_system").glob("*/hoso_*.jsonl*")):
        opener = gzip.open if f.name.endswith(".gz") else open
        with opener(f, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                out.append((f.parent.name, i, json.loads(line)))
    return out


def _ts(v):
    if v is None or v == "":
        return None
    return datetime.strptime(v, "%Y%m%d%H%M%S")


def current_state(landing: Path) -> pl.DataFrame:
    """One row per dossier: greatest NgayCapNhat; ties: later file, then later line."""
    best: dict[str, tuple] = {}
    for day, i, r in read_extracts(landing):
        key = (r["NgayCapNhat"], day, i)
        old = best.get(r["MaHoSo"])
        if old is None or key > old[0]:
            best[r["MaHoSo"]] = (key, r)
    rows = []
    for _, r in best.values():
        sups = sorted(r["DanhSachHoSoBoSung"], key=lambda s: s["NgayBoSung"])
        moi = [s["NgayHenTraMoi"] for s in sups if s.get("NgayHenTraMoi")]
        due = _ts(moi[-1]) if moi else _ts(r["NgayHenTra"])
        rows.append({
            "MaHoSo": r["MaHoSo"], "MaTTHC": r["MaTTHC"], "status": int(r["TrangThaiHoSo"]),
            "channel": int(r["KenhThucHien"]), "received_at": _ts(r["NgayTiepNhan"]),
            "ended_raw": _ts(r["NgayKetThucXuLy"]), "due_at": due, "n_sup": len(sups),
            "e_result": any(g.get("DuongDanTepTinKetQua") for g in r["DanhSachGiayToKetQua"]),
            "has_fee": sum(float(x["Gia"]) for x in r["DanhSachLePhi"]) > 0,
            "paid": int(r["DuocThanhToanTrucTuyen"]) in (1, 2),
            "rating": None if r["DanhGia"] in (None, "") else int(r["DanhGia"]),
        })
    return pl.DataFrame(rows, infer_schema_length=None)


def headline(landing: Path, start: datetime, end: datetime) -> dict:
    cs = current_state(landing)
    tthc = pl.read_csv(landing / "reference" / "tthc.csv", schema_overrides={"ma_tthc": pl.Utf8})
    cs = cs.join(tthc.select(pl.col("ma_tthc").alias("MaTTHC"), "yeu_cau_ket_qua_giay"),
                 on="MaTTHC", how="left")
    cs = cs.with_columns(
        received=~pl.col("status").is_in([1, 3]) & pl.col("received_at").is_not_null(),
        ended_at=pl.when(pl.col("status").is_in([7, 8, 9, 10])).then(pl.col("ended_raw")),
    ).with_columns(
        overdue=pl.when(pl.col("status") == 7).then(False)
        .when(pl.col("n_sup") > 1).then(True)
        .otherwise(pl.col("ended_at") > pl.col("due_at")).fill_null(False),
    )
    in_period = pl.col("received") & pl.col("received_at").is_between(start, end)
    col45 = cs.filter(in_period)
    col3 = cs.filter(pl.col("received") & (pl.col("received_at") <= end))
    col7 = col3.filter(pl.col("ended_at").is_not_null() & (pl.col("ended_at") <= end))
    online = col45.filter(pl.col("channel") == 2)
    paper_no_e = online.filter((pl.col("yeu_cau_ket_qua_giay") == 1)
                               & pl.col("status").is_in([9, 10]) & ~pl.col("e_result")).height
    fee = col45.filter(pl.col("has_fee"))
    last_vneid = max((landing / "vneid").glob("*/vneid_*.csv"))
    v = pl.read_csv(last_vneid, infer_schema_length=0).with_columns(pl.all().exclude(
        "Mã ĐVHC", "Tên ĐVHC", "Ngày số liệu").cast(pl.Int64))
    return {
        "on_time_rate": 1 - col7["overdue"].sum() / col7.height,
        "online_rate": (online.height - paper_no_e) / col45.height,
        "online_payment_rate": fee["paid"].sum() / fee.height,
        "satisfaction_766": col7.filter(~pl.col("overdue") & (pl.col("rating").fill_null(1) != -1)).height / col7.height,
        "vneid_without_account": int((v["Công dân đủ điều kiện"] - v["Đã cấp mức 1"] - v["Đã cấp mức 2"]).sum()),
        "received": col45.height, "resolved": col7.height,
    }
