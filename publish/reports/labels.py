"""Vietnamese labels and number formats shared by the dashboard, the workbooks and the
scorecard (one place, so that the three never name a figure differently)."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from orchestration.settings import DBT_PROJECT_DIR

if TYPE_CHECKING:
    from publish.reports.marts import Period

# Each KPI's label, unit and direction: the dbt seed that kpi_values reads for meets_target,
# so that the reports and the marts never disagree on them.
KPI_DEFINITIONS_CSV = DBT_PROJECT_DIR / "seeds" / "kpi_definitions.csv"

# Thông báo 294/TB-UBND Bắc Giang (19/7/2024): the first-half 2024 figures of province 24 that
# the dashboard and the scorecard put beside the computed ones, for that half-year of that
# province only (reorganisation.md "Names come from the data"): beside another period or
# province they would compare different things.
NOTICE_NAME = "Thông báo 294/TB-UBND (6 tháng đầu năm 2024)"
NOTICE_SHORT_NAME = "TB 294 (6T/2024)"  # the scorecard's column
NOTICE_CARD_LABEL = "Thông báo 294 (6T/2024)"  # the dashboard's line under each figure
NOTICE_PROVINCE_CODE = "24"
NOTICE_PERIOD = ("half", "2024-H1")
NOTICE_H1_2024 = {
    "on_time_rate": 0.98,
    "online_rate": 0.786,
    "online_payment_rate": 0.3674,
    "satisfaction_766": 0.9792,
    "vneid_without_account": 216_219,
}


def notice_figures(period: Period | None, province_code: str | None) -> dict | None:
    """The notice's figures when the period shown is its half-year (2024-H1, also while the data
    end within it) of its province (code 24), else None: no comparison is shown."""
    if period is None or (period.period_type, period.period) != NOTICE_PERIOD:
        return None
    return NOTICE_H1_2024 if province_code == NOTICE_PROVINCE_CODE else None


# dvhc.csv names a province with its kind ("Tỉnh Bắc Giang", "Thành phố Hà Nội"); a sentence
# writes the kind in lower case ("UBND tỉnh Bắc Giang", "Toàn tỉnh Bắc Giang") and never twice.
PROVINCE_KIND = re.compile(r"^(?:(?P<tinh>tỉnh)|(?P<city>thành phố|tp\.|tp))(?:\s+|$|(?<=\.))", re.IGNORECASE)


def province_place(name: str | None) -> str | None:
    """How a sentence names the province: 'Tỉnh Bắc Giang' or a bare 'Bắc Giang' → 'tỉnh Bắc
    Giang', 'Thành phố Hà Nội' or 'TP. Hà Nội' → 'thành phố Hà Nội'; None without a name."""
    name = unicodedata.normalize("NFC", " ".join((name or "").split()))
    kind = PROVINCE_KIND.match(name)
    rest = name[kind.end():] if kind else name
    if not rest:
        return None
    return f"{'thành phố' if kind and kind['city'] else 'tỉnh'} {rest}"


HEADLINE_KPIS = ["on_time_rate", "online_rate", "online_payment_rate", "satisfaction_766"]
RANKED_KPIS = ["on_time_rate", "online_rate", "online_payment_rate"]
VNEID_KPI = "vneid_without_account"


def read_kpi_definitions(path: Path = KPI_DEFINITIONS_CSV) -> dict[str, dict[str, str]]:
    """kpi_code → {label_vi, unit, lower_is_better} of the seed, in its order."""
    with path.open(encoding="utf-8", newline="") as file:
        return {row["kpi_code"]: row for row in csv.DictReader(file)}


KPI_DEFINITIONS = read_kpi_definitions()
KPI_LABELS = {code: row["label_vi"] for code, row in KPI_DEFINITIONS.items()}
# kpis.md: these are averages in working days, not rates.
AVERAGE_KPIS = {code for code, row in KPI_DEFINITIONS.items() if row["unit"] == "working_days"}
# kpis.md, meets_target: lower is better for these. An empty lower_is_better in the seed means
# no direction (received_elsewhere_rate): neither better nor worse, meets_target stays null.
LOWER_IS_BETTER = {
    code for code, row in KPI_DEFINITIONS.items() if row["lower_is_better"].strip().lower() == "true"
}

