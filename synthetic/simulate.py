"""Vectorised dossier lifecycles.

Each dossier gets a fixed row of event times (int32 seconds since `base`, NONE when the event
does not happen), one column per event kind below. A version of the dossier is the state
right after an event; the state at time t is derived from which event times are <= t, so the
daily writer never needs a per-dossier Python object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from . import reform
from .calendar import WorkCalendar, day_num, holidays
from .province import CENTRE, CHANGE_DATE, OFFICES, PROCEDURES, Province

NONE = np.int32(2**31 - 1)
DAY = 86400
# event columns and the status a dossier has right after each
C_SUB, C_REC, C_REF, C_WPRE, C_PROC, C_B1, C_A1, C_B2, C_A2, C_PAY, C_WD, C_STOP, C_END, C_HO = range(14)
STATUS = np.array([1, 2, 3, 7, 4, 5, 4, 5, 4, 6, 7, 8, 9, 10], dtype=np.int8)
N_EV = 14


@dataclass
class Knobs:
    """Calibration knobs (docs/synthetic.md). Defaults land the notice's H1-2024 figures."""
    level_share: tuple = (0.58, 0.27, 0.15)        # xa, huyen, tinh
    p_online_full: float = 0.864                   # toan_trinh procedures
    p_online_part: float = 0.777                   # mot_phan procedures
    p_post_offline: float = 0.07                   # of non-online, by post (BCCI)
    p_refuse_online: float = 0.03
    p_refuse_offline: float = 0.008
    p_withdraw_pre: float = 0.004                  # online, before reception
    p_withdraw: float = 0.005                      # after reception
    p_supplement: float = 0.12
    p_supplement2: float = 0.06                    # of answered first supplements
    p_answer: float = 0.965
    p_late: float = 0.010                          # ends after the appointment in force
    p_inflated: float = 0.05                       # appointment beyond the statutory date
    p_handover: float = 0.9
    p_rated: float = 0.6
    p_dissatisfied: float = 0.004                 # of rated
    p_neutral: float = 0.01
    p_eresult_online: float = 0.975                # paper-result procedures, online dossiers
    p_eresult_offline: float = 0.35
    p_pay_online: float = 0.460                    # fee dossiers submitted online
    p_pay_offline: float = 0.03
    p_fee_exempt: float = 0.05
    p_pay_request: float = 0.05                    # status 6 before the end
    p_vneid_auth: float = 0.7


@dataclass
class Dossiers:
    n: int
    base: int                      # absolute local seconds of offset 0
    ev: np.ndarray                 # (n, N_EV) int32
    t_sub: np.ndarray              # int32
    agency: np.ndarray             # int16 index into agency_codes
    proc: np.ndarray               # int16 index into procedures
    channel: np.ndarray            # int8
    code_day: np.ndarray           # int32 absolute day of MaHoSo date
    seq: np.ndarray                # int16
    appt0: np.ndarray              # int32 NgayHenTra (offset secs) or NONE
    truoc1: np.ndarray
    moi1: np.ndarray
    truoc2: np.ndarray
    moi2: np.ndarray
    method: np.ndarray             # HinhThucNhanKetQua
    paid: np.ndarray               # DuocThanhToanTrucTuyen
    exempt: np.ndarray             # bool, fee exempted
    digit: np.ndarray              # HoSoCoThanhPhanSoHoa
    docs: np.ndarray               # TaiLieuNop combo id
    eresult: np.ndarray            # bool
    rating: np.ndarray             # int8, -2 none
    vneid: np.ndarray              # int8
    person: np.ndarray             # (n, 4) int32 family, middle, given, misc random
    inflated: np.ndarray
    desk: np.ndarray               # int16 index of the receiving desk (MaDonViTiepNhan), -1 none
    agency_codes: list = field(default_factory=list)
    agency_names: list = field(default_factory=list)
    validity: reform.AgencyValidity | None = None


