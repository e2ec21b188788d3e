"""The latest half-year on today's map beside the same half-year of the year before
(reorganisation.md, issue 16): both on the restated basis, so that a unit merged or ended since
is counted under the unit that carries its work on today. The dashboard and the scorecard show
the same comparison from here.

A landing zone holds one provincial system: after a province merger the joined province's
history from before the merger stayed in its own system, so the earlier half-year counts only
this system's dossiers; the note says so whenever the province's name changed between the two
halves (the sign of a merger or a renaming that the marts can see).
"""

from __future__ import annotations

from dataclasses import dataclass

from publish.reports.labels import HEADLINE_KPIS, period_label
from publish.reports.marts import Marts, Period, Province

COMPARED_KPIS = HEADLINE_KPIS + ["received_elsewhere_rate"]


@dataclass(frozen=True)
class YearOnYear:
    latest: Period
    earlier: Period
    province: Province
    latest_kpis: dict[str, dict]
    earlier_kpis: dict[str, dict]
    latest_received: int | None
    earlier_received: int | None
    note: str

    @property
    def title(self) -> str:
        return (
            f"{period_label(self.latest.period_type, self.latest.period)} so với cùng kỳ "
            f"{period_label(self.earlier.period_type, self.earlier.period)}, theo đơn vị hiện nay"
        )


def year_on_year(marts: Marts) -> YearOnYear | None:
    halves = marts.year_on_year_halves()
    if halves is None:
        return None
    latest, earlier = halves
    province, latest_kpis = marts.restated_province(latest)
    if province is None:
        return None
    _, earlier_kpis = marts.restated_province(earlier)
    as_was_earlier = marts.province(earlier)
    return YearOnYear(
        latest=latest,
        earlier=earlier,
        province=province,
        latest_kpis=latest_kpis,
        earlier_kpis=earlier_kpis,
        latest_received=_received(marts, latest, province.code),
        earlier_received=_received(marts, earlier, province.code),
        note=history_note(province, as_was_earlier),
    )


def history_note(today: Province, as_was_earlier: Province | None) -> str:
    note = (
        "Cả hai kỳ tính theo cơ sở quy đổi: mỗi hồ sơ thuộc đơn vị hiện đang kế thừa công việc "
        "của đơn vị đã tiếp nhận (bieu_06_restated, kpi_values_restated)."
    )
    if as_was_earlier is not None and as_was_earlier.name and as_was_earlier.name != today.name:
        note += (
            f" Hệ thống này chỉ có lịch sử của {as_was_earlier.name}: số liệu trước sáp nhập của "
            f"địa phương nhập vào {today.name} nằm ở hệ thống cũ của địa phương đó, không có ở đây."
        )
    return note


def _received(marts: Marts, period: Period, province_code: str | None) -> int | None:
    found = marts.rows(
        "select received_online + received_in_person_postal from marts.bieu_06_restated "
        "where level = 'province' and unit_code = ? and period_type = ? and period = ?",
        [province_code, period.period_type, period.period],
    )
    return found[0][0] if found else None