LEVEL_LABELS = {"agency": "Cơ quan", "district": "Huyện", "province": "Tỉnh"}
ROMAN = ["I", "II", "III", "IV"]


# vi_VN number formats from Babel (CLDR): decimal comma, thousands dot. The dashboard's script
# and plotly's `separators` take the same two symbols from here.
LOCALE = "vi_VN"
DECIMAL_SYMBOL = get_decimal_symbol(LOCALE)
GROUP_SYMBOL = get_group_symbol(LOCALE)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value) -> str:
    """216219 → '216.219' (Vietnamese thousands separator)."""
    if _missing(value):
        return "–"
    return format_decimal(int(value), "#,##0", locale=LOCALE)


def fmt_pct(value, digits: int = 2) -> str:
    """0.978512 → '97,85%'."""
    if _missing(value):
        return "–"
    return format_percent(value, "#,##0." + "0" * digits + "%" if digits else "#,##0%", locale=LOCALE)


def fmt_decimal(value, digits: int = 2) -> str:
    """1234.5 → '1.234,50'."""
    if _missing(value):
        return "–"
    return format_decimal(value, "#,##0." + "0" * digits if digits else "#,##0", locale=LOCALE)


def fmt_kpi(kpi_code: str, value) -> str:
    unit = KPI_DEFINITIONS.get(kpi_code, {}).get("unit", "rate")
    if unit == "count":
        return fmt_int(value)
    if unit == "working_days":
        return fmt_decimal(value)
    return fmt_pct(value)


def fmt_date(value: date | None) -> str:
    return format_date(value, "dd/MM/yyyy", locale=LOCALE) if value else "–"


def period_short(period_type: str, period: str) -> str:
    """The short name of a period on a chart's axis or in a filter: 'T1/2024' (month),
    'Tuần 27/2024' (ISO week), 'Quý II/2024', '6T đầu/2024', 'Năm 2024'."""
    if period_type == "month":
        year, month = period.split("-")
        return f"T{int(month)}/{year}"
    if period_type == "week":
        year, week = period.split("-W")
        return f"Tuần {int(week)}/{year}"
    if period_type == "quarter":
        year, quarter = period.split("-Q")
        return f"Quý {ROMAN[int(quarter) - 1]}/{year}"
    if period_type == "half":
        year, half = period.split("-H")
        return f"6T {'đầu' if half == '1' else 'cuối'}/{year}"
    return f"Năm {period}"


def period_label(period_type: str, period: str) -> str:
    """'2024-H1' → '6 tháng đầu năm 2024', '2024-Q2' → 'Quý II năm 2024', '2024-03' → 'Tháng 03/2024',
    '2024-W27' → 'Tuần 27 năm 2024' (ISO week)."""
    if period_type == "month":
        year, month = period.split("-")
        return f"Tháng {month}/{year}"
    if period_type == "quarter":
        year, quarter = period.split("-Q")
        return f"Quý {ROMAN[int(quarter) - 1]} năm {year}"
    if period_type == "half":
        year, half = period.split("-H")
        return f"6 tháng {'đầu' if half == '1' else 'cuối'} năm {year}"
    if period_type == "week":
        year, week = period.split("-W")
        return f"Tuần {int(week)} năm {year}"
    return f"Năm {period}"


# How a sentence names a period that has not ended yet: "tuần chưa kết thúc".
PERIOD_NOUNS = {"week": "tuần", "month": "tháng", "quarter": "quý", "half": "kỳ 6 tháng", "year": "năm"}


def calendar_end(period_type: str, period: str) -> date:
    """The last day of a period on the calendar ('2024-W17' → 28/04/2024, '2024-04' →
    30/04/2024), whatever day its data end on."""
    if period_type == "week":
        year, week = period.split("-W")
        return date.fromisocalendar(int(year), int(week), 7)
    if period_type == "month":
        year, month = (int(part) for part in period.split("-"))
        return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    if period_type == "quarter":
        year, quarter = (int(part) for part in period.split("-Q"))
        return calendar_end("month", f"{year}-{3 * quarter:02d}")
    if period_type == "half":
        year, half = (int(part) for part in period.split("-H"))
        return date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return date(int(period), 12, 31)


