"""The national portal's 766 rules (spec portal_766.md) on the generator's own dossiers.

The portal's published `Điểm …` cells of the synthetic 766 report come from here, so that the
warehouse's recomputation (dbt `marts/portal_766`) matches them to the cent except where
synthetic/portal.py plants a difference. The rule table is the warehouse's own seed
(`dbt_project/seeds/rules_766.csv`): the numbers live there only.

Every flag is derived from the same event columns the daily extracts are written from
(synthetic/dossier_writer.py), at the state the last extract of the range shows (offset `T`),
which is the current state the warehouse reads. Times are int64 seconds from `ds.base`; an
event that has not happened by `T` is `LATER`, after every period end.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from .calendar import day_num, num_day
from .province import PROCEDURES
from .simulate import C_A1, C_A2, C_B1, C_B2, C_END, C_REC, C_STOP, C_WD, C_WPRE, DAY, Dossiers

RULES_CSV = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "rules_766.csv"
# group code -> the report's column (sources.md 2a), in the report's order
GROUP_COLUMNS = {"cong_khai": "Điểm Công khai", "tien_do": "Điểm Tiến độ", "dvctt": "Điểm DVCTT",
                 "thanh_toan": "Điểm Thanh toán", "so_hoa": "Điểm Số hóa", "hai_long": "Điểm Hài lòng"}
LATER = np.int64(1) << 40

# per procedure (index into PROCEDURES), as tthc.csv writes them
_PAPER = np.array([p[8] == 1 for p in PROCEDURES])
_FEE = np.array([p[11] > 0 for p in PROCEDURES])                      # co_phi = 1
_ONLINE_SERVICE = np.array([p[5] in ("toan_trinh", "mot_phan") for p in PROCEDURES])


@dataclass(frozen=True)
class Rule:
    indicator: str
    group: str
    max_points: float
    full_at: float
    formula: str


@lru_cache(maxsize=4)
def _rows(path: Path) -> tuple:
    with open(path, encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def rules_on(day: date, path: Path = RULES_CSV) -> dict[str, Rule]:
    """The rule of each indicator in force on `day` (a period is scored with the rule set valid
    on its last day); valid_to inclusive, empty = open."""
    out = {}
    for r in _rows(path):
        if r["valid_from"] <= day.isoformat() and (not r["valid_to"] or day.isoformat() <= r["valid_to"]):
            out[r["indicator_code"]] = Rule(r["indicator_code"], r["group_code"],
                                            float(r["max_points"]), float(r["full_at"]), r["formula"])
    return out


def points(rule: Rule | None, numerator, denominator, factor: float | None = 1.0) -> float | None:
    """max_points × min(1, rate / full_at), rate = numerator / denominator × factor (3.3's
    sync rate); None when the denominator is 0, the factor is unknown or the shape is not
    `linear`."""
    if rule is None or not denominator or factor is None or rule.formula != "linear":
        return None
    rate = numerator / denominator * factor
    return rule.max_points * min(1.0, rate / rule.full_at)


def group_points(rules: dict[str, Rule], indicator_points: dict[str, float | None]) -> dict[str, float | None]:
    """A group's points = the sum of its indicators' points, only when every indicator of the
    group has points (otherwise None: the group is not recomputed)."""
    out: dict[str, float | None] = {}
    for g in GROUP_COLUMNS:
        members = [c for c, r in rules.items() if r.group == g]
        vals = [indicator_points.get(c) for c in members]
        out[g] = sum(vals) if members and all(v is not None for v in vals) else None
    return out


@dataclass
class DossierFacts:
    """Per dossier, at the state offset T (the warehouse's current state)."""
    agency: np.ndarray
    proc: np.ndarray
    rec: np.ndarray           # NgayTiepNhan, LATER when not received
    end: np.ndarray           # NgayKetThucXuLy of an ended dossier, LATER otherwise
    due: np.ndarray           # NgayHenTra (portal_due_at)
    b: tuple                  # supplement requests (NgayBoSung) 1 and 2
    a: tuple                  # their answers (NgayTiepNhanBoSung)
    answered_at_end: np.ndarray
    online: np.ndarray
    e_result: np.ndarray      # a result entry with MaGiayToKetQua and a file link
    fee_counted: np.ndarray   # co_phi = 1, fee list not all zero
    paid: np.ndarray
    digitized: np.ndarray
    reused: np.ndarray
    doc_store: np.ndarray
    vneid: np.ndarray


def dossier_facts(ds: Dossiers, state_off: int) -> DossierFacts:
    ev = ds.ev

    def at(c):
        col = ev[:, c].astype(np.int64)
        return np.where(col <= state_off, col, LATER)

    rec = at(C_REC)
    end = np.minimum(np.minimum(at(C_END), at(C_STOP)), np.minimum(at(C_WD), at(C_WPRE)))
    b = (at(C_B1), at(C_B2))
    a = (at(C_A1), at(C_A2))
    answered = sum(np.where((bk <= end) & (ak <= end), np.maximum(ak - bk, 0), 0) for bk, ak in zip(b, a))
    proc = ds.proc.astype(np.int64)
    return DossierFacts(
        agency=ds.agency.astype(np.int64), proc=proc, rec=rec, end=end,
        due=ds.appt0.astype(np.int64), b=b, a=a, answered_at_end=answered,
        online=ds.channel == 2,
        # the writer emits the result entry from the end of processing (C_END) on, with a link
        # when eresult
        e_result=ds.eresult & (at(C_END) < LATER),
        fee_counted=_FEE[proc] & ~ds.exempt, paid=ds.paid > 0,
        # HoSoCoThanhPhanSoHoa = any DuocSoHoa (docs bit 2); DuocTaiSuDung bit 1; DMQG bit 0
        digitized=ds.digit == 1, reused=(ds.docs & 2) > 0, doc_store=(ds.docs & 1) > 0,
        vneid=ds.vneid == 1)


def at_period_end(f: DossierFacts, validity, last_day: int, n_agencies: int) -> DossierFacts:
    """The facts with each dossier under the agency the portal counts it under at the period's
    end (`last_day`, a day number): its MaCoQuan, or, when that agency ended before that day
    (a department merged on 2025-03-01, a district office on 2025-07-01), the successor that
    carries its dossiers on, followed while the successor ended too (`AgencyValidity.resolve`).
    The 766 report drills down to the agencies of its day, and the warehouse recomputes the
    agency rows the same way (dbt `int_portal_766__period_agencies`: the chain of
    ma_don_vi_ke_thua while the code's last row ended before period_end). `validity` None (no
    reform): unchanged."""
    if validity is None:
        return f
    moved = validity.resolve(np.arange(n_agencies), last_day).astype(np.int64)
    return replace(f, agency=moved[f.agency])


@dataclass
class MonthCounts:
    """Numerators and denominators of one month, per agency index (arrays) and the province."""
    agency: dict[str, tuple[np.ndarray, np.ndarray]]
    province: dict[str, tuple[int, int]]


def month_counts(f: DossierFacts, first_day: int, last_day: int, n_agencies: int,
                 base: int) -> MonthCounts:
    """2.1, 3.3 (before the sync factor), 3.6, 4.1–4.5 per agency (`f.agency`: pass the facts
    through `at_period_end` to count them as the portal and the warehouse do, under the agency
    in force at the period's end) and for the province; 3.1, 3.2, 3.5, 3.7 for the province.
    `first_day` and `last_day` are day numbers; E is 23:59:59 of `last_day`."""
    S = first_day * DAY - base
    E = (last_day + 1) * DAY - base - 1
    in_den = (f.rec <= E) & (f.end >= S)          # Biểu 06 column 3 (LATER when open)
    (b1, b2), a1 = f.b, f.a[0]
    n_req = (b1 <= E).astype(np.int8) + (b2 <= E)
    answered_e = sum(np.where((bk <= E) & (ak <= E), np.maximum(ak - bk, 0), 0) for bk, ak in zip(f.b, f.a))
    on_time = np.where(
        n_req > 1, False,
        np.where(f.end <= E, f.end - f.due <= f.answered_at_end,
                 np.where((n_req == 1) & (a1 > E), b1 <= f.due, E - f.due <= answered_e)))
    got = in_den & (f.rec >= S)                    # received in the month
    paper = _PAPER[f.proc]
    flags = {  # indicator: (numerator mask, denominator mask)
        "2.1": (in_den & on_time, in_den),
        "3.3": (got & f.online & (~paper | f.e_result), got),
        "3.6": (got & f.fee_counted & f.paid, got & f.fee_counted),
        "4.1": (got & paper & f.e_result, got & paper),
        "4.2": (got & f.digitized & (~paper | f.e_result), got),
        "4.3": (got & f.reused, got),
        "4.4": (got & f.doc_store, got),
        "4.5": (got & (f.vneid | f.doc_store), got),
    }
    agency, province = {}, {}
    for code, (num, den) in flags.items():
        nums = np.bincount(f.agency[num], minlength=n_agencies)
        dens = np.bincount(f.agency[den], minlength=n_agencies)
        agency[code] = (nums, dens)
        province[code] = (int(nums.sum()), int(dens.sum()))
    if in_den.any():  # the province has procedure-level rows in months it has dossiers in
        n_proc = len(PROCEDURES)

        def any_by_proc(mask):
            return np.bincount(f.proc[mask], minlength=n_proc) > 0

        province["3.1"] = (int(_ONLINE_SERVICE.sum()), n_proc)
        province["3.2"] = (int((_ONLINE_SERVICE & any_by_proc(got & f.online)).sum()), int(_ONLINE_SERVICE.sum()))
        province["3.5"] = (int((_FEE & any_by_proc(got & f.paid)).sum()), int(_FEE.sum()))
        province["3.7"] = (int((_FEE & any_by_proc(got & f.fee_counted)).sum()), int(_FEE.sum()))
    return MonthCounts(agency, province)


def unit_groups(rules: dict[str, Rule], counts: dict[str, tuple], sync: tuple[int, int] | None = None
                ) -> dict[str, float | None]:
    """Group points of one unit from its (numerator, denominator) per indicator; 3.3's rate is
    multiplied by the unit's sync rate (numerator, denominator of 1.4), None without one."""
    factor = (sync[0] / sync[1]) if sync and sync[1] else None
    pts = {c: points(rules.get(c), n, d, factor if c == "3.3" else 1.0) for c, (n, d) in counts.items()}
    return group_points(rules, pts)


def month_bounds(month: str, range_end: date) -> tuple[int, int, date]:
    """First and last day numbers of the month as the warehouse scores it (the last day is the
    range's end in the month that holds it) and that last day as a date."""
    y, m = int(month[:4]), int(month[5:])
    last = min(day_num(date(y + (m == 12), m % 12 + 1, 1)) - 1, day_num(range_end))
    return day_num(date(y, m, 1)), last, num_day(last)
