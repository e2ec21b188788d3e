"""The `Điểm …` cells of the generated 766 reports follow the portal's rules (spec portal_766.md)
on the generated dossiers, except the differences synthetic/portal.py plants (docs/synthetic.md).

The expected points are recomputed here from the landing files alone (the extracts' current
state, tthc.csv, the synced lists), independently of the generator's arrays; only the rule
table (max_points, full_at: the dbt seed) is shared, through synthetic/portal_766_rules.py."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from synthetic_kpi import read_extracts

from synthetic import generate, portal
from synthetic import portal_766_rules as rules766

START, END = date(2024, 3, 1), date(2024, 4, 30)
MONTHS = ["2024-03", "2024-04"]
GROUP_OF_COLUMN = {v: k for k, v in rules766.GROUP_COLUMNS.items()}
# what docs/synthetic.md lists for this range: (month, unit (None: Tổng cộng), group, portal − rules)
PLANTED_HERE = {("2024-03", None, "tien_do"): -0.50, ("2024-04", "000.00.11.H04", "tien_do"): -0.80}


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("portal_scores") / "landing"
    generate(out, start=START, end=END, dossiers=4000)
    return out


def _vn(v):
    """A report cell: a number, or Vietnamese-formatted text (1.234 / 14,2)."""
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)):
        return float(v)
    return float(v.replace(".", "").replace(",", "."))


def _report(landing: Path, month: str) -> dict[str | None, dict[str, float]]:
    """Score cells by agency code, the Tổng cộng row under None."""
    folder = landing / "dvc_portal" / month
    csv_path = folder / f"dvcqg_766_{month}.csv"
    if csv_path.exists():
        rows = list(csv.reader(io.StringIO(csv_path.read_bytes().decode("utf-8-sig")), delimiter=";"))
    else:
        ws = openpyxl.load_workbook(folder / f"dvcqg_766_{month}.xlsx")["TongHop"]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        rows = rows[next(i for i, r in enumerate(rows) if r[0] == "STT"):]
    header = rows[0]
    out = {}
    for r in rows[1:]:
        cells = dict(zip(header, r))
        key = None if cells["Tên đơn vị"] == "Tổng cộng" else cells["Mã đơn vị"]
        out[key] = {c: _vn(cells[c]) for c in portal.SCORE_COLS}
    return out


def _csv_rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _ts(v) -> datetime | None:
    return datetime.strptime(v, "%Y%m%d%H%M%S") if v not in (None, "") else None


def _current_states(landing: Path) -> list[dict]:
    best: dict[str, tuple] = {}
    for day, i, r in read_extracts(landing):
        key = (r["NgayCapNhat"], day, i)
        if r["MaHoSo"] not in best or key > best[r["MaHoSo"]][0]:
            best[r["MaHoSo"]] = (key, r)
    return [r for _, r in best.values()]


def _expected(landing: Path, month: str) -> dict[str | None, dict[str, float | None]]:
    """Group points of each agency (MaCoQuan) and of the province for the month, the spec's
    rules written out plainly over the files."""
    procs = {p["ma_tthc"]: p for p in _csv_rows(landing / "reference" / "tthc.csv")}
    y, m = map(int, month.split("-"))
    S = datetime(y, m, 1)
    last = min(date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1), END)
    E = datetime(last.year, last.month, last.day, 23, 59, 59)
    counts: dict[str | None, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    online_procs, paid_procs, fee_procs = set(), set(), set()
    received_by_agency: dict[str, set[str]] = defaultdict(set)

    def add(unit_codes, code, num, den=True):
        for u in unit_codes:
            counts[u][code][0] += bool(num and den)
            counts[u][code][1] += bool(den)

    for r in _current_states(landing):
        rec, status = _ts(r["NgayTiepNhan"]), int(r["TrangThaiHoSo"])
        if rec is None or status in (1, 3) or rec > E:
            continue
        end = _ts(r["NgayKetThucXuLy"]) if status in (7, 8, 9, 10) else None
        if end is not None and end < S:
            continue
        units = (r["MaCoQuan"], None)
        due = _ts(r["NgayHenTra"])
        sups = [(_ts(s["NgayBoSung"]), _ts(s["NgayTiepNhanBoSung"])) for s in r["DanhSachHoSoBoSung"]]

        def answered(t, sups=sups):
            return sum(max(0, (a - b).total_seconds()) for b, a in sups if a is not None and b <= t and a <= t)

        by_e = [(b, a) for b, a in sups if b <= E]
        if len(by_e) > 1:
            on_time = False
        elif end is not None and end <= E:
            on_time = (end - due).total_seconds() <= answered(end)
        elif len(by_e) == 1 and (by_e[0][1] is None or by_e[0][1] > E):
            on_time = by_e[0][0] <= due
        else:
            on_time = (E - due).total_seconds() <= answered(E)
        add(units, "2.1", on_time)
        if rec < S:
            continue
        p = procs[r["MaTTHC"]]
        paper = p["yeu_cau_ket_qua_giay"] == "1"
        e_res = any(g.get("MaGiayToKetQua") and g.get("DuongDanTepTinKetQua") for g in r["DanhSachGiayToKetQua"])
        docs = r["TaiLieuNop"]
        store = any(int(d["DuocLayTuKhoDMQG"]) == 1 for d in docs)
        digit = int(r["HoSoCoThanhPhanSoHoa"]) == 1 or any(int(d["DuocSoHoa"]) == 1 for d in docs)
        fees = [float(x.get("Gia") or 0) for x in r["DanhSachLePhi"]]
        fee_counted = p["co_phi"] == "1" and not (fees and all(f == 0 for f in fees))
        online = int(r["KenhThucHien"]) == 2
        paid = int(r["DuocThanhToanTrucTuyen"]) in (1, 2)
        add(units, "3.3", online and (not paper or e_res))
        add(units, "3.6", paid, fee_counted)
        add(units, "4.1", e_res, paper)
        add(units, "4.2", digit and (not paper or e_res))
        add(units, "4.3", any(int(d["DuocTaiSuDung"]) == 1 for d in docs))
        add(units, "4.4", store)
        add(units, "4.5", int(r["TaiKhoanDuocXacThucVoiVNeID"]) == 1 or store)
        received_by_agency[r["MaCoQuan"]].add(r["MaHoSo"])
        online_procs |= {r["MaTTHC"]} if online else set()
        paid_procs |= {r["MaTTHC"]} if paid else set()
        fee_procs |= {r["MaTTHC"]} if any(f > 0 for f in fees) else set()
    service = {c for c, p in procs.items() if p["muc_do_dvc"] in ("toan_trinh", "mot_phan")}
    charging = {c for c, p in procs.items() if p["co_phi"] == "1"}
    prov = counts[None]
    prov["3.1"] = [len(service), len(procs)]
    prov["3.2"] = [len(service & online_procs), len(service)]
    prov["3.5"] = [len(charging & paid_procs), len(charging)]
    prov["3.7"] = [len(charging & fee_procs), len(charging)]
    listed: dict[str, set[str]] = defaultdict(set)
    for row in _csv_rows(landing / "dvc_portal" / month / f"dvcqg_dongbo_{month}.csv"):
        listed[row["MaCoQuan"]].add(row["MaHoSo"])
    sync = (sum(len(received_by_agency[a] & listed[a]) for a in set(listed) | set(received_by_agency)),
            sum(max(len(received_by_agency[a]), len(listed[a])) for a in set(listed) | set(received_by_agency)))
    rules = rules766.rules_on(last)
    out = {}
    for unit, c in counts.items():
        out[unit] = rules766.unit_groups(rules, {k: tuple(v) for k, v in c.items() if unit is None or k != "3.3"},
                                         sync if unit is None else None)
    return out


@pytest.fixture(scope="module")
def compared(landing):
    """(month, unit, group, report cell, expected points) for every recomputable cell."""
    out = []
    for month in MONTHS:
        report, expected = _report(landing, month), _expected(landing, month)
        for unit, cells in report.items():
            groups = ("tien_do", "so_hoa") if unit else ("tien_do", "dvctt", "thanh_toan", "so_hoa")
            for g in groups:
                want = expected.get(unit, {}).get(g)
                if want is not None:
                    out.append((month, unit, g, cells[rules766.GROUP_COLUMNS[g]], want))
    return out


def test_score_cells_follow_the_portal_rules_except_the_planted_ones(compared):
    agencies = {(m, u) for m, u, g, _, _ in compared if u is not None}
    assert len(agencies) > 200  # most report rows have a recomputable tien_do
    assert {g for m, u, g, _, _ in compared if u is None} == {"tien_do", "dvctt", "thanh_toan", "so_hoa"}
    wrong = {(m, u, g): round(cell - want, 2) for m, u, g, cell, want in compared
             if abs(cell - want) > 0.015}
    assert wrong == PLANTED_HERE


def test_planted_differences_are_the_documented_ones(compared):
    assert {k: v for k, v in PLANTED_HERE.items()} == {
        (m, c, g): d for m in MONTHS for mo, c, g, d in portal.PLANTED if mo == int(m[5:])
        if any(x[:3] == (m, c, g) for x in compared)}
    docs = (Path(__file__).resolve().parents[2] / "docs" / "synthetic.md").read_text(encoding="utf-8")
    for mo, code, group, delta in portal.PLANTED:
        assert f"`{code or 'Tổng cộng'}`" in docs and f"{delta:+.2f}" in docs, (mo, code, group, delta)


def test_cells_are_published_with_two_decimals_and_total_is_their_sum(landing):
    for month in MONTHS:
        for unit, cells in _report(landing, month).items():
            vals = [cells[c] for c in portal.SCORE_COLS]
            assert all(v is not None and round(v, 2) == v for v in vals), (month, unit, cells)
            assert all(0 <= v <= mx for v, mx in zip(vals, portal.SCORE_MAX)), (month, unit, cells)
            assert abs(sum(vals[:-1]) - vals[-1]) <= 0.031, (month, unit, cells)


def test_rules_come_from_the_dbt_seed(tmp_path):
    rules = rules766.rules_on(date(2024, 6, 30))
    assert rules766.RULES_CSV.name == "rules_766.csv" and rules766.RULES_CSV.parent.name == "seeds"
    assert sum(r.max_points for r in rules.values()) == 100
    r33 = rules["3.3"]
    assert rules766.points(r33, 1, 4) == pytest.approx(r33.max_points * 0.25 / r33.full_at)
    assert rules766.points(r33, 3, 4) == r33.max_points  # capped at full_at
    assert rules766.points(r33, 1, 2, None) is None and rules766.points(r33, 0, 0) is None
    # a group is recomputed only when each of its indicators has points
    groups = rules766.group_points(rules, {"2.1": 19.5, "4.1": 6, "4.2": 6, "4.3": 2, "4.4": 4})
    assert groups["tien_do"] == 19.5 and groups["so_hoa"] is None and groups["cong_khai"] is None
    # a later rule set scores the periods whose last day is on or after its valid_from
    seed = rules766.RULES_CSV.read_text(encoding="utf-8").splitlines()
    later = [line.replace("qd766_2024,2015-01-01,", "qd766_2025,2025-01-01,").replace(",2.1,tien_do,20,1,", ",2.1,tien_do,20,0.9,")
             for line in seed[1:]]
    closed = [line.replace("2015-01-01,,", "2015-01-01,2024-12-31,") for line in seed[1:]]
    path = tmp_path / "rules_766.csv"
    path.write_text("\n".join([seed[0]] + closed + later) + "\n", encoding="utf-8")
    assert rules766.rules_on(date(2024, 12, 31), path)["2.1"].full_at == 1
    assert rules766.rules_on(date(2025, 1, 31), path)["2.1"].full_at == 0.9
