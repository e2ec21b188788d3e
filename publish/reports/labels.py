"""Vietnamese labels and number formats shared by the dashboard, the workbooks and the
scorecard (one place, so that the three never name a figure differently)."""

from __future__ import annotations

import math
from datetime import date

# Thông báo 294/TB-UBND Bắc Giang (19/7/2024): the first-half 2024 figures the dashboard and the
# scorecard put beside the computed ones.
NOTICE_NAME = "Thông báo 294/TB-UBND (6 tháng đầu năm 2024)"
NOTICE_H1_2024 = {
    "on_time_rate": 0.98,
    "online_rate": 0.786,
    "online_payment_rate": 0.3674,
    "satisfaction_766": 0.9792,
    "vneid_without_account": 216_219,
}

HEADLINE_KPIS = ["on_time_rate", "online_rate", "online_payment_rate", "satisfaction_766"]
RANKED_KPIS = ["on_time_rate", "online_rate", "online_payment_rate"]
VNEID_KPI = "vneid_without_account"

KPI_LABELS = {
    "on_time_rate": "Tỷ lệ giải quyết trước và đúng hạn",
    "progress_766": "Tiến độ giải quyết (766, chỉ tiêu 2.1)",
    "online_rate": "Tỷ lệ hồ sơ trực tuyến",
    "online_payment_rate": "Tỷ lệ thanh toán trực tuyến",
    "digitization_rate": "Tỷ lệ số hóa hồ sơ",
    "e_result_rate": "Tỷ lệ cấp kết quả điện tử",
    "reuse_rate": "Tỷ lệ tái sử dụng dữ liệu số hóa",
    "satisfaction_766": "Mức độ hài lòng (766, chỉ tiêu 5.4)",
    "supplement_rate": "Tỷ lệ hồ sơ yêu cầu bổ sung",
    "refusal_rate": "Tỷ lệ từ chối tiếp nhận",
    "vneid_auth_rate": "Tỷ lệ tài khoản xác thực VNeID",
    "appointment_inflation_rate": "Tỷ lệ hẹn trả vượt thời hạn luật định",
    "avg_processing_wd": "Thời gian giải quyết bình quân (ngày làm việc)",
    "avg_postal_return_wd": "Thời gian chuyển trả kết quả qua bưu chính (ngày làm việc)",
    "sync_rate_766": "Tỷ lệ đồng bộ lên Cổng DVCQG",
    VNEID_KPI: "Số công dân chưa có tài khoản VNeID",
}
# kpis.md: these are averages in working days, not rates.
AVERAGE_KPIS = {"avg_processing_wd", "avg_postal_return_wd"}
# kpis.md, meets_target: lower is better for these.
LOWER_IS_BETTER = {
    "supplement_rate",
    "refusal_rate",
    "appointment_inflation_rate",
    "avg_processing_wd",
    "avg_postal_return_wd",
    VNEID_KPI,
}

LEVEL_LABELS = {"agency": "Cơ quan", "district": "Huyện", "province": "Tỉnh"}
ROMAN = ["I", "II", "III", "IV"]


def fmt_int(value) -> str:
    """216219 → '216.219' (Vietnamese thousands separator)."""
    if value is None:
        return "–"
    return f"{int(value):,}".replace(",", ".")


def fmt_pct(value, digits: int = 2) -> str:
    """0.978512 → '97,85%'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value * 100:,.{digits}f}%".replace(",", " ").replace(".", ",").replace(" ", ".")


def fmt_decimal(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def fmt_kpi(kpi_code: str, value) -> str:
    if kpi_code == VNEID_KPI:
        return fmt_int(value)
    if kpi_code in AVERAGE_KPIS:
        return fmt_decimal(value)
    return fmt_pct(value)


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "–"


def period_label(period_type: str, period: str) -> str:
    """'2024-H1' → '6 tháng đầu năm 2024', '2024-Q2' → 'Quý II năm 2024', '2024-03' → 'Tháng 03/2024'."""
    if period_type == "month":
        year, month = period.split("-")
        return f"Tháng {month}/{year}"
    if period_type == "quarter":
        year, quarter = period.split("-Q")
        return f"Quý {ROMAN[int(quarter) - 1]} năm {year}"
    if period_type == "half":
        year, half = period.split("-H")
        return f"6 tháng {'đầu' if half == '1' else 'cuối'} năm {year}"
    return f"Năm {period}"
