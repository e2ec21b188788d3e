"""Daily change extracts of the dossier system (sources.md §1), built column-wise with polars.

The file of day D holds one line per dossier that changed on D, in its state after its last
change of that day. Lines are sorted by NgayCapNhat, then MaHoSo.
"""

from __future__ import annotations

import gzip
import io
import unicodedata

import numpy as np
import polars as pl

from .calendar import day_num
from .province import PROCEDURES
from .reform import TWO_LEVEL_DATE
from .simulate import (
    C_A1,
    C_A2,
    C_B1,
    C_B2,
    C_END,
    C_HO,
    C_REC,
    C_REF,
    C_STOP,
    C_WD,
    C_WPRE,
    DAY,
    NONE,
    STATUS,
    Dossiers,
)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương",
          "Giáp", "Thân", "Hà", "Lương", "Chu", "Ngọ", "Lý", "Đào", "Trịnh"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thu", "Quang", "Thanh", "Xuân", "Công",
          "Hồng", "Kim", "Bảo", "Anh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Phong", "Phương",
         "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tuấn", "Việt", "Yến", "Hiếu", "Lộc"]


def _ascii(s: str) -> str:
    s = s.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


FAMILY_A = [_ascii(x) for x in FAMILY]
MIDDLE_A = [_ascii(x) for x in MIDDLE]
GIVEN_A = [_ascii(x) for x in GIVEN]

# fee fragments per procedure: variant 0 numbers, 1 one Gia as a numeric string, 2 exempt (Gia 0)
def _fee_frags() -> np.ndarray:
    out = []
    for i, p in enumerate(PROCEDURES):
        fee = p[11]
        code = p[0].split(".")[1][-3:]
        name = f"Lệ phí {p[1][0].lower()}{p[1][1:]}"[:60].rstrip(", ")
        for v in range(3):
            if fee <= 0:
                out.append("[]")
                continue
            g = 0 if v == 2 else fee
            gs = f'"{g}"' if v == 1 else str(g)
            items = [f'{{"MaPhiLePhi": "LP{code}", "TenPhiLePhi": "{name}", "Gia": {gs}, "LoaiPhiLePhi": 1}}']
            if fee >= 50000 and i % 3 == 0:
                f2 = fee // 5
                g2 = 0 if v == 2 else f2
                items.append(f'{{"MaPhiLePhi": "PH{code}", "TenPhiLePhi": "Phí thẩm định", "Gia": {g2}, "LoaiPhiLePhi": 2}}')
            out.append("[" + ", ".join(items) + "]")
    return np.array(out, dtype=object)


FEE_FRAGS = _fee_frags()


def _docs_frags() -> np.ndarray:
    out = []
    for combo in range(24):
        n_docs = combo // 8 + 1
        dig, reuse, dm = (combo >> 2) & 1, (combo >> 1) & 1, combo & 1
        items = []
        for j in range(n_docs):
            items.append(f'{{"MaThanhPhanHoSo": "TP{j + 1:02d}", "DuocSoHoa": {dig if j == 0 else dig & (j % 2)}, '
                         f'"DuocTaiSuDung": {reuse if j == n_docs - 1 else 0}, "DuocLayTuKhoDMQG": {dm if j == 0 else 0}}}')
        out.append("[" + ", ".join(items) + "]")
    return np.array(out, dtype=object)


DOCS_FRAGS = _docs_frags()
RESULT_NAMES = np.array([f"Kết quả {p[1][0].lower()}{p[1][1:]}"[:40].rstrip(", ") for p in PROCEDURES],
                        dtype=object)


def _ts(col: str) -> pl.Expr:
    return pl.from_epoch(pl.col(col), time_unit="s").dt.strftime("%Y%m%d%H%M%S")


def _q(e: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit('"'), e, pl.lit('"')])