def period_range(period_type: str, period: str, start: date, end: date, data_through: date | None = None) -> str:
    """The dates of a period, in brackets: '(15/04/2024 – 21/04/2024)' for a whole period, as
    it has always read. The current period, which holds data_through and has not reached its
    last calendar day, says so, so that a reader does not take a few days for a whole week:
    '(từ 01/04/2024 đến 22/04/2024, tháng chưa kết thúc)', or '(ngày 22/04/2024, tuần chưa kết
    thúc)' when its data are of its first day only (never '22/04/2024 – 22/04/2024')."""
    last = calendar_end(period_type, period)
    shown_end = min(end, data_through) if data_through else end
    current = data_through is None or data_through < last
    if not (current and shown_end < last):
        return f"({fmt_date(start)} – {fmt_date(end)})"
    unfinished = f"{PERIOD_NOUNS.get(period_type, 'kỳ')} chưa kết thúc"
    if shown_end <= start:
        return f"(ngày {fmt_date(shown_end)}, {unfinished})"
    return f"(từ {fmt_date(start)} đến {fmt_date(shown_end)}, {unfinished})"


def period_text(period_type: str, period: str, start: date, end: date, data_through: date | None = None) -> str:
    """'Tuần 16 năm 2024 (15/04/2024 – 21/04/2024)', 'Tuần 17 năm 2024 (ngày 22/04/2024,
    tuần chưa kết thúc)': the period's name and its dates (period_range)."""
    return f"{period_label(period_type, period)} {period_range(period_type, period, start, end, data_through)}"


# --- codes shown in plain Vietnamese ---------------------------------------------------------

# status, channel, issue, reason…: the seed that is published as dim_codes.
CODES_CSV = DBT_PROJECT_DIR / "seeds" / "codes.csv"


def read_codes(path: Path = CODES_CSV) -> dict[tuple[str, str], str]:
    """(code_type, code) → label_vi of the seed."""
    with path.open(encoding="utf-8", newline="") as file:
        return {(row["code_type"], row["code"]): row["label_vi"] for row in csv.DictReader(file)}


CODE_LABELS = read_codes()

# The portal's 766 groups and indicators (portal_766.md) are named by the published lookups,
# never here: the indicators by dim_kpis (seed portal_766_indicator_labels.csv), the groups by
# dim_codes rows of code_type group_766 (seed codes.csv). See labels_766.


def labels_766(marts) -> dict[str, dict[str, str]]:
    """``{"group": {code: label_vi}, "indicator": {code: label_vi}}`` of the publication's
    lookups: the indicators from dim_kpis (its rows of source portal_766.md, fed by the seed
    portal_766_indicator_labels.csv), the groups from dim_codes (code_type group_766). A code
    without a label is left out: label_766 then shows the code itself."""
    found: dict[str, dict[str, str]] = {"group": {}, "indicator": {}}
    if marts.has("dim_kpis"):
        found["indicator"] = {
            code: label for code, label in marts.rows(
                "select kpi_code, label_vi from marts.dim_kpis where source = 'portal_766.md'"
            ) if label
        }
    if marts.has("dim_codes"):
        found["group"] = {
            code: label for code, label in marts.rows(
                "select code, label_vi from marts.dim_codes where code_type = 'group_766'"
            ) if label
        }
    return found


def label_766(labels: dict[str, dict[str, str]], kind: str, code) -> str:
    """The label of a 766 group or indicator (``kind`` "group" or "indicator") from
    labels_766; the code itself when the lookups have none."""
    code = "" if code is None else str(code)
    return labels.get(kind, {}).get(code) or code


SCORE_STATUS_LABELS = {
    "match": "Khớp",
    "mismatch": "Lệch",
    "not_recomputed": "Không tính lại được (thiếu chỉ số)",
    "estimated": "Ước tính (có nhóm lấy điểm Cổng)",
    "no_portal_row": "Cổng không có dòng của đơn vị",
    "no_portal_value": "Cổng để trống ô điểm",
    "no_system_data": "Không có trong hệ thống",
}


