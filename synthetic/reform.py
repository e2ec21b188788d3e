"""The 2025 reform in the synthetic province (spec/reorganisation.md, docs/synthetic.md).

- MERGER_DATE 2025-03-01: provincial departments merge. A merged department's rows end on
  2025-02-28 with `ma_don_vi_ke_thua` = the absorbing department; an absorbing department
  whose name changed gets a new row from 2025-03-01 (same code).
- TWO_LEVEL_DATE 2025-07-01: the district level ends and communes merge; Bắc Giang (24)
  becomes the merged Bắc Ninh (code 24 kept, new name) and the former Bắc Ninh (27) joins.

`apply()` rewrites the reference rows of a built `Province` and records the tables the
simulation needs to place dossiers of the new map. Everything is plain Python on hundreds of
rows; draws come from the province's generator after all the pre-reform draws, so the units
of 2024 are exactly what they were before this module existed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

MERGER_DATE = date(2025, 3, 1)
TWO_LEVEL_DATE = date(2025, 7, 1)
BEFORE_MERGER = (MERGER_DATE - timedelta(days=1)).isoformat()
BEFORE_TWO_LEVEL = (TWO_LEVEL_DATE - timedelta(days=1)).isoformat()
FORMER_BAC_NINH = "27"
FORMER_SUFFIX = "H05"  # agency code suffix of the former Bắc Ninh's agencies

# Departments added to the province table because the mergers need them (no procedures of
# their own: they receive dossiers only as successors).
EXTRA_DEPARTMENTS = [
    ("000.00.06.H04", "Sở Khoa học và Công nghệ", "2008-01-01"),
    ("000.00.07.H04", "Ban Dân tộc tỉnh Bắc Giang", "2008-01-01"),
]
# merged department -> absorbing department (reorganisation.md's examples)
DEPARTMENT_MERGERS = {
    "000.00.17.H04": "000.00.16.H04",  # Giao thông vận tải -> Xây dựng
    "000.00.12.H04": "000.00.13.H04",  # Kế hoạch và Đầu tư -> Tài chính
    "000.00.15.H04": "000.00.19.H04",  # Tài nguyên và Môi trường -> Nông nghiệp và Môi trường
    "000.00.05.H04": "000.00.06.H04",  # Thông tin và Truyền thông -> Khoa học và Công nghệ
    "000.00.18.H04": "000.00.10.H04",  # Lao động - TB&XH -> Nội vụ
}
# absorbing (or renamed) departments whose name changes on MERGER_DATE
DEPARTMENT_RENAMES = {
    "000.00.19.H04": "Sở Nông nghiệp và Môi trường",
    "000.00.07.H04": "Sở Dân tộc và Tôn giáo",
}
NEW_PROVINCE_NAME = "Tỉnh Bắc Ninh"
CENTRE_NEW_NAME = "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh"
FORMER_CENTRE = ("000.00.01.H05", "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh - Cơ sở 2")

# The new Bắc Ninh has 99 commune-level units (66 communes, 33 wards): 57 on the territory of
# Bắc Giang, 42 on that of the former Bắc Ninh. The generator carries all 99.
NEW_UNITS_BG, NEW_UNITS_BN = 57, 42
NEW_WARDS, NEW_COMMUNES = 33, 66
URBAN_BG = ("213", "222", "224")  # their new units are wards
# Former Bắc Ninh: (ma_dvhc, name, agency number dd, old communes); wards are given to the
# new units of the first districts in this order until the 33 wards are reached
BN_DISTRICTS = [
    ("256", "Thành phố Bắc Ninh", 21, 19),
    ("261", "Thành phố Từ Sơn", 25, 12),
    ("262", "Thị xã Thuận Thành", 26, 18),
    ("259", "Thị xã Quế Võ", 23, 21),
    ("260", "Huyện Tiên Du", 24, 14),
    ("258", "Huyện Yên Phong", 22, 14),
    ("263", "Huyện Gia Bình", 27, 14),
    ("264", "Huyện Lương Tài", 28, 14),
]
BN_FIRST_COMMUNE = 9169
BN_POPULATION_RATIO = 0.78  # former Bắc Ninh / Bắc Giang (1.49 M / 1.92 M inhabitants)
LAND_OFFICE = 10  # district office Tài nguyên và Môi trường -> provincial land-registry branch
LAND_DEPARTMENT = "000.00.19.H04"
P_DESK_ELSEWHERE = 0.15  # in-person dossiers from TWO_LEVEL_DATE received at another desk


@dataclass
class Reform:
    new_communes: list[dict] = field(default_factory=list)   # code, name, agency, population, part
    bg_old_to_new: dict[str, int] = field(default_factory=dict)  # old commune -> new index
    bn_old: list[dict] = field(default_factory=list)          # code, name, district, population, new
    # old district code -> {"land": branch agency, "new": {new unit index: population of the
    # district in it}, "seat": new unit index, "part": "BG"/"BN", "weight": population (BN)}
    districts: dict[str, dict] = field(default_factory=dict)
    district_of_agency: dict[str, str] = field(default_factory=dict)  # district agency -> district


def _largest_remainder(total: int, w: list[float]) -> list[int]:
    w = np.asarray(w, dtype=float)
    raw = total * w / w.sum()
    base = np.maximum(np.floor(raw).astype(int), 1)
    while base.sum() < total:
        base[int(np.argmax(raw - base))] += 1
    while base.sum() > total:
        base[int(np.argmax(np.where(base > 1, base - raw, -1e9)))] -= 1
    return base.tolist()


def _groups(codes: list, k: int) -> list[list]:
    """Split codes (in order) into k consecutive groups of near-equal size."""
    bounds = np.linspace(0, len(codes), k + 1).round().astype(int)
    return [codes[bounds[i]:bounds[i + 1]] for i in range(k)]


def _end_open_rows(rows: list[list], code: str, last_day: str, successor: str = "") -> None:
    """End the open row of `code` (dvhc or don_vi: validity end and successor are the last two
    columns of both)."""
    for r in rows:
        if r[0] == code and r[-2] == "":
            r[-2] = last_day
            r[-1] = successor


def _lower_first(s: str) -> str:
    return s[0].lower() + s[1:]


def apply(prov, rng: np.random.Generator, new_name) -> Reform:
    """Add the reform to prov.dvhc_rows / prov.don_vi_rows (8 columns, the last the successor)
    and return the placement tables. `new_name()` draws an unused commune name."""
    from .province import CENTRE, CHANGE_DATE, OFFICES, PROVINCE_CODE

    ref = Reform()
    dv = [list(r) + [""] * (8 - len(r)) for r in prov.don_vi_rows]
    ah = [list(r) for r in prov.dvhc_rows]

    # --- 2024-12-01 (already in province.py): give the ceased Yên Dũng agencies successors
    for r in dv:
        if r[2] == "huyen" and r[3] == "221" and r[6]:
            r[7] = "000.00.21.H04" if r[0] == "000.00.28.H04" else r[0].replace("000.28.", "000.21.")

    # --- 2025-03-01: department mergers ----------------------------------------------------
    for code, name, since in EXTRA_DEPARTMENTS:
        dv.append([code, name, "tinh", PROVINCE_CODE, "", since, "", ""])
    for merged, into in DEPARTMENT_MERGERS.items():
        _end_open_rows(dv, merged, BEFORE_MERGER, into)
    for code, name in DEPARTMENT_RENAMES.items():
        old = next(r for r in dv if r[0] == code and r[6] == "")
        old[6] = BEFORE_MERGER
        dv.append([code, name, "tinh", old[3], old[4], MERGER_DATE.isoformat(), "", ""])

    # --- 2025-07-01: the province -----------------------------------------------------------
    two = TWO_LEVEL_DATE.isoformat()
    _end_open_rows(ah, PROVINCE_CODE, BEFORE_TWO_LEVEL)
    ah.append([PROVINCE_CODE, NEW_PROVINCE_NAME, "tinh", "", two, "", ""])
    ah.append([FORMER_BAC_NINH, "Tỉnh Bắc Ninh", "tinh", "", "1997-01-01", BEFORE_TWO_LEVEL,
               PROVINCE_CODE])
    centre = next(r for r in dv if r[0] == CENTRE and r[6] == "")
    centre[6] = BEFORE_TWO_LEVEL
    dv.append([CENTRE, CENTRE_NEW_NAME, "tinh", PROVINCE_CODE, "", two, "", ""])
    dv.append([FORMER_CENTRE[0], FORMER_CENTRE[1], "tinh", PROVINCE_CODE, CENTRE, two, "", ""])

    # --- Bắc Giang territory: communes valid on 2025-06-30, by district -----------------------
    bg_by_district: dict[str, list[dict]] = {}
    for c in prov.communes:
        d = c.get("new_district", c["district"])
        bg_by_district.setdefault(d, []).append(c)
    bg_districts = [d for d in prov.districts if d["code"] in bg_by_district]
    counts = _largest_remainder(NEW_UNITS_BG, [len(bg_by_district[d["code"]]) for d in bg_districts])
    bg_wards = sum(k for d, k in zip(bg_districts, counts) if d["code"] in URBAN_BG)
    for d, k in zip(bg_districts, counts):
        comms = sorted(bg_by_district[d["code"]], key=lambda c: c["code"])
        info = {"part": "BG", "weight": 0.0, "new": {}, "name": d["name"],
                "seat": None, "dd": d["dd"]}
        for group in _groups(comms, k):
            level = "Phường" if d["code"] in URBAN_BG else "Xã"
            idx = len(ref.new_communes)
            keep = group[0]
            ref.new_communes.append({
                "code": keep["code"], "name": f"{level} {new_name()}", "agency": keep["agency"],
                "population": sum(c["population"] for c in group), "part": "BG",
                "old": [c["code"] for c in group]})
            for c in group:
                ref.bg_old_to_new[c["code"]] = idx
                info["new"][idx] = info["new"].get(idx, 0) + c["population"]
        info["seat"] = ref.bg_old_to_new[comms[0]["code"]]
        ref.districts[d["code"]] = info

    # --- former Bắc Ninh: old districts and communes (dvhc only: their agencies and history
    # stayed in the other system), then its new units --------------------------------------
    bn_counts = _largest_remainder(NEW_UNITS_BN, [n for *_, n in BN_DISTRICTS])
    bn_wards_left = NEW_WARDS - bg_wards
    first = BN_FIRST_COMMUNE
    bg_pop = sum(c["population"] for c in prov.communes)
    n_bn_old = sum(n for *_, n in BN_DISTRICTS)
    pops = rng.lognormal(np.log(9000), 0.35, n_bn_old)
    pops = (pops * BN_POPULATION_RATIO * bg_pop / pops.sum()).astype(int)
    j = 0
    for (dcode, dname, dd, n_old), k in zip(BN_DISTRICTS, bn_counts):
        ah.append([dcode, dname, "huyen", FORMER_BAC_NINH, "1997-01-01", BEFORE_TWO_LEVEL, ""])
        old = []
        for i in range(n_old):
            code = f"{first:05d}"
            first += 3
            urban = dcode in ("256", "261") or (i < 6 and dcode in ("262", "259"))
            name = f"{'Phường' if urban else 'Xã'} {new_name()}"
            old.append({"code": code, "name": name, "district": dcode, "population": int(pops[j])})
            j += 1
        info = {"part": "BN", "weight": float(sum(c["population"] for c in old)),
                "new": {}, "name": dname, "seat": None, "dd": dd}
        for group in _groups(old, k):
            level = "Phường" if bn_wards_left > 0 else "Xã"
            bn_wards_left -= level == "Phường"
            idx = len(ref.new_communes)
            keep = group[0]
            ref.new_communes.append({
                "code": keep["code"], "name": f"{level} {new_name()}",
                "agency": f"{keep['code'][-3:]}.{dd}.{dd}.{FORMER_SUFFIX}",
                "population": sum(c["population"] for c in group), "part": "BN",
                "old": [c["code"] for c in group]})
            for c in group:
                c["new"] = idx
                info["new"][idx] = info["new"].get(idx, 0) + c["population"]
        info["seat"] = old[0]["new"]
        ref.bn_old += old
        ref.districts[dcode] = info
    for c in ref.bn_old:
        ah.append([c["code"], c["name"], "xa", c["district"], "1997-01-01", BEFORE_TWO_LEVEL,
                   "" if ref.new_communes[c["new"]]["code"] == c["code"]
                   else ref.new_communes[c["new"]]["code"]])
    assert sum(nc["name"].startswith("Phường") for nc in ref.new_communes) == NEW_WARDS

    # --- the end of the district level -------------------------------------------------------
    for d in bg_districts:
        _end_open_rows(ah, d["code"], BEFORE_TWO_LEVEL)
    # old Bắc Giang communes: the kept code continues under the province, the others end
    # with the kept code as successor (dvhc and don_vi alike)
    new_by_code = {nc["code"]: nc for nc in ref.new_communes}
    for c in prov.communes:
        nc = ref.new_communes[ref.bg_old_to_new[c["code"]]]
        heir = "" if nc["code"] == c["code"] else nc["code"]
        _end_open_rows(ah, c["code"], BEFORE_TWO_LEVEL, heir)
        _end_open_rows(dv, c["agency"], BEFORE_TWO_LEVEL, "" if not heir else nc["agency"])
    for nc in ref.new_communes:
        ah.append([nc["code"], nc["name"], "xa", PROVINCE_CODE, two, "", ""])
        dv.append([nc["agency"], f"UBND {_lower_first(nc['name'])}", "xa", nc["code"], "", two,
                   "", ""])
    assert len(new_by_code) == len(ref.new_communes) == NEW_UNITS_BG + NEW_UNITS_BN

    # land-registry branches (provincial, under the department of agriculture and
    # environment): one per old district of both territories
    for code, info in ref.districts.items():
        suffix = "H04" if info["part"] == "BG" else FORMER_SUFFIX
        info["land"] = f"000.{info['dd']}.20.{suffix}"
        short = info["name"]
        for kind in ("Thành phố ", "Thị xã ", "Huyện "):
            short = short.removeprefix(kind)
        dv.append([info["land"], f"Chi nhánh Văn phòng đăng ký đất đai khu vực {short}", "tinh",
                   PROVINCE_CODE, LAND_DEPARTMENT, two, "", ""])
    # district agencies of Bắc Giang valid on 2025-06-30 end with successors: the land office
    # -> the district's land-registry branch; the People's Committee and its other offices ->
    # the People's Committee of the new commune holding the district's first commune (seat)
    for d in bg_districts:
        info = ref.districts[d["code"]]
        seat_agency = ref.new_communes[info["seat"]]["agency"]
        ubnd = d["ubnd"]
        _end_open_rows(dv, ubnd, BEFORE_TWO_LEVEL, seat_agency)
        ref.district_of_agency[ubnd] = d["code"]
        for oo, _, _ in OFFICES:
            code = f"000.{d['dd']}.{oo}.H04"
            _end_open_rows(dv, code, BEFORE_TWO_LEVEL, info["land"] if oo == LAND_OFFICE else seat_agency)
            ref.district_of_agency[code] = d["code"]

    prov.don_vi_rows = [tuple(r) for r in dv]
    prov.dvhc_rows = [tuple(r) for r in ah]
    assert CHANGE_DATE < MERGER_DATE < TWO_LEVEL_DATE
    return ref


class AgencyValidity:
    """Per agency index: first and last valid day (day numbers), successor index of its last
    row (-1 none), and the name of its row valid on a day."""

    def __init__(self, don_vi_rows, codes: list[str]):
        from .calendar import day_num
        idx = {c: i for i, c in enumerate(codes)}
        n = len(codes)
        self.first = np.full(n, 10**7, dtype=np.int64)
        self.last = np.full(n, -1, dtype=np.int64)
        self.succ = np.full(n, -1, dtype=np.int64)
        self.rows: list[list[tuple[int, int, str]]] = [[] for _ in range(n)]
        for r in don_vi_rows:
            i = idx[r[0]]
            f = day_num(date.fromisoformat(r[5]))
            t = day_num(date.fromisoformat(r[6])) if r[6] else 10**7
            self.first[i] = min(self.first[i], f)
            if t > self.last[i]:
                self.last[i] = t
                self.succ[i] = idx[r[7]] if len(r) > 7 and r[7] else -1
            self.rows[i].append((f, t, r[1]))

    def resolve(self, agency: np.ndarray, day) -> np.ndarray:
        """Follow successors while the agency has ended before `day` (array or scalar)."""
        a = agency.astype(np.int64)
        for _ in range(6):
            move = (day > self.last[a]) & (self.succ[a] >= 0)
            if not move.any():
                break
            a = np.where(move, self.succ[a], a)
        return a

    def names_on(self, day: int) -> list[str]:
        """The name of each agency's row valid on `day` (else its last row started before,
        else its first row)."""
        out = []
        for rows in self.rows:
            valid = [r for r in rows if r[0] <= day <= r[1]]
            before = sorted(r for r in rows if r[0] <= day)
            out.append((valid or before[-1:] or sorted(rows)[:1])[0][2])
        return out
