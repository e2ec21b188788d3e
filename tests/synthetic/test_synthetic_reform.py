"""The synthetic province crosses the 2025 reform (spec/reorganisation.md), read from the files:
the department mergers of 1 March 2025, the end of the district level, the commune mergers and
the merged Bắc Ninh of 1 July 2025, and the receiving desks of Nghị định 118/2025."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from synthetic import generate

MERGED = {"000.00.17.H04": "000.00.16.H04", "000.00.12.H04": "000.00.13.H04",
          "000.00.15.H04": "000.00.19.H04", "000.00.05.H04": "000.00.06.H04",
          "000.00.18.H04": "000.00.10.H04"}
OPEN = "9999-12-31"


@pytest.fixture(scope="module")
def merger(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("merger") / "landing"
    generate(out, start=date(2025, 2, 24), end=date(2025, 3, 7), dossiers=3000)
    return out


@pytest.fixture(scope="module")
def two_level(tmp_path_factory) -> Path:
    # to Tuesday 8 July: a VNeID snapshot on each side (30 June, 7 July), two portal months
    out = tmp_path_factory.mktemp("two_level") / "landing"
    generate(out, start=date(2025, 6, 24), end=date(2025, 7, 8), dossiers=3000)
    return out


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("whole") / "landing"
    generate(out, start=date(2024, 1, 1), end=date(2026, 12, 31), dossiers=1500)
    return out


def _rows(path: Path, delimiter=",") -> list[dict]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _ref(landing: Path, name: str) -> list[dict]:
    return _rows(landing / "reference" / name)


def _iso(ts: str | None) -> str | None:
    return f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}" if ts else None


def _lines(landing: Path) -> list[tuple[str, dict]]:
    """(file day, parsed line) of every extract line, in file order."""
    out = []
    for f in sorted((landing / "dossier_system").rglob("hoso_*")):
        raw = gzip.decompress(f.read_bytes()) if f.name.endswith(".gz") else f.read_bytes()
        out += [(f.parent.name, json.loads(x)) for x in raw.decode("utf-8").splitlines()]
    return out


def _current(landing: Path) -> dict[str, dict]:
    """The last version of each dossier (files and lines are in time order)."""
    return {r["MaHoSo"]: r for _, r in _lines(landing)}


def _dossier_date(r: dict) -> str:
    """reorganisation.md: the reception date, the submission date if never received."""
    return _iso(r["NgayTiepNhan"]) or _iso(r["NgayNopHoSo"])


def _valid(rows: list[dict], key: str, code: str, day: str) -> dict | None:
    for r in rows:
        if r[key] == code and r["hieu_luc_tu"] <= day <= (r["hieu_luc_den"] or OPEN):
            return r
    return None


def _units_of(dvhc: list[dict], province: str, cap: str, day: str) -> set[str]:
    valid = {r["ma_dvhc"]: r for r in dvhc if r["hieu_luc_tu"] <= day <= (r["hieu_luc_den"] or OPEN)}

    def top(c):
        while valid[c]["ma_dvhc_cha"]:
            c = valid[c]["ma_dvhc_cha"]
        return c
    return {c for c, r in valid.items() if r["cap"] == cap and top(c) == province}


def _agencies_valid_on(don_vi: list[dict], day: str) -> set[str]:
    return {r["ma_don_vi"] for r in don_vi if r["hieu_luc_tu"] <= day <= (r["hieu_luc_den"] or OPEN)}


# --- 1 March 2025: departments ------------------------------------------------------------

def test_merged_departments_have_successors_and_no_dossiers_after_the_merger(merger):
    don_vi = _ref(merger, "don_vi.csv")
    for code, into in MERGED.items():
        rows = [r for r in don_vi if r["ma_don_vi"] == code]
        last = max(rows, key=lambda r: r["hieu_luc_tu"])
        assert last["hieu_luc_den"] == "2025-02-28" and last["ma_don_vi_ke_thua"] == into
        assert _valid(don_vi, "ma_don_vi", into, "2025-03-01")
    renamed = _valid(don_vi, "ma_don_vi", "000.00.19.H04", "2025-03-01")
    assert renamed["ten_don_vi"] == "Sở Nông nghiệp và Môi trường"
    assert renamed["hieu_luc_tu"] == "2025-03-01"
    assert _valid(don_vi, "ma_don_vi", "000.00.19.H04", "2025-02-28")["ma_don_vi_ke_thua"] == ""
    assert _valid(don_vi, "ma_don_vi", "000.00.07.H04", "2025-03-01")["ten_don_vi"] == "Sở Dân tộc và Tôn giáo"

    dated = Counter()
    for r in _current(merger).values():
        if r["MaCoQuan"] in MERGED or r["MaCoQuan"] in MERGED.values():
            dated[(r["MaCoQuan"] in MERGED, _dossier_date(r) >= "2025-03-01")] += 1
    assert dated[(True, True)] == 0, "a merged department has dossiers dated after the merger"
    assert dated[(True, False)] > 0 and dated[(False, True)] > 0, dated


def test_every_dossier_agency_is_valid_on_the_dossier_date(merger, two_level):
    for landing in (merger, two_level):
        don_vi = _ref(landing, "don_vi.csv")
        for r in _current(landing).values():  # the state the warehouse reads at the end
            assert _valid(don_vi, "ma_don_vi", r["MaCoQuan"], _dossier_date(r)), r["MaHoSo"]


def test_portal_reports_the_units_of_their_month(merger):
    feb = _rows(merger / "dvc_portal/2025-02/dvcqg_dongbo_2025-02.csv")
    assert any(r["MaCoQuan"] in MERGED for r in feb)
    ws = openpyxl.load_workbook(merger / "dvc_portal/2025-02/dvcqg_766_2025-02.xlsx")["TongHop"]
    assert any(row[1] in MERGED for row in ws.iter_rows(min_row=7, values_only=True))
    march = _rows(merger / "dvc_portal/2025-03/dvcqg_766_2025-03.csv", delimiter=";")
    don_vi = _ref(merger, "don_vi.csv")
    names = {r["Mã đơn vị"]: r["Tên đơn vị"] for r in march if r["Mã đơn vị"]}
    assert not set(names) & set(MERGED)
    for code, name in names.items():
        assert _valid(don_vi, "ma_don_vi", code, "2025-03-31")["ten_don_vi"] == name


# --- 1 July 2025: two levels, merged communes, the merged Bắc Ninh ------------------------------

def test_no_district_agency_after_june_2025_and_every_one_has_a_successor(two_level):
    don_vi = _ref(two_level, "don_vi.csv")
    huyen = [r for r in don_vi if r["cap"] == "huyen"]
    assert huyen
    for r in huyen:
        assert r["hieu_luc_den"] and r["hieu_luc_den"] <= "2025-06-30", r
    last = {}
    for r in sorted(huyen, key=lambda r: r["hieu_luc_tu"]):
        last[r["ma_don_vi"]] = r  # a code's earlier rows end by a rename (Việt Yên), not a merger
    for r in last.values():
        succ = r["ma_don_vi_ke_thua"]
        assert succ, r  # every ended district agency has a successor
        if r["hieu_luc_den"] == "2025-06-30":  # a provincial branch or a commune's centre
            assert _valid(don_vi, "ma_don_vi", succ, "2025-07-01")["cap"] in ("tinh", "xa")
    assert any(r["ma_don_vi_ke_thua"].split(".")[2] == "20" for r in huyen)  # land-registry branches
    dvhc = _ref(two_level, "dvhc.csv")
    assert not [r for r in dvhc if r["cap"] == "huyen" and (r["hieu_luc_den"] or OPEN) > "2025-06-30"]
    for _, r in _lines(two_level):
        if _dossier_date(r) >= "2025-07-01":
            assert _valid(don_vi, "ma_don_vi", r["MaCoQuan"], _dossier_date(r))["cap"] != "huyen"


def test_communes_merge_under_the_province(two_level):
    dvhc = _ref(two_level, "dvhc.csv")
    new = [r for r in dvhc if r["cap"] == "xa" and r["hieu_luc_tu"] == "2025-07-01"]
    assert len(new) == 99 and all(r["ma_dvhc_cha"] == "24" for r in new)
    kinds = Counter(r["ten_dvhc"].split(" ")[0] for r in new)
    assert kinds == {"Xã": 66, "Phường": 33}
    new_codes = {r["ma_dvhc"] for r in new}
    ended = [r for r in dvhc if r["cap"] == "xa" and r["hieu_luc_den"] == "2025-06-30"]
    assert len(ended) > 300  # the old communes of Bắc Giang and of the former Bắc Ninh
    for r in ended:
        heir = r["ma_dvhc_ke_thua"] or r["ma_dvhc"]  # a kept code continues as the new unit
        assert heir in new_codes, r


def test_code_24_is_bac_ninh_from_july_2025_and_27_joins_it(two_level):
    dvhc = _ref(two_level, "dvhc.csv")
    assert _valid(dvhc, "ma_dvhc", "24", "2025-06-30")["ten_dvhc"] == "Tỉnh Bắc Giang"
    now = _valid(dvhc, "ma_dvhc", "24", "2025-07-01")
    assert now["ten_dvhc"] == "Tỉnh Bắc Ninh" and now["hieu_luc_tu"] == "2025-07-01"
    old = [r for r in dvhc if r["ma_dvhc"] == "27"]
    assert len(old) == 1 and old[0]["hieu_luc_den"] == "2025-06-30" and old[0]["ma_dvhc_ke_thua"] == "24"
    assert _valid(dvhc, "ma_dvhc", "24", "2026-12-31")["ten_dvhc"] == "Tỉnh Bắc Ninh"


def test_former_bac_ninh_agencies_have_dossiers_from_july_2025_only(two_level):
    dvhc = _ref(two_level, "dvhc.csv")
    don_vi = _ref(two_level, "don_vi.csv")
    bn_units = _units_of(dvhc, "27", "xa", "2025-06-30")
    former = {r["ma_don_vi"] for r in don_vi
              if r["ma_dvhc"] in bn_units or r["ma_don_vi"].endswith(".H05")}
    assert len(former) > 40
    assert all(_valid(don_vi, "ma_don_vi", c, "2025-06-30") is None for c in former)
    seen = 0
    for day, r in _lines(two_level):
        if r["MaCoQuan"] in former:
            seen += 1
            assert day >= "2025-07-01" and _iso(r["NgayNopHoSo"]) >= "2025-07-01", r["MaHoSo"]
    assert seen > 200
    # the merged province's volume is about the sum of both: a week of submissions each side
    weeks = Counter()
    for r in _current(two_level).values():
        d = _iso(r["NgayNopHoSo"])
        if "2025-06-24" <= d <= "2025-06-30":
            weeks["before"] += 1
        elif "2025-07-01" <= d <= "2025-07-07":
            weeks["after"] += 1
    assert 1.5 <= weeks["after"] / weeks["before"] <= 2.1, weeks


def test_receiving_desks_other_than_the_agency_only_from_july_2025(two_level):
    don_vi = _ref(two_level, "don_vi.csv")
    received, elsewhere = 0, 0
    for day, r in _lines(two_level):
        if day < "2025-07-01":
            assert "MaDonViTiepNhan" not in r
            continue
        desk = r["MaDonViTiepNhan"]  # the system carries the field from 1 July 2025
        if r["NgayTiepNhan"]:
            received += _dossier_date(r) >= "2025-07-01"
        if desk:
            elsewhere += 1
            assert desk != r["MaCoQuan"] and r["NgayTiepNhan"]
            assert _dossier_date(r) >= "2025-07-01"
            assert _valid(don_vi, "ma_don_vi", desk, _dossier_date(r))["cap"] in ("tinh", "xa")
    assert 0.005 <= elsewhere / received <= 0.15, (elsewhere, received)


def test_portal_and_vneid_follow_the_units_of_their_dates(two_level):
    dvhc = _ref(two_level, "dvhc.csv")
    don_vi = _ref(two_level, "don_vi.csv")
    for snap, n in (("2025-06-30", 209), ("2025-07-07", 99)):
        rows = _rows(two_level / f"vneid/{snap}/vneid_{snap.replace('-', '')}.csv")
        assert {r["Mã ĐVHC"] for r in rows} == _units_of(dvhc, "24", "xa", snap)
        assert len(rows) == n
    ws = openpyxl.load_workbook(two_level / "dvc_portal/2025-07/dvcqg_766_2025-07.xlsx")["TongHop"]
    assert ws["A4"].value == "Đơn vị: UBND tỉnh Bắc Ninh"
    july = {row[1] for row in ws.iter_rows(min_row=7, values_only=True) if row[1]}
    assert july <= _agencies_valid_on(don_vi, "2025-07-31")
    june = _rows(two_level / "dvc_portal/2025-06/dvcqg_766_2025-06.csv", delimiter=";")
    assert {r["Mã đơn vị"] for r in june if r["Mã đơn vị"]} <= _agencies_valid_on(don_vi, "2025-06-30")
    for month in ("2025-06", "2025-07"):
        for r in _rows(two_level / f"dvc_portal/{month}/dvcqg_dongbo_{month}.csv"):
            assert _valid(don_vi, "ma_don_vi", r["MaCoQuan"], _iso(r["NgayTiepNhan"])), r


# --- the whole supported range -----------------------------------------------------------------

def _chains_end(rows: list[dict], key: str, succ_key: str) -> None:
    succ: dict[str, str] = {}
    for r in rows:
        if r[succ_key]:
            succ[r[key]] = r[succ_key]
    codes = {r[key] for r in rows}
    for start in succ:
        seen, c = [start], start
        while c in succ:
            c = succ[c]
            assert c in codes, (start, c)
            assert c not in seen, f"successor cycle {seen + [c]}"
            seen.append(c)
        assert len(seen) <= 4


def test_successor_chains_have_no_cycle_and_lead_to_a_unit(two_level):
    _chains_end(_ref(two_level, "don_vi.csv"), "ma_don_vi", "ma_don_vi_ke_thua")
    _chains_end(_ref(two_level, "dvhc.csv"), "ma_dvhc", "ma_dvhc_ke_thua")
    don_vi = _ref(two_level, "don_vi.csv")
    for r in don_vi:
        if r["ma_don_vi_ke_thua"]:  # the successor takes over the day after
            day = date.fromordinal(date.fromisoformat(r["hieu_luc_den"]).toordinal() + 1).isoformat()
            assert _valid(don_vi, "ma_don_vi", r["ma_don_vi_ke_thua"], day), r


def test_whole_range_2024_to_2026(whole):
    don_vi = _ref(whole, "don_vi.csv")
    dvhc = _ref(whole, "dvhc.csv")
    current = _current(whole)
    assert len(current) == 1500
    years = Counter(_dossier_date(r)[:4] for r in current.values())
    assert set(years) == {"2024", "2025", "2026"}
    for r in current.values():
        assert _valid(don_vi, "ma_don_vi", r["MaCoQuan"], _dossier_date(r)), r["MaHoSo"]
    snaps = sorted((whole / "vneid").rglob("vneid_*.csv"))
    assert snaps[-1].parent.name == "2026-12-28"
    for p in (snaps[0], snaps[-1]):
        rows = _rows(p)
        assert {r["Mã ĐVHC"] for r in rows} == _units_of(dvhc, "24", "xa", p.parent.name)
    assert len(list((whole / "dvc_portal").iterdir())) == 36


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_crossing_range_is_deterministic_with_faults(tmp_path):
    args = {"start": date(2025, 6, 16), "end": date(2025, 7, 13), "dossiers": 3000, "faults": True}
    a, b = tmp_path / "a" / "landing", tmp_path / "b" / "landing"
    sa = generate(a, **args)
    generate(b, **args)
    assert _hashes(a.parent) == _hashes(b.parent)
    manifest = json.loads((tmp_path / "a" / "landing_faults.json").read_text(encoding="utf-8"))
    kinds = {f["kind"] for f in manifest["faults"]}
    assert "not_planted" not in kinds and {"unknown_agency", "batch_over_5pct"} <= kinds
    assert sa["faults"] == len(manifest["faults"])


def test_tiny_ranges_across_the_changes(tmp_path):
    # a month may have no received dossier at all: its portal files are left out, not broken
    for i, (a, b) in enumerate([(date(2025, 2, 28), date(2025, 3, 1)),
                                (date(2025, 6, 30), date(2025, 7, 1))]):
        summary = generate(tmp_path / str(i) / "landing", start=a, end=b, dossiers=5)
        assert summary["dossiers"] == 5 and summary["change_records"] >= 5