def code_label(code_type: str, code) -> str:
    """The Vietnamese label of a code (codes.csv, then the score statuses); an unknown code is
    shown as it is rather than dropped. The 766 groups and indicators: label_766."""
    code = "" if code is None else str(code)
    found = CODE_LABELS.get((code_type, code))
    if found:
        return found
    fallback = {"score_status": SCORE_STATUS_LABELS}.get(code_type, {})
    return fallback.get(code, code)


# The checks of the data-quality table and the manifest, in words (data_quality.py and the dbt
# tests name them in code). Generic dbt tests are named <test>_<model>_<column>.
CHECK_LABELS = {
    "rejected_file": "Tệp bị từ chối",
    "total_row_matches": "Dòng Tổng cộng khớp tổng các cơ quan",
    "unknown_receiving_agency": "Nơi tiếp nhận không có trong danh mục đơn vị",
    "successor_cycle": "Đơn vị kế thừa không lặp vòng",
    "stale_source": "Nguồn dữ liệu được cập nhật đúng hạn",
    "assert_bieu_06_province_equals_sum_of_agencies": "Biểu 06: toàn tỉnh bằng tổng các cơ quan",
    "assert_counted_rows_have_a_rollup_position": "Mỗi hồ sơ được đếm có vị trí tổng hợp",
    "assert_dossiers_counted_once_on_each_basis": "Mỗi hồ sơ được đếm một lần trên mỗi cơ sở",
    "assert_every_dossier_year_has_holidays": "Mỗi năm có hồ sơ đều có lịch nghỉ lễ",
    "assert_kpi_rates_within_0_and_1": "Các tỷ lệ nằm trong khoảng 0–1",
    "assert_restated_kpi_provinces_equal_as_was": "Chỉ tiêu toàn tỉnh quy đổi bằng số liệu gốc",
    "assert_restated_province_rows_equal_as_was": "Biểu 06 toàn tỉnh quy đổi bằng số liệu gốc",
    "warn_portal_766_score_mismatches": "Điểm 766 tính lại lệch điểm Cổng công bố",
    "warn_reconciliation_dossiers": "Hồ sơ lệch giữa hệ thống và Cổng",
    "warn_reconciliation_mismatches": "Số liệu lệch giữa hệ thống và Cổng",
}
GENERIC_TEST_LABELS = {
    "not_null": "Không để trống",
    "unique": "Không trùng lặp",
    "accepted_values": "Giá trị thuộc danh mục cho phép",
    "relationships": "Mã tham chiếu tồn tại",
    "dbt_utils_unique_combination_of_columns": "Không trùng lặp theo khóa",
    "dbt_utils_expression_is_true": "Điều kiện kiểm tra đúng",
    "dbt_utils_accepted_range": "Giá trị trong khoảng cho phép",
}
QUARANTINE_PREFIX = "quarantine:"
QUARANTINE_LABELS = {
    "invalid_json": "dòng không đọc được (JSON lỗi)",
    "bad_json": "dòng không đọc được (JSON lỗi)",
    "duplicate_key": "trùng mã",
    "unknown_agency": "mã cơ quan không có trong danh mục",
    "unknown_channel": "kênh nộp không hợp lệ",
    "unknown_procedure": "mã TTHC không có trong danh mục",
    "unknown_status": "trạng thái không hợp lệ",
    "unknown_unit": "mã đơn vị hành chính không có trong danh mục",
    "bad_validity": "thời gian hiệu lực không hợp lệ",
    "bad_folder_name": "tên thư mục không đúng quy ước",
}
SOURCE_LABELS = {
    "dossier_system": "Hệ thống một cửa điện tử",
    "dvc_portal": "Cổng DVCQG",
    "vneid": "VNeID",
    "reference": "Danh mục",
    "dbt": "Kiểm tra mô hình dữ liệu",
    "dagster": "Kiểm tra khi nạp",
}
SEVERITY_LABELS = {"error": "Chặn công bố", "warn": "Cảnh báo"}