def _opt_ts(col: str, set_col: str) -> pl.Expr:
    """A timestamp that may be unset: "" mostly, JSON null sometimes (as in real extracts)."""
    return (pl.when(pl.col(set_col)).then(_q(_ts(col)))
            .when(pl.col("nullish")).then(pl.lit("null")).otherwise(pl.lit('""')))


def _int(col: str, strmask: str) -> pl.Expr:
    v = pl.col(col).cast(pl.Utf8)
    return pl.when(pl.col(strmask)).then(_q(v)).otherwise(v)


def day_versions(ds: Dossiers, day: int, hi_idx: int):
    """(dossier index, version time offset, event column) of each dossier changed on `day`."""
    lo_t = day * DAY - ds.base
    rs, cs = [], []
    for b0 in range(0, hi_idx, 1 << 20):  # row blocks: bounded temporaries
        ev = ds.ev[b0:min(hi_idx, b0 + (1 << 20))]
        r, c = np.nonzero((ev - lo_t).view(np.uint32) < DAY)
        rs.append(r + b0)
        cs.append(c)
    r = np.concatenate(rs) if rs else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cs) if cs else np.zeros(0, dtype=np.int64)
    if len(r) == 0:
        return r, r, r
    # global row indices: index the whole array (ev is only the last block)
    key = ds.ev[r, c].astype(np.int64) * 16 + c
    starts = np.r_[0, np.nonzero(np.diff(r))[0] + 1]
    kmax = np.maximum.reduceat(key, starts)
    rows = r[starts]
    t = kmax // 16
    col = kmax % 16
    o = np.lexsort((rows, t))
    return rows[o], t[o], col[o]