def _office_tod(rng, n):
    morning = rng.random(n) < 0.6
    return np.where(morning, rng.integers(7 * 3600 + 1800, 11 * 3600 + 1800, n),
                    rng.integers(13 * 3600 + 1800, 17 * 3600, n)).astype(np.int64)


def agency_table(prov: Province):
    codes, names = [], {}
    for r in prov.don_vi_rows:
        if r[0] not in names:
            codes.append(r[0])
        names[r[0]] = r[1]
    return codes, [names[c] for c in codes]


CHUNK = 100_000  # dossiers simulated at a time: bounds the temporaries (fixed: determinism)


def simulate(prov: Province, cal: WorkCalendar, start: date, end: date, n: int,
             seed: int, knobs: Knobs | None = None) -> Dossiers:
    """Simulate n dossiers in fixed-size chunks (own seeded stream each), then order them by
    submission time and number them (MaHoSo sequence per agency and day)."""
    codes, names = agency_table(prov)
    validity = reform.AgencyValidity(prov.don_vi_rows, codes)
    parts = []
    for c, lo in enumerate(range(0, n, CHUNK)):
        m = min(CHUNK, n - lo)
        parts.append(_chunk(prov, cal, start, end, m, np.random.default_rng([seed, 11, c]),
                            knobs or Knobs(), codes))
        # the 2025 map, from a stream of its own: dossiers before it are what they were
        _place_in_reformed_map(prov, validity, codes, parts[-1],
                               np.random.default_rng([seed, 13, c]))
    arrays = {}
    for key in list(parts[0]):  # pop as we go: never two full copies of everything
        chunks = [p.pop(key) for p in parts]
        arrays[key] = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
        del chunks
    del parts
    order = np.argsort(arrays["t_sub"], kind="stable")
    for key in arrays:
        arrays[key] = arrays[key][order]
    del order
    base = (day_num(start) - 1) * DAY
    code_day, agency = arrays["code_day"], arrays["agency"]
    key = agency.astype(np.int64) * 10**6 + (code_day.astype(np.int64) - day_num(start) + 1000)
    o = np.argsort(key, kind="stable")
    ks = key[o]
    first = np.r_[True, ks[1:] != ks[:-1]]
    grp_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    seq = np.empty(n, dtype=np.int16)
    seq[o] = ((np.arange(n) - grp_start) % 9999 + 1).astype(np.int16)
    return Dossiers(n=n, base=base, seq=seq, agency_codes=codes, agency_names=names,
                    validity=validity, **arrays)


TREND_FROM = date(2024, 1, 1)


def volume_factor(days: np.ndarray) -> np.ndarray:
    """Relative dossier volume of each day, whatever the range: +3% a month through 2024
    (then flat), and the merged province (from TWO_LEVEL_DATE) handles the former Bắc Ninh's
    dossiers too."""
    months = np.clip((days - day_num(TREND_FROM)) / 30.4, 0, 12)
    merged = np.where(days >= day_num(reform.TWO_LEVEL_DATE), 1 + reform.BN_POPULATION_RATIO, 1.0)
    return (1 + 0.03 * months) * merged


def default_dossiers(start: date, end: date, per_day: float) -> int:
    """The default count: `per_day` on an average day of H1 2024 (the notice's half-year),
    so that every range has the density of the default one on each of its days."""
    h1 = volume_factor(np.arange(day_num(TREND_FROM), day_num(date(2024, 6, 30)) + 1))
    days = volume_factor(np.arange(day_num(start), day_num(end) + 1))
    return round(per_day * float(days.sum()) / float(h1.mean()))