def check_label(check_name: str | None) -> str:
    """'quarantine:bad_json' → 'Dòng bị cách ly: dòng không đọc được (JSON lỗi)'; 'not_null_kpi_values_value' →
    'Không để trống (kpi_values_value)'; a singular test by its known label; otherwise the
    name with its underscores as spaces (never an empty cell)."""
    name = check_name or ""
    if name in CHECK_LABELS:
        return CHECK_LABELS[name]
    if name.startswith(QUARANTINE_PREFIX):
        reason, _, field = name.removeprefix(QUARANTINE_PREFIX).partition(":")
        if reason == "bad_pattern" and field:
            return f"Dòng bị cách ly: trường {field} sai định dạng"
        return "Dòng bị cách ly: " + QUARANTINE_LABELS.get(reason, reason.replace("_", " "))
    if name.startswith("bieu_06_col"):
        return "Biểu 06: các cột cộng đúng (" + name.removeprefix("bieu_06_") + ")"
    for prefix in sorted(GENERIC_TEST_LABELS, key=len, reverse=True):
        if name.startswith(prefix + "_"):
            return f"{GENERIC_TEST_LABELS[prefix]} ({name.removeprefix(prefix + '_')})"
    return name.replace("_", " ")
GENERIC_TEST_LABELS |= {
    "unique_combination_of_columns": "Không trùng lặp theo khóa",
    "accepted_range": "Giá trị trong khoảng cho phép",
}
CHECK_LABELS |= {
    "files_accepted": "Tệp được chấp nhận",
    "gx_suite": "Dữ liệu nạp đúng cấu trúc",
    "quarantine_within_5pct": "Dòng cách ly không quá 5%",
    "rows_accounted": "Mọi dòng đọc được đều được nạp hoặc cách ly",
    "missing_day": "Thiếu tệp trích xuất hồ sơ của một ngày",
    "missing_month:portal_766": "Thiếu báo cáo 766 của Cổng DVCQG của một tháng",
    "missing_month:portal_synced": "Thiếu danh sách hồ sơ đồng bộ của một tháng",
    "stale_source": "Dữ liệu nguồn chưa được cập nhật",
}


def check_kind(check_name: str | None) -> str:
    """The kind of a check, for the count of those that passed: a generic dbt test by its
    kind, any other check by its label."""
    name = check_name or ""
    for prefix in sorted(GENERIC_TEST_LABELS, key=len, reverse=True):
        if name.startswith(prefix + "_"):
            return GENERIC_TEST_LABELS[prefix]
    if name.startswith("bieu_06_col"):
        return "Biểu 06: các cột cộng đúng"
    return check_label(name)


_QUARANTINED = re.compile(r"^(?P<path>.+): (?P<rows>\d+) rows? quarantined$")
_CHECK_WARNING = re.compile(r"^(?P<object>[^:\s]+):(?P<check>[a-z_0-9]+(?::[a-z_0-9]+)?)(?:: (?P<details>.*))?$")


def warning_label(warning: str) -> str:
    """A manifest warning in words: 'path: 3 rows quarantined' → 'path: 3 dòng bị cách ly';
    'marts/reconciliation:warn_reconciliation_mismatches' → 'Số liệu lệch giữa hệ thống và
    Cổng (reconciliation)'; the English details of a check are left out (they are in the
    data_quality mart for the operators)."""
    found = _QUARANTINED.match(warning)
    if found:
        return f"{found['path']}: {fmt_int(int(found['rows']))} dòng bị cách ly"
    found = _CHECK_WARNING.match(warning)
    if found:
        where = found["object"].removeprefix("marts/")
        return f"{check_label(found['check'])} ({where})"
    return warning


# The groups' maximum points per rule set (rules_766.csv, portal_766.md): the seed is the one
# place the points live.
RULES_766_CSV = DBT_PROJECT_DIR / "seeds" / "rules_766.csv"


def read_group_max_points(path: Path = RULES_766_CSV) -> dict[tuple[str, str], float]:
    totals: dict[tuple[str, str], float] = {}
    if not path.exists():
        return totals
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            for group in (row["group_code"], "total"):
                key = (row["rule_set"], group)
                totals[key] = totals.get(key, 0.0) + float(row["max_points"])
    return totals


GROUP_766_MAX_POINTS = read_group_max_points()


def group_766_max_points(rule_set: str | None, group_code: str) -> float | None:
    return GROUP_766_MAX_POINTS.get((rule_set or "", group_code))