def build_lines(ds: Dossiers, day: int, rows, t, col, seed: int) -> list[str]:
    rng = np.random.default_rng([seed, 1, int(day)])
    n = len(rows)
    b = ds.base
    ev = ds.ev[rows]

    def at(a):  # absolute seconds or null
        return np.where(a != NONE, a.astype(np.int64) + b, 0)

    def is_set(a):
        return (a != NONE) & (a <= t)

    p = ds.person[rows]
    ag = ds.agency[rows]
    agency_codes = np.array(ds.agency_codes, dtype=object)
    code_day = ds.code_day[rows].astype("datetime64[D]").astype(object)
    mahoso = [f"{a}-{d:%y%m%d}-{s:04d}" for a, d, s in zip(agency_codes[ag], code_day, ds.seq[rows])]
    proc = ds.proc[rows]
    fam, mid, giv = p[:, 0] % len(FAMILY), p[:, 1] % len(MIDDLE), p[:, 2] % len(GIVEN)
    mid = np.where((p[:, 3] & 1) == 1, np.where(mid == 1, 0, mid), mid)
    names = (np.array(FAMILY, dtype=object)[fam] + " " + np.array(MIDDLE, dtype=object)[mid] + " "
             + np.array(GIVEN, dtype=object)[giv])
    has_email = (p[:, 3] >> 1) % 100 < 45
    emails = (np.array(FAMILY_A, dtype=object)[fam] + "." + np.array(MIDDLE_A, dtype=object)[mid]
              + "." + np.array(GIVEN_A, dtype=object)[giv]
              + ((p[:, 3] >> 8) % 1000).astype(str).astype(object) + "@gmail.com")
    cccd = np.char.add("024", np.char.zfill(((p[:, 0].astype(np.int64) * 7919 + p[:, 2]) % 10**9).astype(str), 9))
    phone = np.char.add(np.array(["09", "03", "08", "07"])[p[:, 1] % 4],
                        np.char.zfill(((p[:, 1].astype(np.int64) * 104729 + p[:, 3]) % 10**8).astype(str), 8))
    end_like = np.minimum(np.minimum(ev[:, C_END], ev[:, C_STOP]), np.minimum(ev[:, C_WD], ev[:, C_WPRE]))
    status = STATUS[col]
    fee_v = np.where(ds.exempt[rows], 2, np.where(rng.random(n) < 0.12, 1, 0))
    refused = ev[:, C_REF] != NONE
    docs = np.where(refused & (rng.random(n) < 0.7), "[]", DOCS_FRAGS[ds.docs[rows]])
    res_id = (p[:, 0].astype(np.int64) * 31 + p[:, 1]) % 10**9
    df = pl.DataFrame({
        "MaHoSo": mahoso, "MaTTHC": np.array([q[0] for q in PROCEDURES], dtype=object)[proc],
        "MaCoQuan": agency_codes[ag], "kenh": ds.channel[rows], "ten": names,
        "cccd": cccd, "phone": phone, "email": emails, "has_email": has_email,
        "vneid": ds.vneid[rows], "nop": ds.t_sub[rows].astype(np.int64) + b,
        "tn": at(ev[:, C_REC]), "tn_set": is_set(ev[:, C_REC]),
        "hen": at(ds.appt0[rows]), "hen_set": is_set(ev[:, C_REC]),
        "status": status,
        "kt": at(end_like), "kt_set": is_set(end_like),
        "tra": at(ev[:, C_HO]), "tra_set": is_set(ev[:, C_HO]),
        "tc": at(ev[:, C_REF]), "tc_set": is_set(ev[:, C_REF]),
        "method": ds.method[rows], "paid": ds.paid[rows], "digit": ds.digit[rows],
        "fees": FEE_FRAGS[proc * 3 + fee_v], "docs": docs,
        "b1": at(ev[:, C_B1]), "b1_set": is_set(ev[:, C_B1]),
        "a1": at(ev[:, C_A1]), "a1_set": is_set(ev[:, C_A1]),
        "tr1": at(ds.truoc1[rows]), "m1": at(ds.moi1[rows]),
        "b2": at(ev[:, C_B2]), "b2_set": is_set(ev[:, C_B2]),
        "a2": at(ev[:, C_A2]), "a2_set": is_set(ev[:, C_A2]),
        "tr2": at(ds.truoc2[rows]), "m2": at(ds.moi2[rows]),
        "res_set": is_set(ev[:, C_END]), "res_name": RESULT_NAMES[proc],
        "res_code": (res_id % 10**6), "res_link": np.where(ds.eresult[rows], res_id, -1),
        "rating": ds.rating[rows], "rating_set": is_set(ev[:, C_HO]) & (ds.rating[rows] > -2),
        "capnhat": t.astype(np.int64) + b,
        "nullish": rng.random(n) < 0.2,
        "s_kenh": rng.random(n) < 0.13, "s_vneid": rng.random(n) < 0.13,
        "s_status": rng.random(n) < 0.11, "s_method": rng.random(n) < 0.1,
        "s_paid": rng.random(n) < 0.12, "s_rating": rng.random(n) < 0.12,
    })

    def entry(bc, ac, trc, mc, aset):
        return pl.concat_str([
            pl.lit('{"NgayBoSung": "'), _ts(bc), pl.lit('", "NgayTiepNhanBoSung": '),
            pl.when(pl.col(aset)).then(_q(_ts(ac))).otherwise(pl.lit("null")),
            pl.lit(', "NgayHenTraTruoc": "'), _ts(trc), pl.lit('", "NgayHenTraMoi": '),
            pl.when(pl.col(aset)).then(_q(_ts(mc))).otherwise(pl.lit('""')), pl.lit("}")])

    sup = (pl.when(pl.col("b2_set"))
           .then(pl.concat_str([pl.lit("["), entry("b1", "a1", "tr1", "m1", "a1_set"), pl.lit(", "),
                                entry("b2", "a2", "tr2", "m2", "a2_set"), pl.lit("]")]))
           .when(pl.col("b1_set"))
           .then(pl.concat_str([pl.lit("["), entry("b1", "a1", "tr1", "m1", "a1_set"), pl.lit("]")]))
           .otherwise(pl.lit("[]")))
    results = (pl.when(pl.col("res_set")).then(pl.concat_str([
        pl.lit('[{"TenGiayTo": "'), pl.col("res_name"), pl.lit('", "MaGiayToKetQua": "KQ'),
        pl.col("res_code").cast(pl.Utf8).str.zfill(6), pl.lit('", "DuongDanTepTinKetQua": "'),
        pl.when(pl.col("res_link") >= 0).then(pl.concat_str([
            pl.lit("https://dichvucong.bacgiang.gov.vn/ketqua/"), pl.col("res_link").cast(pl.Utf8),
            pl.lit(".pdf")])).otherwise(pl.lit("")),
        pl.lit('"}]')])).otherwise(pl.lit("[]")))
    # MaDonViTiepNhan: the system carries the field from TWO_LEVEL_DATE (Nghị định 118/2025),
    # "" unless the dossier was received at another agency's desk
    desk_part = []
    if day >= day_num(TWO_LEVEL_DATE):
        desk = ds.desk[rows]
        shown = (desk >= 0) & (is_set(ev[:, C_REC]) | is_set(ev[:, C_REF]))
        df = df.with_columns(desk=pl.Series(np.where(shown, agency_codes[np.maximum(desk, 0)], "")))
        desk_part = [pl.lit('", "MaDonViTiepNhan": "'), pl.col("desk")]
    line = pl.concat_str([
        pl.lit('{"MaHoSo": "'), pl.col("MaHoSo"), pl.lit('", "MaTTHC": "'), pl.col("MaTTHC"),
        pl.lit('", "MaCoQuan": "'), pl.col("MaCoQuan"), *desk_part, pl.lit('", "KenhThucHien": '),
        _int("kenh", "s_kenh"), pl.lit(', "ChuHoSo": "'), pl.col("ten"),
        pl.lit('", "SoGiayToChuHoSo": "'), pl.col("cccd"), pl.lit('", "SoDienThoai": "'),
        pl.col("phone"), pl.lit('", "Email": '),
        pl.when(pl.col("has_email")).then(_q(pl.col("email"))).otherwise(pl.lit("null")),
        pl.lit(', "TaiKhoanDuocXacThucVoiVNeID": '), _int("vneid", "s_vneid"),
        pl.lit(', "NgayNopHoSo": "'), _ts("nop"), pl.lit('", "NgayTiepNhan": '),
        _opt_ts("tn", "tn_set"), pl.lit(', "NgayHenTra": '), _opt_ts("hen", "hen_set"),
        pl.lit(', "TrangThaiHoSo": '), _int("status", "s_status"),
        pl.lit(', "NgayKetThucXuLy": '), _opt_ts("kt", "kt_set"),
        pl.lit(', "NgayTra": '), _opt_ts("tra", "tra_set"),
        pl.lit(', "NgayTuChoi": '), _opt_ts("tc", "tc_set"),
        pl.lit(', "HinhThucNhanKetQua": '), _int("method", "s_method"),
        pl.lit(', "DuocThanhToanTrucTuyen": '), _int("paid", "s_paid"),
        pl.lit(', "HoSoCoThanhPhanSoHoa": '), pl.col("digit").cast(pl.Utf8),
        pl.lit(', "DanhSachLePhi": '), pl.col("fees"),
        pl.lit(', "DanhSachHoSoBoSung": '), sup,
        pl.lit(', "DanhSachGiayToKetQua": '), results,
        pl.lit(', "TaiLieuNop": '), pl.col("docs"),
        pl.lit(', "DanhGia": '),
        pl.when(pl.col("rating_set")).then(_int("rating", "s_rating")).otherwise(pl.lit("null")),
        pl.lit(', "NgayCapNhat": "'), _ts("capnhat"), pl.lit('"}'),
    ])
    return df.select(line.alias("l"))["l"].to_list()


def write_lines(path, lines: list[str], gz: bool) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as g:
            g.write(data)
        path.write_bytes(buf.getvalue())
    else:
        path.write_bytes(data)
