"""Vietnamese labels and number formats shared by the dashboard, the workbooks and the
scorecard (one place, so that the three never name a figure differently)."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

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
    unit = KPI_DEFINITIONS.get(kpi_code, {}).get("unit", "rate")
    if unit == "count":
        return fmt_int(value)
    if unit == "working_days":
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