def _place_in_reformed_map(prov: Province, validity: reform.AgencyValidity, codes: list[str],
                           part: dict, rng: np.random.Generator) -> None:
    """Move the chunk's dossiers submitted from TWO_LEVEL_DATE onto the two-level map, follow
    successors for agencies that ended before a dossier's date (department mergers, district
    agencies), and draw the receiving desks (Nghị định 118/2025).
    A dossier submitted from TWO_LEVEL_DATE is placed in the new map (so the former Bắc Ninh's
    agencies only have dossiers submitted from that day); one submitted before keeps its
    agency unless that agency ended before the dossier's date (reorganisation.md: its
    reception date, its submission date when never received; a reception after the generated
    range is not in the files, so then the submission date): then it goes to the successor,
    so that every dossier's agency is valid on the dossier's date."""
    rf = prov.reform
    aidx = {c: i for i, c in enumerate(codes)}
    agency, level, day = part["agency"], part.pop("level"), part.pop("unit_day")
    n = len(agency)
    two_level = day_num(reform.TWO_LEVEL_DATE)
    post = part.pop("sub_day") >= two_level
    pop = np.array([nc["population"] for nc in rf.new_communes], dtype=float)
    new_ag = np.array([aidx[nc["agency"]] for nc in rf.new_communes])
    bn_share = pop[[nc["part"] == "BN" for nc in rf.new_communes]].sum() / pop.sum()
    u_part = rng.random(n)
    # communes: the new commune-level units of both territories, by population
    m = post & (level == 0)
    agency[m] = new_ag[rng.choice(len(pop), int(m.sum()), p=pop / pop.sum())]
    # former district procedures: land to the district's land-registry branch, the rest to a
    # new commune of the old district (by population); the former Bắc Ninh's share of them
    # to its old districts, by population
    dcodes = list(rf.districts)
    dist_of = np.full(len(codes), -1)
    land_of = np.zeros(len(codes), dtype=bool)
    for code, d in rf.district_of_agency.items():
        dist_of[aidx[code]] = dcodes.index(d)
        land_of[aidx[code]] = code.split(".")[2] == f"{reform.LAND_OFFICE}"
    m = post & (level == 1)
    dist = dist_of[agency]
    land = land_of[agency]
    bn = [k for k, c in enumerate(dcodes) if rf.districts[c]["part"] == "BN"]
    w_bn = np.array([rf.districts[dcodes[k]]["weight"] for k in bn])
    to_bn = m & (u_part < bn_share)
    dist = np.where(to_bn, np.array(bn)[rng.choice(len(bn), n, p=w_bn / w_bn.sum())], dist)
    for k, code in enumerate(dcodes):
        info = rf.districts[code]
        mk = m & (dist == k)
        agency[mk & land] = aidx[info["land"]]
        mc = mk & ~land
        ids = np.array(list(info["new"]))
        w = np.array([info["new"][i] for i in ids], dtype=float)
        agency[mc] = new_ag[ids[rng.choice(len(ids), int(mc.sum()), p=w / w.sum())]]
    # the provincial service centre: the former Bắc Ninh's share at its second site
    m = post & (level == 2) & (agency == aidx[CENTRE]) & (u_part < bn_share)
    agency[m] = aidx[reform.FORMER_CENTRE[0]]
    # successors of agencies that ended before the dossier's date
    agency[:] = validity.resolve(agency, day).astype(agency.dtype)
    # receiving desk: some dossiers handed in person from TWO_LEVEL_DATE, at any one-stop desk
    desks = np.r_[new_ag, aidx[CENTRE], aidx[reform.FORMER_CENTRE[0]]]
    w = np.r_[pop, 0.1 * pop.sum(), 0.1 * pop.sum()]
    drawn = desks[rng.choice(len(desks), n, p=w / w.sum())]
    elsewhere = ((day >= two_level) & part.pop("received_in_range") & (part["channel"] == 1)
                 & (rng.random(n) < reform.P_DESK_ELSEWHERE) & (drawn != agency))
    part["desk"] = np.where(elsewhere, drawn, -1).astype(np.int16)


