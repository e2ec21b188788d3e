"""Fixtures for the ingest tests: tiny landing zones built by hand in tmp_path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.reference import load_reference

SAMPLES = Path("/work/shared/spec/samples/landing")
if not SAMPLES.exists():  # the samples also live beside the repo in some checkouts
    SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "spec" / "samples" / "landing"
PII_KEY = b"test-key-not-secret-0123456789abcdef"
DAY = "2024-04-01"

REFERENCE_CSV = {
    "don_vi.csv": (
        "ma_don_vi,ten_don_vi,cap,ma_dvhc,ma_don_vi_cha,hieu_luc_tu,hieu_luc_den\n"
        "000.00.11.H04,Sở Tư pháp,tinh,24,,2008-01-01,\n"
        "201.21.21.H04,UBND phường Thọ Xương,xa,07201,,2008-01-01,2024-05-14\n"
        "201.21.21.H04,UBND phường Thọ Xương,xa,07201,,2024-05-15,\n"
    ),
    "dvhc.csv": (
        "ma_dvhc,ten_dvhc,cap,ma_dvhc_cha,hieu_luc_tu,hieu_luc_den,ma_dvhc_ke_thua\n"
        "24,Tỉnh Bắc Giang,tinh,,1997-01-01,,\n"
        "07201,Phường Thọ Xương,xa,24,1997-01-01,,\n"
        "07207,Phường Trần Phú,xa,24,1997-01-01,,\n"
    ),
    "tthc.csv": (
        "ma_tthc,ten_tthc,ma_linh_vuc,ten_linh_vuc,cap_thuc_hien,muc_do_dvc,co_phi,thoi_han,"
        "don_vi_thoi_han,yeu_cau_ket_qua_giay,ma_co_quan_cong_bo\n"
        "1.001193,Đăng ký khai sinh,G09-TP03,Hộ tịch,xa,toan_trinh,0,1,ngay_lam_viec,1,000.00.11.H04\n"
        '2.000815,"Chứng thực bản sao, văn bản",G09-TP02,Chứng thực,huyen,khong,1,1,ngay_lam_viec,0,000.00.11.H04\n'
    ),
    "cong_bo.csv": (
        "ma_tthc,ma_co_quan_cong_bo,so_qd_bo,ngay_hieu_luc_van_ban,so_qd_tinh,ngay_qd_tinh,ngay_cong_khai\n"
        "1.001193,000.00.11.H04,1085/QĐ-BTP,2024-03-01,215/QĐ-UBND,2024-02-23,2024-03-01\n"
    ),
    "ngay_nghi.csv": "ngay,loai,ten\n2024-04-18,nghi,Giỗ Tổ Hùng Vương\n",
    "chi_tieu.csv": "ma_chi_tieu,nam,gia_tri,nguon\non_time_rate,2024,0.98,Thông báo 294\n",
}


def good_dossier(**overrides) -> dict:
    """A dossier that passes every rule on 2024-04-01 (handed over, status 10)."""
    record = {
        "MaHoSo": "000.00.11.H04-240401-0001",
        "MaTTHC": "1.001193",
        "MaCoQuan": "000.00.11.H04",
        "KenhThucHien": 2,
        "ChuHoSo": "Nguyễn Văn Thử",
        "SoGiayToChuHoSo": "024199900001",
        "SoDienThoai": "0912000001",
        "Email": "nguyen.van.thu@example.vn",
        "TaiKhoanDuocXacThucVoiVNeID": "1",
        "NgayNopHoSo": "20240401080000",
        "NgayTiepNhan": "20240401090000",
        "NgayHenTra": "20240405170000",
        "TrangThaiHoSo": 10,
        "NgayKetThucXuLy": "20240401150000",
        "NgayTra": "20240401160000",
        "NgayTuChoi": "",
        "HinhThucNhanKetQua": 3,
        "DuocThanhToanTrucTuyen": 1,
        "HoSoCoThanhPhanSoHoa": 1,
        "DanhSachLePhi": [
            {"MaPhiLePhi": "LP1", "TenPhiLePhi": "Lệ phí", "Gia": "15000", "LoaiPhiLePhi": 1}
        ],
        "DanhSachHoSoBoSung": [
            {
                "NgayBoSung": "20240401100000",
                "NgayTiepNhanBoSung": "20240401110000",
                "NgayHenTraTruoc": "20240404170000",
                "NgayHenTraMoi": "20240405170000",
            }
        ],
        "DanhSachGiayToKetQua": [
            {
                "TenGiayTo": "Giấy khai sinh",
                "MaGiayToKetQua": "KQ1",
                "DuongDanTepTinKetQua": "https://x/kq1.pdf",
            }
        ],
        "TaiLieuNop": [
            {"MaThanhPhanHoSo": "TP01", "DuocSoHoa": 1, "DuocTaiSuDung": 0, "DuocLayTuKhoDMQG": 0}
        ],
        "DanhGia": 1,
        "NgayCapNhat": "20240401160000",
    }
    record.update(overrides)
    return record


def dossier_line(**overrides) -> str:
    return json.dumps(good_dossier(**overrides), ensure_ascii=False)


def write_day(landing: Path, day: str, lines: list[str], name: str | None = None) -> Path:
    folder = landing / "dossier_system" / day
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"hoso_{day.replace('-', '')}.jsonl")
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    root = tmp_path / "landing"
    (root / "reference").mkdir(parents=True)
    for name, text in REFERENCE_CSV.items():
        (root / "reference" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def warehouse(tmp_path: Path, landing: Path) -> Path:
    root = tmp_path / "warehouse"
    results = load_reference(landing, root)
    assert all(r.rejected is None and r.rows_quarantined == 0 for r in results), results
    return root


@pytest.fixture
def sample_landing(tmp_path: Path) -> Path:
    root = tmp_path / "sample_landing"
    shutil.copytree(SAMPLES, root)
    return root
