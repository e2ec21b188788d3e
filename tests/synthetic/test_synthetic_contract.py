"""Every file the generator writes, checked against sources.md (small dataset: 2,000 dossiers
over two months)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from synthetic import generate

START, END = date(2024, 1, 1), date(2024, 2, 29)
TS = "%Y%m%d%H%M%S"
RE_MAHOSO = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}$")
RE_AGENCY = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.H\d{2}$")
RE_TTHC = re.compile(r"^\d\.\d{6}$")
KEYS = ["MaHoSo", "MaTTHC", "MaCoQuan", "KenhThucHien", "ChuHoSo", "SoGiayToChuHoSo",
        "SoDienThoai", "Email", "TaiKhoanDuocXacThucVoiVNeID", "NgayNopHoSo", "NgayTiepNhan",
        "NgayHenTra", "TrangThaiHoSo", "NgayKetThucXuLy", "NgayTra", "NgayTuChoi",
        "HinhThucNhanKetQua", "DuocThanhToanTrucTuyen", "HoSoCoThanhPhanSoHoa", "DanhSachLePhi",
        "DanhSachHoSoBoSung", "DanhSachGiayToKetQua", "TaiLieuNop", "DanhGia", "NgayCapNhat"]
REF_HEADERS = {
    "don_vi.csv": "ma_don_vi,ten_don_vi,cap,ma_dvhc,ma_don_vi_cha,hieu_luc_tu,hieu_luc_den,ma_don_vi_ke_thua",
    "dvhc.csv": "ma_dvhc,ten_dvhc,cap,ma_dvhc_cha,hieu_luc_tu,hieu_luc_den,ma_dvhc_ke_thua",
    "tthc.csv": "ma_tthc,ten_tthc,ma_linh_vuc,ten_linh_vuc,cap_thuc_hien,muc_do_dvc,co_phi,thoi_han,don_vi_thoi_han,yeu_cau_ket_qua_giay,ma_co_quan_cong_bo",
    "cong_bo.csv": "ma_tthc,ma_co_quan_cong_bo,so_qd_bo,ngay_hieu_luc_van_ban,so_qd_tinh,ngay_qd_tinh,ngay_cong_khai",
    "ngay_nghi.csv": "ngay,loai,ten",
    "chi_tieu.csv": "ma_chi_tieu,nam,gia_tri,nguon",
}
HEADER_766 = ["STT", "Mã đơn vị", "Tên đơn vị", "Tiếp nhận", "Trực tuyến", "Trực tiếp", "BCCI",
              "Đã xử lý", "Đúng hạn", "Quá hạn", "Có phí", "Thanh toán trực tuyến", "Đồng bộ",
              "Điểm Công khai", "Điểm Tiến độ", "Điểm DVCTT", "Điểm Thanh toán", "Điểm Số hóa",
              "Điểm Hài lòng", "Tổng điểm"]


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("contract") / "landing"
    summary = generate(out, start=START, end=END, dossiers=2000)
    assert summary["dossiers"] == 2000 and summary["change_records"] > 2000
    return out


def _csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), path
    return list(csv.reader(io.StringIO(raw.decode("utf-8"))))


def _ref(landing, name):
    rows = _csv(landing / "reference" / name)
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_layout(landing):
    top = sorted(p.name for p in landing.iterdir())
    assert top == ["dossier_system", "dvc_portal", "reference", "vneid"]
    for f in (landing / "dossier_system").rglob("*"):
        if f.is_file():
            assert re.fullmatch(r"hoso_\d{8}\.jsonl(\.gz)?", f.name)
            assert f.name[5:13] == f.parent.name.replace("-", "")
    names = {f.name for f in (landing / "dossier_system").rglob("*.gz")}
    assert names, "some days are delivered gzipped"
    for d in (landing / "dossier_system").iterdir():
        assert len(list(d.iterdir())) == 1


def _valid(rows, cap, day, province="24"):
    """Codes of the units of `cap` of `province` whose row is valid on `day` (ISO date), up
    the parent chain of the rows valid that day (dvhc.csv also lists the former Bắc Ninh)."""
    valid = {r["ma_dvhc"]: r for r in rows if r["hieu_luc_tu"] <= day <= (r["hieu_luc_den"] or "9")}

    def top(code):
        while valid[code]["ma_dvhc_cha"]:
            code = valid[code]["ma_dvhc_cha"]
        return code
    return {c for c, r in valid.items() if r["cap"] == cap and top(c) == province}


def test_reference_headers_and_content(landing):
    for name, header in REF_HEADERS.items():
        assert _csv(landing / "reference" / name)[0] == header.split(","), name
    dvhc = _ref(landing, "dvhc.csv")
    communes = _valid(dvhc, "xa", "2024-02-01")
    assert len(communes) == 209 and all(re.fullmatch(r"\d{5}", c) for c in communes)
    assert len(_valid(dvhc, "xa", "2025-07-01")) == 99  # the new Bắc Ninh (reorganisation.md)
    assert len(_valid(dvhc, "huyen", "2024-02-01")) == 10
    assert len(_valid(dvhc, "huyen", "2024-02-01", province="27")) == 8
    assert any(r["ma_dvhc_ke_thua"] == "213" for r in dvhc)
    for r in _ref(landing, "don_vi.csv"):
        assert RE_AGENCY.match(r["ma_don_vi"]) and r["cap"] in ("tinh", "huyen", "xa")
    tthc = _ref(landing, "tthc.csv")
    assert 60 <= len(tthc) <= 120
    for r in tthc:
        assert RE_TTHC.match(r["ma_tthc"]) and r["don_vi_thoi_han"] in ("ngay_lam_viec", "ngay")
        assert r["muc_do_dvc"] in ("toan_trinh", "mot_phan", "khong")
    cal = {r["ngay"]: r["loai"] for r in _ref(landing, "ngay_nghi.csv")}
    for d in ("2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14",
              "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03"):
        assert cal[d] == "nghi"
    assert cal["2024-05-04"] == "lam_bu"
    assert _ref(landing, "chi_tieu.csv")[0] == {
        "ma_chi_tieu": "on_time_rate", "nam": "2024", "gia_tri": "0.98",
        "nguon": "Thông báo 294/TB-UBND; Kế hoạch cải cách hành chính 2024"}


def _ts(v):
    return None if v in (None, "") else datetime.strptime(v, TS)


def test_dossier_extracts(landing):
    agencies = {r["ma_don_vi"] for r in _ref(landing, "don_vi.csv")}
    procs = {r["ma_tthc"] for r in _ref(landing, "tthc.csv")}
    n = 0
    for f in sorted((landing / "dossier_system").rglob("hoso_*")):
        raw = gzip.decompress(f.read_bytes()) if f.name.endswith(".gz") else f.read_bytes()
        day = datetime.strptime(f.parent.name, "%Y-%m-%d")
        day_end = day + timedelta(days=1)
        seen = set()
        for line in raw.decode("utf-8").splitlines():
            r = json.loads(line)
            n += 1
            assert list(r) == KEYS
            assert RE_MAHOSO.match(r["MaHoSo"]) and r["MaHoSo"].startswith(r["MaCoQuan"])
            assert r["MaHoSo"] not in seen
            seen.add(r["MaHoSo"])
            assert r["MaCoQuan"] in agencies and r["MaTTHC"] in procs
            st, ch = int(r["TrangThaiHoSo"]), int(r["KenhThucHien"])
            assert 1 <= st <= 10 and ch in (1, 2, 3)
            cap = _ts(r["NgayCapNhat"])
            assert day <= cap < day_end
            nop, tn, kt = _ts(r["NgayNopHoSo"]), _ts(r["NgayTiepNhan"]), _ts(r["NgayKetThucXuLy"])
            if st in (2, 4, 5, 6, 8, 9, 10):
                assert tn is not None
            if st in (1, 3):
                assert tn is None
            if st in (7, 8, 9, 10):
                assert kt is not None
            if st == 10:
                assert _ts(r["NgayTra"]) is not None
            if st == 3:
                assert _ts(r["NgayTuChoi"]) is not None
            if st == 1:
                assert ch == 2
            if tn:
                assert nop <= tn and (kt is None or tn <= kt)
            events = [nop, tn, kt, _ts(r["NgayTra"]), _ts(r["NgayTuChoi"])]
            for s in r["DanhSachHoSoBoSung"]:
                events += [_ts(s["NgayBoSung"]), _ts(s["NgayTiepNhanBoSung"])]
                _ts(s["NgayHenTraTruoc"]), _ts(s["NgayHenTraMoi"])
            assert all(e is None or e < day_end for e in events)
            assert max(e for e in events if e) <= cap
            for fee in r["DanhSachLePhi"]:
                float(fee["Gia"])
            if r["DanhGia"] not in (None, ""):
                assert int(r["DanhGia"]) in (-1, 0, 1)
    assert n > 2000


def _vn(v):
    if isinstance(v, (int, float)):
        return v
    s = str(v).replace(".", "").replace(",", ".")
    return float(s) if "." in s else int(s)


def test_portal_766(landing):
    agencies = {r["ma_don_vi"] for r in _ref(landing, "don_vi.csv")}
    reports = sorted((landing / "dvc_portal").rglob("dvcqg_766_*"))
    assert [p.suffix for p in reports] == [".xlsx", ".xlsx"]
    for p in reports:
        assert p.stem.endswith(p.parent.name)
        wb = openpyxl.load_workbook(p)
        assert wb.sheetnames == ["TongHop"]
        ws = wb["TongHop"]
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert {"A1:T1", "A2:T2", "A3:T3", "A4:T4"} <= merged
        assert ws["A3"].value == f"Kỳ báo cáo: Tháng {p.parent.name[5:]}/{p.parent.name[:4]}"
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        h = next(i for i, r in enumerate(rows) if r[0] == "STT")
        assert rows[h] == HEADER_766
        data, total = rows[h + 1:-1], rows[-1]
        assert total[2] == "Tổng cộng" and data
        for r in data:
            assert r[1] in agencies
        for j in range(3, 13):
            assert _vn(total[j]) == sum(_vn(r[j]) for r in data)
        assert any(isinstance(c, str) and c and c[0].isdigit() for r in data for c in r[3:])
        for r in data:
            assert 0 <= _vn(r[19]) <= 100


def test_portal_766_csv_variant(tmp_path):
    out = tmp_path / "landing"
    generate(out, start=date(2024, 6, 1), end=date(2024, 6, 30), dossiers=1000)
    p = out / "dvc_portal/2024-06/dvcqg_766_2024-06.csv"
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == HEADER_766 and rows[-1][2] == "Tổng cộng"
    for j in range(3, 13):
        assert _vn(rows[-1][j]) == sum(_vn(r[j]) for r in rows[1:-1])
    assert any("," in c for r in rows[1:-1] for c in r[13:])


def test_synced_list(landing):
    for p in sorted((landing / "dvc_portal").rglob("dvcqg_dongbo_*.csv")):
        rows = _csv(p)
        assert rows[0] == ["MaHoSo", "MaCoQuan", "TrangThaiHoSo", "KenhThucHien", "NgayTiepNhan",
                           "NgayKetThucXuLy", "DuocThanhToanTrucTuyen"]
        assert len(rows) > 100
        for r in rows[1:]:
            assert RE_MAHOSO.match(r[0]) and RE_AGENCY.match(r[1])
            assert datetime.strptime(r[4], TS).strftime("%Y-%m") == p.parent.name
            assert r[5] == "" or datetime.strptime(r[5], TS)


def test_vneid(landing):
    dvhc = _ref(landing, "dvhc.csv")
    files = sorted((landing / "vneid").rglob("vneid_*.csv"))
    assert len(files) >= 8
    for p in files:
        d = date.fromisoformat(p.parent.name)
        assert d.weekday() == 0 and p.name == f"vneid_{d:%Y%m%d}.csv"
        rows = _csv(p)
        assert rows[0] == ["Mã ĐVHC", "Tên ĐVHC", "Ngày số liệu", "Công dân đủ điều kiện",
                           "Đã cấp mức 1", "Đã cấp mức 2", "Đã kích hoạt"]
        assert {r[0] for r in rows[1:]} == _valid(dvhc, "xa", d.isoformat())
        for r in rows[1:]:
            assert r[2] == d.strftime("%d/%m/%Y")
            e, l1, l2, a = map(int, r[3:])
            assert a <= l1 + l2 <= e