def _chunk(prov: Province, cal: WorkCalendar, start: date, end: date, n: int,
           rng: np.random.Generator, k: Knobs, codes: list[str]) -> dict:
    aidx = {c: i for i, c in enumerate(codes)}
    d_start, d_end = day_num(start), day_num(end)
    base = (d_start - 1) * DAY
    procs = PROCEDURES
    p_level = np.array([{"xa": 0, "huyen": 1, "tinh": 2}[p[4]] for p in procs])
    p_pop = np.array([p[10] for p in procs], dtype=float)
    p_mode = np.array([{"toan_trinh": 0, "mot_phan": 1, "khong": 2}[p[5]] for p in procs])
    p_n = np.array([p[6] for p in procs])
    p_calendar_days = np.array([p[7] == "ngay" for p in procs])
    p_fee = np.array([p[11] for p in procs])

    # --- level, procedure, channel ------------------------------------------------------
    level = rng.choice(3, n, p=np.array(k.level_share) / sum(k.level_share))
    proc = np.empty(n, dtype=np.int16)
    for lv in range(3):
        m = level == lv
        ids = np.nonzero(p_level == lv)[0]
        w = p_pop[ids] / p_pop[ids].sum()
        proc[m] = ids[rng.choice(len(ids), int(m.sum()), p=w)]
    mode = p_mode[proc]
    p_on = np.where(mode == 0, k.p_online_full, np.where(mode == 1, k.p_online_part, 0.0))
    online = rng.random(n) < p_on
    channel = np.where(online, 2, np.where(rng.random(n) < k.p_post_offline, 3, 1)).astype(np.int8)

    # --- submission day: working days, quiet weekends/holidays, Tết rush and dip ---------
    days = np.arange(d_start, d_end + 1)
    work = cal.work[cal.idx(days)]
    w = np.where(work, 1.0, 0.22)
    tet = [day_num(date.fromisoformat(r[0])) for y in range(start.year, end.year + 1)
           for r in holidays(y) if r[2] == "Tết Nguyên đán"]
    if tet:
        for t0 in (min(tet[i:i + 5]) for i in range(0, len(tet), 5)):
            w = np.where((days >= t0 - 7) & (days < t0) & work, w * 1.35, w)
            w = np.where((days > t0 + 6) & (days <= t0 + 16) & work, w * 0.7, w)
    w = w * volume_factor(days)
    w_work = np.where(work, w, 0.0)
    sub_day = np.where(online, rng.choice(days, n, p=w / w.sum()),
                       rng.choice(days, n, p=w_work / w_work.sum()))
    on_tod = np.clip(rng.normal(14.5 * 3600, 4.2 * 3600, n), 0, DAY - 1).astype(np.int64)
    sub_tod = np.where(online, on_tod, _office_tod(rng, n))
    t_sub_abs = sub_day.astype(np.int64) * DAY + sub_tod

    # sort the whole population by submission time: index order = time order

    # --- agency -------------------------------------------------------------------------
    agency = np.empty(n, dtype=np.int16)
    comm_w = np.array([c["population"] for c in prov.communes], dtype=float)
    comm_ag = np.array([aidx[c["agency"]] for c in prov.communes])
    m = level == 0
    agency[m] = comm_ag[rng.choice(len(comm_ag), int(m.sum()), p=comm_w / comm_w.sum())]
    # district level: two eras around CHANGE_DATE
    dists = prov.districts
    after = sub_day >= day_num(CHANGE_DATE)
    w_before = np.array([d["weight"] for d in dists])
    w_after = w_before.copy()
    code_pos = {d["code"]: i for i, d in enumerate(dists)}
    w_after[code_pos["213"]] += w_after[code_pos["221"]]
    w_after[code_pos["221"]] = 0
    w_after[code_pos["224"]] = 0.4 * w_before[code_pos["219"]]
    w_after[code_pos["219"]] *= 0.6
    m = level == 1
    di = np.where(after[m], rng.choice(len(dists), int(m.sum()), p=w_after / w_after.sum()),
                  rng.choice(len(dists), int(m.sum()), p=w_before / w_before.sum()))
    field_office = {}
    for oo, _, fields in OFFICES:
        for f in fields:
            field_office[f] = oo
    p_office = np.array([field_office.get(p[3], 0) for p in procs])
    to_office = (rng.random(int(m.sum())) < 0.55) & (p_office[proc[m]] > 0)
    dd = np.array([d["dd"] for d in dists])[di]
    lut = {}
    for d in dists:
        lut[(d["dd"], 0)] = aidx[d["ubnd"]]
        for oo, _, _ in OFFICES:
            lut[(d["dd"], oo)] = aidx[f"000.{d['dd']}.{oo}.H04"]
    keys = dd * 100 + np.where(to_office, p_office[proc[m]], 0)
    lut_arr = np.zeros(100 * 100, dtype=np.int64)
    for (a, b), v in lut.items():
        lut_arr[a * 100 + b] = v
    agency[m] = lut_arr[keys]
    m = level == 2
    pub = np.array([aidx[p[9]] for p in procs])
    agency[m] = np.where(rng.random(int(m.sum())) < 0.2, aidx[CENTRE], pub[proc[m]])

    # --- reception ----------------------------------------------------------------------
    sub_work = cal.work[cal.idx(sub_day)]
    same = online & sub_work & (sub_tod < 16 * 3600) & (rng.random(n) < 0.6)
    same |= ~online
    next_wd = cal.wd_list[cal.cw[cal.idx(sub_day)]]  # first working day strictly after
    rec_day = np.where(same, sub_day, next_wd)
    delay = online & (rng.random(n) < 0.12)
    rec_day = np.where(delay, cal.wd_list[cal.cw[cal.idx(rec_day)]], rec_day)
    rec_tod = _office_tod(rng, n)
    span_left = np.maximum(17 * 3600 - sub_tod - 300, 600)
    rec_tod = np.where(same & online, sub_tod + 300 + (rng.random(n) * span_left).astype(np.int64),
                       rec_tod)
    rec_tod = np.where(~online, sub_tod + rng.integers(120, 1500, n), rec_tod)
    t_rec = rec_day.astype(np.int64) * DAY + rec_tod

    ev = np.full((n, N_EV), NONE, dtype=np.int32)

    def put(col, mask, t_abs):
        ev[mask, col] = (t_abs[mask] - base).astype(np.int32)

    put(C_SUB, online, t_sub_abs)
    u = rng.random(n)
    refused = u < np.where(online, k.p_refuse_online, k.p_refuse_offline)
    wpre = online & ~refused & (u < k.p_refuse_online + k.p_withdraw_pre)
    accepted = ~refused & ~wpre
    put(C_REF, refused, t_rec)
    put(C_WPRE, wpre, t_rec)
    put(C_REC, accepted, t_rec)
    proc_ev = accepted & (rng.random(n) < 0.75)
    t_proc = t_rec + rng.integers(900, 4 * 3600, n)
    put(C_PROC, proc_ev, t_proc)
    last_t = np.where(proc_ev, t_proc, t_rec)

    # --- statutory due date and appointment ------------------------------------------------
    nn = p_n[proc].astype(np.int64)
    cal_days = p_calendar_days[proc]

    def statutory(extra_wd, extra_days):
        by_wd = cal.wd_add(rec_day, nn + extra_wd)
        by_cal = cal.next_wd_on_or_after(rec_day + nn + extra_days)
        return np.where(cal_days, by_cal, by_wd)

    due0 = statutory(0, 0)
    inflated = accepted & (rng.random(n) < k.p_inflated)
    infl = np.where(inflated, rng.integers(1, 6, n), 0)

    def appoint(due_day):
        d = np.where(infl > 0, cal.wd_add(due_day, np.maximum(infl, 1)), due_day)
        return d.astype(np.int64) * DAY + 17 * 3600

    appt0 = appoint(due0)
    pos_rec = cal.wd_pos(rec_day)

    # --- outcome: withdraw / supplement / straight ----------------------------------------
    u = rng.random(n)
    withdraw = accepted & (u < k.p_withdraw)
    p_sup = k.p_supplement * np.where(p_n[proc] >= 7, 1.6, 0.8)
    sup1 = accepted & ~withdraw & (rng.random(n) < p_sup)
    span0 = np.maximum(cal.wd_between(rec_day, due0) - 1, 1)
    b1_day = cal.wd_at(pos_rec + 1 + (rng.random(n) * span0).astype(np.int64))
    t_b1 = b1_day.astype(np.int64) * DAY + _office_tod(rng, n)
    ans1 = sup1 & (rng.random(n) < k.p_answer)
    a1_day = cal.next_wd_on_or_after(b1_day + rng.geometric(0.3, n))
    t_a1 = a1_day.astype(np.int64) * DAY + _office_tod(rng, n)
    pause1_wd = cal.wd_between(b1_day, a1_day)
    pause1_d = a1_day - b1_day
    due1 = statutory(pause1_wd, pause1_d)
    moi1 = appoint(due1)
    sup2 = ans1 & (rng.random(n) < k.p_supplement2)
    span1 = np.maximum(cal.wd_between(a1_day, due1) - 1, 1)
    b2_day = cal.wd_at(cal.wd_pos(a1_day) + 1 + (rng.random(n) * span1).astype(np.int64))
    t_b2 = b2_day.astype(np.int64) * DAY + _office_tod(rng, n)
    ans2 = sup2 & (rng.random(n) < k.p_answer)
    a2_day = cal.next_wd_on_or_after(b2_day + rng.geometric(0.3, n))
    t_a2 = a2_day.astype(np.int64) * DAY + _office_tod(rng, n)
    due2 = statutory(pause1_wd + cal.wd_between(b2_day, a2_day), pause1_d + (a2_day - b2_day))
    moi2 = appoint(due2)
    put(C_B1, sup1, t_b1)
    put(C_A1, ans1, t_a1)
    put(C_B2, sup2, t_b2)
    put(C_A2, ans2, t_a2)
    last_t = np.where(ans1, t_a1, last_t)
    last_t = np.where(ans2, t_a2, last_t)

    unanswered = (sup1 & ~ans1) | (sup2 & ~ans2)
    t_lastb = np.where(sup2, t_b2, t_b1)
    stop_day = cal.next_wd_on_or_after(t_lastb // DAY + rng.integers(20, 46, n))
    t_stop = stop_day.astype(np.int64) * DAY + _office_tod(rng, n)
    gives_up = unanswered & (rng.random(n) < 0.3)
    put(C_WD, gives_up, t_stop)
    put(C_STOP, unanswered & ~gives_up, t_stop)
    wd_day = cal.wd_at(pos_rec + (rng.random(n) * (span0 + 1)).astype(np.int64))
    t_wd = np.maximum(wd_day.astype(np.int64) * DAY + _office_tod(rng, n), last_t + 600)
    put(C_WD, withdraw, t_wd)

    # --- end of processing ---------------------------------------------------------------
    ends = accepted & ~withdraw & ~unanswered
    appt_force = np.where(ans2, moi2, np.where(ans1, moi1, appt0))
    force_day = appt_force // DAY
    late = ends & (rng.random(n) < k.p_late)
    lo = cal.wd_pos(last_t // DAY)
    hi = np.maximum(cal.wd_pos(force_day), lo)
    frac = rng.beta(1.0, 2.4, n)
    end_pos = np.minimum(lo + (frac * (hi - lo + 1)).astype(np.int64), hi)
    end_pos = np.where(late, cal.wd_pos(force_day) + rng.integers(1, 9, n), end_pos)
    end_day = cal.wd_at(end_pos)
    t_end = np.maximum(end_day.astype(np.int64) * DAY + _office_tod(rng, n), last_t + 600)
    t_end = np.where(late, np.maximum(t_end, appt_force + 3600),
                     np.maximum(np.minimum(t_end, appt_force), last_t + 60))
    put(C_END, ends, t_end)
    has_fee_proc = p_fee[proc] > 0
    exempt = rng.random(n) < k.p_fee_exempt
    pay_req = ends & has_fee_proc & ~exempt & (rng.random(n) < k.p_pay_request) & (t_end - last_t > 120)
    put(C_PAY, pay_req, last_t + (t_end - last_t) // 2)

    # --- hand-over, rating ---------------------------------------------------------------
    ho = ends & (rng.random(n) < k.p_handover)
    u = rng.random(n)
    method = np.where(channel == 2, np.where(u < 0.55, 3, np.where(u < 0.95, 1, 2)),
                      np.where(channel == 3, np.where(u < 0.8, 2, 1),
                               np.where(u < 0.85, 1, np.where(u < 0.97, 2, 3)))).astype(np.int8)
    end_day_arr = t_end // DAY
    g = rng.geometric(0.55, n) - 1
    desk_day = np.where(g == 0, end_day_arr, cal.wd_add(end_day_arr, np.maximum(g, 1)))
    post_day = cal.wd_add(end_day_arr, np.minimum(1 + rng.poisson(2.5, n), 12))
    t_ho = np.where(method == 3, t_end + rng.integers(60, 3600, n),
                    np.where(method == 2, post_day.astype(np.int64) * DAY + _office_tod(rng, n),
                             np.where(g == 0, t_end + rng.integers(600, 7200, n),
                                      desk_day.astype(np.int64) * DAY + _office_tod(rng, n))))
    t_ho = np.maximum(t_ho, t_end + 60)
    put(C_HO, ho, t_ho)
    u = rng.random(n)
    rated = ho & (rng.random(n) < k.p_rated)
    rating = np.where(rated, np.where(u < k.p_dissatisfied, -1,
                                      np.where(u < k.p_dissatisfied + k.p_neutral, 0, 1)), -2)

    giay = np.array([p[8] for p in procs])[proc] == 1
    eresult = np.where(giay, rng.random(n) < np.where(online, k.p_eresult_online,
                                                      k.p_eresult_offline),
                       rng.random(n) < 0.9)
    paid = np.where(has_fee_proc & ~exempt & (rng.random(n) < np.where(
        online, k.p_pay_online, k.p_pay_offline)), np.where(rng.random(n) < 0.4, 1, 2), 0)
    digit = (rng.random(n) < np.where(online, 0.86, 0.6)).astype(np.int8)
    docs = (rng.integers(0, 3, n) * 8 + digit * 4 + (rng.random(n) < 0.35) * 2
            + (rng.random(n) < 0.2)).astype(np.int8)
    vneid = (online & (rng.random(n) < k.p_vneid_auth)).astype(np.int8)
    person = np.stack([rng.integers(0, 2**31 - 1, n) for _ in range(4)], axis=1).astype(np.int32)

    code_day = np.where(accepted | refused, rec_day, sub_day).astype(np.int32)

    def rel(a, mask):
        return np.where(mask, a - base, NONE).astype(np.int32)

    return {
        "ev": ev, "t_sub": (t_sub_abs - base).astype(np.int32), "agency": agency,
        "proc": proc, "channel": channel, "code_day": code_day,
        "appt0": rel(appt0, accepted), "truoc1": rel(appt0, sup1), "moi1": rel(moi1, ans1),
        "truoc2": rel(moi1, sup2), "moi2": rel(moi2, ans2), "method": method,
        "paid": paid.astype(np.int8), "exempt": exempt, "digit": digit, "docs": docs, "eresult": eresult,
        "rating": rating.astype(np.int8), "vneid": vneid, "person": person, "inflated": inflated,
        "level": level, "sub_day": sub_day,
        "unit_day": np.where(accepted & (rec_day <= d_end), rec_day, sub_day),
        "received_in_range": accepted & (rec_day <= d_end)}
