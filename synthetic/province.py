"""The synthetic Bắc Giang: administrative units, agencies, procedures, publication decisions.

Everything here is small (hundreds of rows) and plain Python; the dossier simulation turns
the agency and procedure tables into numpy arrays.

Units and codes follow the sample landing zone: the province is ma_dvhc 24 and agency suffix
H04; district People's Committees are `000.00.<dd>.H04`, their offices `000.<dd>.<oo>.H04`,
commune People's Committees `<last 3 digits of the commune code>.<dd>.<dd>.H04`, provincial
departments and the service centre `000.00.<nn>.H04` with nn < 21.

Administrative changes modelled (chosen dates, documented in docs/synthetic.md):
- 2024-02-01: huyện Việt Yên becomes thị xã Việt Yên (same code 222, new name row).
- CHANGE_DATE = 2024-12-01: huyện Yên Dũng (221) is merged into TP Bắc Giang (213): the
  district row ends 2024-11-30 with ma_dvhc_ke_thua 213, its communes get a second row with
  parent 213, its People's Committee and offices end; thị xã Chũ (224) is formed from
  10 communes of Lục Ngạn, with a new People's Committee 000.00.31.H04 and offices.
The reference files always hold this history; it only affects dossiers when the period
reaches CHANGE_DATE. The 2025 reform (department mergers, two-level local government, the
merged Bắc Ninh) is added by synthetic/reform.py at the end of `build`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from . import reform

PROVINCE_CODE = "24"
CHANGE_DATE = date(2024, 12, 1)
BEFORE_CHANGE = "2024-11-30"
CENTRE = "000.00.01.H04"

# (ma_dvhc, name before 2024-02-01 or None, name, agency number dd, communes, first commune code,
#  population weight)
DISTRICTS = [
    ("213", None, "Thành phố Bắc Giang", 21, 16, 7201 - 3 * 4, 1.6),
    ("215", None, "Huyện Yên Thế", 22, 21, 7237, 0.85),
    ("216", None, "Huyện Tân Yên", 23, 22, 7300, 1.0),
    ("217", None, "Huyện Lạng Giang", 24, 21, 7366, 1.1),
    ("218", None, "Huyện Lục Nam", 25, 25, 7429, 1.1),
    ("219", None, "Huyện Lục Ngạn", 26, 28, 7504, 1.2),
    ("220", None, "Huyện Sơn Động", 27, 15, 7588, 0.5),
    ("221", None, "Huyện Yên Dũng", 28, 19, 7633, 0.85),
    ("222", "Huyện Việt Yên", "Thị xã Việt Yên", 29, 17, 7798 - 3 * 3, 1.3),
    ("223", None, "Huyện Hiệp Hòa", 30, 25, 7840, 1.25),
]
CHU = ("224", "Thị xã Chũ", 31)
CHU_FROM_LUC_NGAN = 10  # the first 10 communes of Lục Ngạn move to thị xã Chũ

# District offices: (oo, name prefix, fields handled)
OFFICES = [
    (10, "Phòng Tài nguyên và Môi trường", {"Đất đai", "Môi trường"}),
    (11, "Phòng Tư pháp", {"Chứng thực", "Hộ tịch"}),
    (12, "Phòng Tài chính - Kế hoạch", {"Thành lập và hoạt động của hộ kinh doanh", "Hợp tác xã"}),
    (13, "Phòng Kinh tế và Hạ tầng", {"Hoạt động xây dựng", "Giao thông"}),
    (14, "Phòng Lao động - Thương binh và Xã hội", {"Bảo trợ xã hội", "Người có công", "Lao động"}),
]

DEPARTMENTS = [
    ("000.00.01.H04", "Trung tâm Phục vụ hành chính công tỉnh Bắc Giang", "2019-01-01"),
    ("000.00.10.H04", "Sở Nội vụ", "2008-01-01"),
    ("000.00.11.H04", "Sở Tư pháp", "2008-01-01"),
    ("000.00.12.H04", "Sở Kế hoạch và Đầu tư", "2008-01-01"),
    ("000.00.13.H04", "Sở Tài chính", "2008-01-01"),
    ("000.00.14.H04", "Sở Công Thương", "2008-01-01"),
    ("000.00.15.H04", "Sở Tài nguyên và Môi trường", "2008-01-01"),
    ("000.00.16.H04", "Sở Xây dựng", "2008-01-01"),
    ("000.00.17.H04", "Sở Giao thông vận tải", "2008-01-01"),
    ("000.00.18.H04", "Sở Lao động - Thương binh và Xã hội", "2008-01-01"),
    ("000.00.19.H04", "Sở Nông nghiệp và Phát triển nông thôn", "2008-01-01"),
    ("000.00.02.H04", "Sở Y tế", "2008-01-01"),
    ("000.00.03.H04", "Sở Giáo dục và Đào tạo", "2008-01-01"),
    ("000.00.04.H04", "Sở Văn hóa, Thể thao và Du lịch", "2008-01-01"),
    ("000.00.05.H04", "Sở Thông tin và Truyền thông", "2008-01-01"),
]
# Departments that publish their procedure lists late (cong_bo.csv, notice item on publication)
LATE_PUBLISHERS = {"000.00.16.H04", "000.00.15.H04", "000.00.19.H04"}

# Procedures: (ma_tthc, ten, ma_linh_vuc, ten_linh_vuc, cap, muc_do, thoi_han, unit, giay,
#   publisher, popularity, fee VND (0 = no fee))
L, N = "ngay_lam_viec", "ngay"
TP, KH, TN, XD, LD, GT, YT, GD, CT, NN, NV, TT, VH, TC = (
    "000.00.11.H04", "000.00.12.H04", "000.00.15.H04", "000.00.16.H04", "000.00.18.H04",
    "000.00.17.H04", "000.00.02.H04", "000.00.03.H04", "000.00.14.H04", "000.00.19.H04",
    "000.00.10.H04", "000.00.05.H04", "000.00.04.H04", "000.00.13.H04")
PROCEDURES = [
    # commune level (xa)
    ("1.001193", "Đăng ký khai sinh", "G09-TP03", "Hộ tịch", "xa", "toan_trinh", 1, L, 1, TP, 30, 0),
    ("1.000894", "Đăng ký kết hôn", "G09-TP03", "Hộ tịch", "xa", "mot_phan", 5, L, 1, TP, 6, 0),
    ("1.000656", "Thay đổi, cải chính, bổ sung thông tin hộ tịch", "G09-TP03", "Hộ tịch", "xa", "mot_phan", 3, L, 1, TP, 4, 15000),
    ("1.004946", "Cấp giấy xác nhận tình trạng hôn nhân", "G09-TP03", "Hộ tịch", "xa", "toan_trinh", 3, L, 1, TP, 14, 15000),
    ("1.000689", "Đăng ký khai tử", "G09-TP03", "Hộ tịch", "xa", "toan_trinh", 1, L, 1, TP, 8, 0),
    ("1.001022", "Đăng ký nhận cha, mẹ, con", "G09-TP03", "Hộ tịch", "xa", "mot_phan", 3, L, 1, TP, 1, 0),
    ("1.000593", "Đăng ký giám hộ", "G09-TP03", "Hộ tịch", "xa", "mot_phan", 3, L, 1, TP, 0.3, 0),
    ("1.004873", "Cấp bản sao trích lục hộ tịch", "G09-TP03", "Hộ tịch", "xa", "toan_trinh", 1, L, 1, TP, 9, 8000),
    ("2.000908", "Chứng thực chữ ký trong các giấy tờ, văn bản", "G09-TP02", "Chứng thực", "xa", "mot_phan", 2, N, 0, TP, 10, 10000),
    ("2.000884", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp", "G09-TP02", "Chứng thực", "xa", "mot_phan", 1, L, 0, TP, 26, 2000),
    ("2.000913", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "G09-TP02", "Chứng thực", "xa", "khong", 2, L, 1, TP, 2, 50000),
    ("2.001035", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "G09-TP02", "Chứng thực", "xa", "khong", 2, L, 1, TP, 0.5, 30000),
    ("1.010939", "Đăng ký thường trú", "G09-CA01", "Đăng ký, quản lý cư trú", "xa", "toan_trinh", 7, L, 0, NV, 6, 20000),
    ("1.010940", "Đăng ký tạm trú", "G09-CA01", "Đăng ký, quản lý cư trú", "xa", "toan_trinh", 3, L, 0, NV, 5, 15000),
    ("1.001699", "Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình", "G09-LD02", "Bảo trợ xã hội", "xa", "mot_phan", 10, L, 1, LD, 1, 0),
    ("1.001776", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng", "G09-LD02", "Bảo trợ xã hội", "xa", "mot_phan", 20, L, 1, LD, 1.5, 0),
    ("1.010813", "Xác nhận thông tin về người có công", "G09-LD03", "Người có công", "xa", "mot_phan", 5, L, 1, LD, 0.8, 0),
    ("1.003596", "Đăng ký hoạt động tín ngưỡng", "G09-NV05", "Tín ngưỡng, tôn giáo", "xa", "mot_phan", 15, N, 1, NV, 0.2, 0),
    ("1.008004", "Xác nhận đơn đề nghị hỗ trợ chi phí mai táng", "G09-LD03", "Người có công", "xa", "mot_phan", 5, L, 1, LD, 0.7, 0),
    ("2.001157", "Đăng ký thế chấp quyền sử dụng đất (cấp xã)", "G09-TN01", "Đất đai", "xa", "mot_phan", 3, L, 1, TN, 1.5, 80000),
    ("1.003554", "Hòa giải tranh chấp đất đai", "G09-TN01", "Đất đai", "xa", "khong", 45, N, 1, TN, 0.3, 0),
    ("1.001120", "Cấp giấy phép sửa chữa nhà ở nông thôn", "G09-XD03", "Hoạt động xây dựng", "xa", "mot_phan", 10, L, 1, XD, 0.4, 50000),
    ("2.002165", "Xác nhận nguồn gốc lâm sản", "G09-NN02", "Lâm nghiệp", "xa", "mot_phan", 3, L, 1, NN, 0.6, 0),
    ("1.003005", "Công nhận gia đình văn hóa", "G09-VH01", "Văn hóa cơ sở", "xa", "mot_phan", 5, L, 1, VH, 0.3, 0),
    # district level (huyen)
    ("1.001612", "Đăng ký thành lập hộ kinh doanh", "G09-KH05", "Thành lập và hoạt động của hộ kinh doanh", "huyen", "toan_trinh", 3, L, 1, KH, 5, 100000),
    ("2.000720", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "G09-KH05", "Thành lập và hoạt động của hộ kinh doanh", "huyen", "toan_trinh", 3, L, 1, KH, 3, 50000),
    ("1.001266", "Tạm ngừng kinh doanh hộ kinh doanh", "G09-KH05", "Thành lập và hoạt động của hộ kinh doanh", "huyen", "toan_trinh", 3, L, 0, KH, 0.8, 0),
    ("2.001962", "Đăng ký thành lập hợp tác xã", "G09-KH04", "Hợp tác xã", "huyen", "mot_phan", 5, L, 1, KH, 0.2, 100000),
    ("1.009994", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "G09-XD03", "Hoạt động xây dựng", "huyen", "mot_phan", 15, N, 1, XD, 3, 75000),
    ("1.009995", "Cấp giấy phép sửa chữa, cải tạo nhà ở riêng lẻ", "G09-XD03", "Hoạt động xây dựng", "huyen", "mot_phan", 15, N, 1, XD, 0.6, 50000),
    ("1.004227", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "G09-TN01", "Đất đai", "huyen", "mot_phan", 10, N, 1, TN, 7, 50000),
    ("1.004203", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", "G09-TN01", "Đất đai", "huyen", "mot_phan", 7, L, 1, TN, 3, 50000),
    ("2.000889", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "G09-TN01", "Đất đai", "huyen", "mot_phan", 20, L, 1, TN, 2, 100000),
    ("1.005398", "Chuyển mục đích sử dụng đất", "G09-TN01", "Đất đai", "huyen", "mot_phan", 15, L, 1, TN, 0.8, 100000),
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "G09-TP02", "Chứng thực", "huyen", "mot_phan", 1, L, 0, TP, 4, 2000),
    ("2.000942", "Chứng thực chữ ký người dịch", "G09-TP02", "Chứng thực", "huyen", "khong", 2, L, 0, TP, 0.6, 10000),
    ("1.000419", "Đăng ký khai sinh có yếu tố nước ngoài", "G09-TP03", "Hộ tịch", "huyen", "mot_phan", 15, L, 1, TP, 0.2, 75000),
    ("1.001695", "Đăng ký kết hôn có yếu tố nước ngoài", "G09-TP03", "Hộ tịch", "huyen", "mot_phan", 15, L, 1, TP, 0.2, 1000000),
    ("1.001758", "Trợ cấp xã hội hàng tháng cho đối tượng bảo trợ xã hội", "G09-LD02", "Bảo trợ xã hội", "huyen", "mot_phan", 7, L, 1, LD, 1.2, 0),
    ("1.002252", "Giải quyết trợ cấp một lần đối với người có công", "G09-LD03", "Người có công", "huyen", "mot_phan", 12, L, 1, LD, 0.4, 0),
    ("1.000105", "Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm", "G09-CT02", "An toàn thực phẩm", "huyen", "mot_phan", 15, L, 1, CT, 0.4, 500000),
    ("2.000635", "Cấp giấy phép bán lẻ sản phẩm rượu", "G09-CT03", "Lưu thông hàng hóa trong nước", "huyen", "toan_trinh", 10, L, 1, CT, 0.3, 600000),
    # provincial level (tinh)
    ("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "G09-KH01", "Thành lập và hoạt động của doanh nghiệp", "tinh", "toan_trinh", 3, L, 0, KH, 1.2, 50000),
    ("2.002032", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "G09-KH01", "Thành lập và hoạt động của doanh nghiệp", "tinh", "toan_trinh", 3, L, 0, KH, 3, 50000),
    ("1.001193", None, None, None, None, None, None, None, None, None, None, None),  # placeholder removed below
    ("2.001199", "Đăng ký thành lập công ty TNHH một thành viên", "G09-KH01", "Thành lập và hoạt động của doanh nghiệp", "tinh", "toan_trinh", 3, L, 0, KH, 1.5, 50000),
    ("1.005010", "Thông báo thay đổi thông tin người quản lý doanh nghiệp", "G09-KH01", "Thành lập và hoạt động của doanh nghiệp", "tinh", "toan_trinh", 3, L, 0, KH, 0.8, 0),
    ("1.001757", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "G09-TP04", "Lý lịch tư pháp", "tinh", "toan_trinh", 10, L, 1, TP, 4, 200000),
    ("2.000488", "Cấp bản sao văn bản công chứng", "G09-TP05", "Công chứng", "tinh", "mot_phan", 2, L, 1, TP, 0.5, 5000),
    ("1.004253", "Cấp giấy phép thăm dò nước dưới đất", "G09-TN03", "Tài nguyên nước", "tinh", "mot_phan", 20, L, 1, TN, 0.1, 1000000),
    ("2.001823", "Cấp giấy phép khai thác nước mặt", "G09-TN03", "Tài nguyên nước", "tinh", "mot_phan", 20, L, 1, TN, 0.1, 1000000),
    ("1.004220", "Đăng ký đất đai cho tổ chức", "G09-TN01", "Đất đai", "tinh", "mot_phan", 15, N, 1, TN, 1, 500000),
    ("1.010727", "Thẩm định báo cáo đánh giá tác động môi trường", "G09-TN02", "Môi trường", "tinh", "mot_phan", 25, L, 1, TN, 0.2, 5000000),
    ("1.009972", "Cấp giấy phép xây dựng công trình cấp II, III", "G09-XD03", "Hoạt động xây dựng", "tinh", "mot_phan", 20, N, 1, XD, 0.4, 150000),
    ("1.009973", "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng", "G09-XD02", "Quản lý chất lượng công trình", "tinh", "mot_phan", 25, N, 1, XD, 0.3, 0),
    ("1.002804", "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, III", "G09-XD04", "Hoạt động xây dựng", "tinh", "toan_trinh", 20, N, 1, XD, 0.4, 300000),
    ("1.002861", "Cấp đổi giấy phép lái xe", "G09-GT01", "Đường bộ", "tinh", "toan_trinh", 5, L, 1, GT, 5, 135000),
    ("1.001777", "Đăng ký khai thác tuyến vận tải hành khách cố định", "G09-GT01", "Đường bộ", "tinh", "toan_trinh", 2, L, 0, GT, 0.3, 0),
    ("1.000389", "Cấp giấy phép lao động cho người nước ngoài", "G09-LD01", "Việc làm", "tinh", "toan_trinh", 5, L, 1, LD, 0.8, 600000),
    ("1.001881", "Giải quyết hưởng trợ cấp thất nghiệp", "G09-LD01", "Việc làm", "tinh", "mot_phan", 20, N, 1, LD, 2.5, 0),
    ("2.000134", "Đăng ký nội quy lao động của doanh nghiệp", "G09-LD04", "Lao động - Tiền lương", "tinh", "toan_trinh", 7, L, 0, LD, 0.3, 0),
    ("1.001824", "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "G09-YT01", "Khám bệnh, chữa bệnh", "tinh", "mot_phan", 20, N, 1, YT, 0.4, 360000),
    ("1.003001", "Cấp giấy chứng nhận đủ điều kiện kinh doanh dược", "G09-YT02", "Dược phẩm", "tinh", "mot_phan", 20, N, 1, YT, 0.2, 1000000),
    ("1.005097", "Công nhận văn bằng tốt nghiệp do cơ sở nước ngoài cấp", "G09-GD01", "Văn bằng, chứng chỉ", "tinh", "toan_trinh", 20, L, 1, GD, 0.1, 0),
    ("2.001914", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "G09-GD01", "Văn bằng, chứng chỉ", "tinh", "toan_trinh", 1, L, 0, GD, 0.5, 0),
    ("2.000190", "Cấp giấy phép sử dụng vật liệu nổ công nghiệp", "G09-CT04", "Vật liệu nổ công nghiệp", "tinh", "mot_phan", 5, L, 1, CT, 0.05, 1500000),
    ("2.000633", "Cấp giấy phép bán buôn sản phẩm rượu", "G09-CT03", "Lưu thông hàng hóa trong nước", "tinh", "toan_trinh", 15, L, 1, CT, 0.1, 1200000),
    ("1.003397", "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản", "G09-NN03", "Quản lý chất lượng nông lâm sản", "tinh", "mot_phan", 15, L, 1, NN, 0.2, 700000),
    ("1.004363", "Cấp giấy phép vận chuyển thuốc bảo vệ thực vật", "G09-NN04", "Bảo vệ thực vật", "tinh", "toan_trinh", 7, L, 1, NN, 0.05, 0),
    ("1.000775", "Thẩm định nâng hạng chức danh nghề nghiệp viên chức", "G09-NV02", "Công chức, viên chức", "tinh", "mot_phan", 30, N, 1, NV, 0.05, 0),
    ("1.003822", "Cấp giấy phép xuất bản bản tin", "G09-TT01", "Báo chí, xuất bản", "tinh", "toan_trinh", 10, L, 1, TT, 0.05, 0),
    ("1.001029", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", "G09-VH02", "Nghệ thuật biểu diễn", "tinh", "toan_trinh", 5, L, 0, VH, 0.1, 0),
    ("1.006444", "Quyết toán vốn đầu tư dự án hoàn thành", "G09-TC01", "Quản lý công sản", "tinh", "khong", 30, N, 1, TC, 0.1, 0),
]
PROCEDURES = [p for p in PROCEDURES if p[1] is not None]


@dataclass
class Province:
    dvhc_rows: list[tuple]
    don_vi_rows: list[tuple]
    tthc_rows: list[tuple]
    communes: list[dict]            # ma_dvhc, ten, district code, agency code, weight, population
    districts: list[dict]
    # agency tables used by the simulation
    agencies: list[tuple[str, str]] = field(default_factory=list)  # (code, name) in agency-id order
    reform: object = None          # reform.Reform: the 2025 map (new communes, successors)


_SYL1 = ["Tân", "Hồng", "Xuân", "Đông", "Tây", "Nam", "Bắc", "Phúc", "Quang", "Minh", "Thanh",
         "Hương", "Ngọc", "Hòa", "An", "Trung", "Đại", "Song", "Phượng", "Cẩm", "Bảo", "Kim",
         "Lam", "Nghĩa", "Thái", "Vân", "Mỹ", "Yên", "Đồng", "Hoàng"]
_SYL2 = ["Sơn", "Lâm", "Hưng", "Thịnh", "Phong", "Lộc", "Tiến", "Hà", "Vinh", "Thành", "Long",
         "Mai", "Hải", "Lương", "Khê", "Đức", "Phú", "Quý", "Tâm", "Xá", "Dương", "Liên",
         "Trường", "Bình", "Điền", "Trạch", "Hợp", "Châu", "Lạc", "Đình"]


def build(rng: np.random.Generator) -> Province:
    dvhc = [(PROVINCE_CODE, "Tỉnh Bắc Giang", "tinh", "", "1997-01-01", "", "")]
    don_vi = [(c, n, "tinh", PROVINCE_CODE, "", f, "") for c, n, f in DEPARTMENTS]
    communes: list[dict] = []
    districts: list[dict] = []
    used_names: set[str] = set()
    for code, old_name, name, dd, n_comm, first, weight in DISTRICTS:
        ubnd = f"000.00.{dd}.H04"
        short = name.split(" ", 1)[1] if not name.startswith("Thành phố") else name[10:]
        kind = name.split(" ")[0].lower() if not name.startswith("Thành phố") else "thành phố"
        if name.startswith("Thị xã"):
            kind = "thị xã"
        ends = BEFORE_CHANGE if code == "221" else ""
        heir = "213" if code == "221" else ""
        if old_name:
            dvhc.append((code, old_name, "huyen", PROVINCE_CODE, "1997-01-01", "2024-01-31", ""))
            dvhc.append((code, name, "huyen", PROVINCE_CODE, "2024-02-01", ends, heir))
            don_vi.append((ubnd, f"UBND huyện {short}", "huyen", code, "", "2008-01-01", "2024-01-31"))
            don_vi.append((ubnd, f"UBND {kind} {short}", "huyen", code, "", "2024-02-01", ends))
        else:
            dvhc.append((code, name, "huyen", PROVINCE_CODE, "1997-01-01", ends, heir))
            don_vi.append((ubnd, f"UBND {kind} {short}", "huyen", code, "", "2008-01-01", ends))
        for oo, oname, _ in OFFICES:
            don_vi.append((f"000.{dd}.{oo}.H04", f"{oname} {kind} {short}", "huyen", code, ubnd,
                           "2008-01-01", ends))
        districts.append({"code": code, "name": name, "dd": dd, "ubnd": ubnd, "weight": weight,
                          "until": ends})
        urban = code in ("213", "222")
        for k in range(n_comm):
            ccode = f"{first + 3 * k:05d}"
            while True:
                nm = f"{_SYL1[rng.integers(len(_SYL1))]} {_SYL2[rng.integers(len(_SYL2))]}"
                if nm not in used_names:
                    used_names.add(nm)
                    break
            level = "Phường" if (urban and k < 10) or (code == "219" and k == 0) else "Xã"
            if code == "219" and k == 0:
                level = "Thị trấn"
            cname = f"{level} {nm}"
            agency = f"{ccode[-3:]}.{dd}.{dd}.H04"
            pop = int(rng.lognormal(np.log(9000), 0.35))
            communes.append({"code": ccode, "name": cname, "district": code, "agency": agency,
                             "dd": dd, "population": pop})
    # commune rows, with the late-2024 moves
    chu_code, chu_name, chu_dd = CHU
    chu_ubnd = f"000.00.{chu_dd}.H04"
    ln_count = 0
    for c in communes:
        aname = f"UBND {c['name'][0].lower()}{c['name'][1:]}"
        new_parent = None
        if c["district"] == "221":
            new_parent, new_ubnd = "213", "000.00.21.H04"
        elif c["district"] == "219" and ln_count < CHU_FROM_LUC_NGAN:
            ln_count += 1
            new_parent, new_ubnd = chu_code, chu_ubnd
        if new_parent is None:
            dvhc.append((c["code"], c["name"], "xa", c["district"], "1997-01-01", "", ""))
            don_vi.append((c["agency"], aname, "xa", c["code"], f"000.00.{c['dd']}.H04",
                           "2008-01-01", ""))
        else:
            dvhc.append((c["code"], c["name"], "xa", c["district"], "1997-01-01", BEFORE_CHANGE, ""))
            new_name = c["name"]
            if new_parent == chu_code and new_name.startswith("Thị trấn"):
                new_name = "Phường" + new_name[8:]  # the town of Chũ becomes a ward
            c["new_name"] = new_name
            dvhc.append((c["code"], new_name, "xa", new_parent, CHANGE_DATE.isoformat(), "", ""))
            don_vi.append((c["agency"], aname, "xa", c["code"], f"000.00.{c['dd']}.H04",
                           "2008-01-01", BEFORE_CHANGE))
            don_vi.append((c["agency"], f"UBND {new_name[0].lower()}{new_name[1:]}", "xa",
                           c["code"], new_ubnd, CHANGE_DATE.isoformat(), ""))
            c["new_district"] = new_parent
    dvhc.append((chu_code, chu_name, "huyen", PROVINCE_CODE, CHANGE_DATE.isoformat(), "", ""))
    don_vi.append((chu_ubnd, "UBND thị xã Chũ", "huyen", chu_code, "", CHANGE_DATE.isoformat(), ""))
    for oo, oname, _ in OFFICES:
        don_vi.append((f"000.{chu_dd}.{oo}.H04", f"{oname} thị xã Chũ", "huyen", chu_code,
                       chu_ubnd, CHANGE_DATE.isoformat(), ""))
    districts.append({"code": chu_code, "name": chu_name, "dd": chu_dd, "ubnd": chu_ubnd,
                      "weight": 0.0, "until": "", "from": CHANGE_DATE.isoformat()})

    tthc = [(p[0], p[1], p[2], p[3], p[4], p[5], 1 if p[11] > 0 else 0, p[6], p[7], p[8], p[9])
            for p in PROCEDURES]
    tthc.sort()
    prov = Province(dvhc_rows=dvhc, don_vi_rows=don_vi, tthc_rows=tthc, communes=communes,
                    districts=districts)

    def new_name() -> str:
        while True:
            nm = f"{_SYL1[rng.integers(len(_SYL1))]} {_SYL2[rng.integers(len(_SYL2))]}"
            if nm not in used_names:
                used_names.add(nm)
                return nm

    # after every draw above: the units of 2024 do not depend on the reform
    prov.reform = reform.apply(prov, rng, new_name)
    return prov


def cong_bo_rows(rng: np.random.Generator, cal, first_year: int, last_year: int) -> list[tuple]:
    """One or two provincial publication decisions per procedure and year.

    On time: the decision at least 5 working days before the ministry's text takes effect and
    made public within 5 working days. The LATE_PUBLISHERS miss one or both most of the time.
    """
    rows = []
    qd_no = 100
    for year in range(first_year, last_year + 1):
        for p in sorted(PROCEDURES):
            n_dec = 1 + int(rng.random() < 0.3)
            for _ in range(n_dec):
                eff = date(year, 1, 15).toordinal() + int(rng.integers(0, 330))
                eff_d = date.fromordinal(eff)
                late = p[9] in LATE_PUBLISHERS and rng.random() < 0.6
                eff_day = eff - 719163  # days since 1970
                if late:
                    qd_day = int(cal.wd_add(eff_day - 10, int(rng.integers(6, 14))))
                else:
                    qd_day = int(cal.wd_add(eff_day - 40, int(rng.integers(5, 20))))
                    qd_day = min(qd_day, int(cal.wd_list[cal.wd_pos(eff_day) - 5]))
                late_pub = (p[9] in LATE_PUBLISHERS and rng.random() < 0.5) or rng.random() < 0.03
                pub_day = int(cal.wd_add(qd_day, int(rng.integers(6, 15) if late_pub
                                                         else rng.integers(1, 6))))
                qd_no += int(rng.integers(1, 9))
                ministry = {"000.00.11.H04": "BTP", "000.00.12.H04": "BKHĐT",
                            "000.00.15.H04": "BTNMT", "000.00.16.H04": "BXD",
                            "000.00.18.H04": "BLĐTBXH", "000.00.17.H04": "BGTVT",
                            "000.00.02.H04": "BYT", "000.00.03.H04": "BGDĐT",
                            "000.00.14.H04": "BCT", "000.00.19.H04": "BNNPTNT",
                            "000.00.10.H04": "BNV", "000.00.05.H04": "BTTTT",
                            "000.00.04.H04": "BVHTTDL", "000.00.13.H04": "BTC"}[p[9]]
                from .calendar import num_day
                pub = num_day(pub_day)
                unpublished = rng.random() < (0.25 if p[9] in LATE_PUBLISHERS else 0.02)
                # from the mergers, the absorbing department publishes (tthc.csv keeps the
                # catalogue's publisher: it has no validity)
                publisher = p[9]
                if num_day(qd_day) >= reform.MERGER_DATE:
                    publisher = reform.DEPARTMENT_MERGERS.get(publisher, publisher)
                rows.append((p[0], publisher, f"{int(rng.integers(100, 2500)):04d}/QĐ-{ministry}",
                             eff_d.isoformat(), f"{qd_no}/QĐ-UBND", num_day(qd_day).isoformat(),
                             "" if unpublished else pub.isoformat()))
    rows.sort(key=lambda r: (r[5], r[0], r[4]))
    return rows


CHI_TIEU = [
    ("on_time_rate", 2024, "0.98", "Thông báo 294/TB-UBND; Kế hoạch cải cách hành chính 2024"),
    ("online_rate", 2024, "0.8", "Kế hoạch chuyển đổi số tỉnh Bắc Giang 2024"),
    ("online_payment_rate", 2024, "0.45", "Kế hoạch chuyển đổi số tỉnh Bắc Giang 2024"),
    ("digitization_rate", 2024, "0.8", "Nghị định 45/2020/NĐ-CP; Kế hoạch 2024"),
    ("supplement_rate", 2024, "0.2213", "Kế hoạch cải cách hành chính 2024"),
    ("refusal_rate", 2024, "0.0251", "Kế hoạch cải cách hành chính 2024"),
    ("appointment_inflation_rate", 2024, "0.0497", "Kế hoạch kiểm soát TTHC 2024"),
    ("avg_processing_wd", 2024, "2.4713", "Kế hoạch kiểm soát TTHC 2024"),
    ("avg_postal_return_wd", 2024, "3.5317", "Thông báo 294/TB-UBND"),
]
