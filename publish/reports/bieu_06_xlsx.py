"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP) as an Excel workbook, one per period.

Sheet "Biểu 06": the province's agencies and districts in the form's layout: I. provincial
departments, II. each district followed by its agencies and communes, then the province's
total. One sheet per agency (and one for the province) lists its rows by field
(bieu_06_fields), as the form lists them.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import weakref
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ingest.common.processes import spawn_pool
from publish.reports.labels import ROMAN, fmt_date, period_label, province_place
from publish.reports.marts import AGENCY_NAMES, BIEU_06_COUNTS, Marts, Period, pick_province
from publish.reports.safe_text import neutralise_cell

RECEIVING_UNIT = "Văn phòng Chính phủ"
FORM_CODE = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
TITLE = (
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ "
    "TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
)
SUMMARY_SHEET = "Biểu 06"
PROVINCE_FIELDS_SHEET = "Toàn tỉnh theo lĩnh vực"

# Header rows (1-based sheet rows): title block above, then three header rows and the row of
# column numbers 1..13.
HEADER_TOP = 8
NUMBERS_ROW = HEADER_TOP + 3
FIRST_DATA_ROW = NUMBERS_ROW + 1
LAST_COL = 13

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)

# (first col, last col, first header row offset, last header row offset, text); offsets 0..2.
HEADER_CELLS = [
    (1, 1, 0, 2, "STT"),
    (2, 2, 0, 2, "Tên cơ quan, đơn vị / lĩnh vực giải quyết"),
    (3, 6, 0, 0, "Số hồ sơ nhận giải quyết"),
    (7, 13, 0, 0, "Kết quả giải quyết"),
    (3, 3, 1, 2, "Tổng số"),
    (4, 6, 1, 1, "Trong đó"),
    (4, 4, 2, 2, "Trực tuyến"),
    (5, 5, 2, 2, "Trực tiếp và BCCI"),
    (6, 6, 2, 2, "Từ kỳ trước"),
    (7, 10, 1, 1, "Số hồ sơ đã giải quyết"),
    (7, 7, 2, 2, "Tổng số"),
    (8, 8, 2, 2, "Trước hạn"),
    (9, 9, 2, 2, "Đúng hạn"),
    (10, 10, 2, 2, "Quá hạn"),
    (11, 13, 1, 1, "Số hồ sơ đang giải quyết"),
    (11, 11, 2, 2, "Tổng số"),
    (12, 12, 2, 2, "Trong hạn"),
    (13, 13, 2, 2, "Quá hạn"),
]
COLUMN_WIDTHS = {1: 7, 2: 52, **{col: 12 for col in range(3, LAST_COL + 1)}}


def write_bieu_06_workbooks(marts: Marts, reports: Path, cache_dir: Path | None = None) -> list[Path]:
    """One workbook per period of bieu_06 (months, quarters, halves, years).

    A workbook is a pure function of its period's rows (and of this code): with
    ``cache_dir`` (the publish step passes one under TTHC_WAREHOUSE_DIR), a workbook whose
    inputs are unchanged since the last publication is copied instead of written again:
    ~5 s per period with ~300 agency sheets, and a nightly increment changes only the
    periods that its dossiers touch.
    """
    agency_districts = {
        row["agency_code"]: row["district_code"] for row in marts.agency_districts().to_dicts()
    }
    names = dict(marts.rows(AGENCY_NAMES))
    used: set[str] = set()
    written, to_write = [], []
    for period in marts.periods():
        path = reports / f"bieu_06_{period.period}.xlsx"
        rows, fields = period_rows(marts, period)
        cached = None
        if cache_dir is not None:
            digest = _inputs_digest(period, rows, fields, names, agency_districts)
            cached = Path(cache_dir) / f"{digest}.xlsx"
            used.add(cached.name)
        if cached is not None and cached.exists():
            link_or_copy(cached, path)
        else:
            to_write.append(((period, rows, fields, names, agency_districts, path), cached))
        written.append(path)
    _write_workbooks([job for job, _ in to_write])
    for (*_, path), cached in to_write:
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f".{cached.name}.tmp")
            shutil.copyfile(path, tmp)
            os.replace(tmp, cached)
    if cache_dir is not None and Path(cache_dir).is_dir():
        for stale in Path(cache_dir).glob("*.xlsx"):
            if stale.name not in used:
                stale.unlink(missing_ok=True)
    return written


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link to the unchanged workbook, or a copy where the file system has none.

    Safe to share: neither the cache nor a publication ever writes a file in place (the
    cache replaces its files by rename, publications are never changed once switched), and
    pruning an old publication only removes one of the links.
    """
    try:
        os.link(source, target)
    except OSError:  # another file system (a cache on another disk), or no hard links
        shutil.copyfile(source, target)


def _write_workbooks(jobs: list[tuple]) -> None:
    """Write the workbooks on every core: each is seconds of single-threaded Python, and a
    night rewrites the four periods that hold data_through (month, quarter, half, year)."""
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers <= 1:
        for job in jobs:
            _write_workbook(*job)
        return
    with spawn_pool(workers) as pool:
        for future in [pool.submit(_write_workbook, *job) for job in jobs]:
            future.result()


def _write_workbook(period: Period, rows, fields, names, agency_districts, path: Path) -> None:
    build_workbook(period, rows, fields, names, agency_districts).save(path)


_CODE_FILES = ("bieu_06_xlsx.py", "labels.py", "marts.py", "safe_text.py")


def _inputs_digest(period: Period, rows, fields, names, agency_districts) -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        digest.update((here / name).read_bytes())
    payload = [repr(period), rows, fields, sorted(names.items()), sorted(agency_districts.items(), key=str)]
    digest.update(json.dumps(payload, default=str, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:32]


def period_rows(marts: Marts, period: Period) -> tuple[list[dict], list[dict]]:
    columns = ", ".join(BIEU_06_COUNTS)
    rows = marts.df(
        f"select level, unit_code, unit_name, {columns} from marts.bieu_06 "
        "where period_type = ? and period = ? order by level, unit_code",
        [period.period_type, period.period],
    ).to_dicts()
    fields = marts.df(
        f"select level, unit_code, unit_name, field_code, field_name, {columns} "
        "from marts.bieu_06_fields where period_type = ? and period = ? "
        "order by level, unit_code, field_code",
        [period.period_type, period.period],
    ).to_dicts()
    return rows, fields


def workbook_for_period(marts: Marts, period: Period, agency_districts: dict) -> Workbook:
    rows, fields = period_rows(marts, period)
    return build_workbook(period, rows, fields, dict(marts.rows(AGENCY_NAMES)), agency_districts)


def build_workbook(
    period: Period, rows: list[dict], fields: list[dict], names: dict, agency_districts: dict
) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SUMMARY_SHEET
    # The province by its name valid at the end of the period (its bieu_06 row); without a
    # province row (no data), "tỉnh" alone: never a name the data do not give.
    province = pick_province(rows)
    place = province_place(province.name if province else None) or "tỉnh"
    reporting_unit = f"UBND {place}"
    write_form_top(sheet, period, f"Toàn {place}", reporting_unit)
    write_lines(sheet, summary_lines(rows, agency_districts))

    by_unit: dict[tuple, list[dict]] = {}
    for row in fields:
        by_unit.setdefault((row["level"], row["unit_code"]), []).append(row)
    totals = {(row["level"], row["unit_code"]): row for row in rows}
    for (level, unit_code), unit_fields in sorted(
        by_unit.items(), key=lambda item: (item[0][0] != "province", item[0][1])
    ):
        title = PROVINCE_FIELDS_SHEET if level == "province" else unit_code
        unit_name = unit_fields[0]["unit_name"] if level == "province" else names.get(unit_code, unit_fields[0]["unit_name"])
        field_sheet = workbook.create_sheet(title=title[:31])
        write_form_top(field_sheet, period, f"{unit_name} ({unit_code})", reporting_unit)
        lines = [
            (str(number), row["field_name"] or row["field_code"] or "(không rõ lĩnh vực)", row, False, 0)
            for number, row in enumerate(unit_fields, start=1)
        ]
        total = totals.get((level, unit_code))
        if total is not None:
            lines.append(("", "Tổng cộng", total, True, 0))
        write_lines(field_sheet, lines)
    return workbook


def summary_lines(rows: list[dict], agency_districts: dict) -> list[tuple]:
    """(STT, name, counts, bold, indent) in the form's order.

    Section I sums its agency rows (bieu_06 has no row for 'the provincial level'); every
    other figure is a bieu_06 row as published.
    """
    agencies = [row for row in rows if row["level"] == "agency"]
    districts = [row for row in rows if row["level"] == "district"]
    province = [row for row in rows if row["level"] == "province"]
    district_codes = {row["unit_code"] for row in districts}
    provincial = [row for row in agencies if agency_districts.get(row["unit_code"]) not in district_codes]

    lines: list[tuple] = []
    if provincial:
        subtotal = {col: sum(row[col] or 0 for row in provincial) for col in BIEU_06_COUNTS}
        lines.append((ROMAN[0], "Cấp tỉnh (sở, ban, ngành)", subtotal, True, 0))
        lines += [(str(n), row["unit_name"], row, False, 1) for n, row in enumerate(provincial, 1)]
    if districts:
        lines.append((ROMAN[1] if provincial else ROMAN[0], "Cấp huyện, cấp xã", None, True, 0))
        for n, district in enumerate(districts, start=1):
            lines.append((str(n), district["unit_name"], district, True, 1))
            members = [
                row for row in agencies if agency_districts.get(row["unit_code"]) == district["unit_code"]
            ]
            lines += [(f"{n}.{m}", row["unit_name"], row, False, 2) for m, row in enumerate(members, 1)]
    for row in province:
        lines.append(("", f"Tổng cộng toàn tỉnh ({row['unit_name']})", row, True, 0))
    return lines


def write_form_top(sheet: Worksheet, period: Period, unit_line: str, reporting_unit: str) -> None:
    sheet["A1"] = FORM_CODE
    sheet["A1"].font = BOLD
    sheet["A2"] = FORM_BASIS
    sheet["A2"].font = Font(italic=True, size=9)
    sheet["J1"] = neutralise_cell(f"Đơn vị báo cáo: {reporting_unit}")
    sheet["J2"] = f"Đơn vị nhận báo cáo: {RECEIVING_UNIT}"
    for cell in ("J1", "J2"):
        sheet[cell].font = Font(bold=True, size=10)
    sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=LAST_COL)
    sheet["A4"] = TITLE
    sheet["A4"].font = Font(bold=True, size=13)
    sheet["A4"].alignment = CENTER
    sheet.row_dimensions[4].height = 36
    sheet.merge_cells(start_row=5, start_column=1, end_row=5, end_column=LAST_COL)
    sheet["A5"] = (
        f"Kỳ báo cáo: {period_label(period.period_type, period.period)} "
        f"(từ ngày {fmt_date(period.start)} đến ngày {fmt_date(period.end)})"
    )
    sheet["A5"].alignment = CENTER
    sheet.merge_cells(start_row=6, start_column=1, end_row=6, end_column=LAST_COL)
    sheet["A6"] = neutralise_cell(unit_line)
    sheet["A6"].alignment = CENTER
    sheet["A6"].font = BOLD
    sheet.cell(row=7, column=LAST_COL, value="Đơn vị tính: Số hồ sơ TTHC").font = Font(italic=True, size=9)
    sheet.cell(row=7, column=LAST_COL).alignment = Alignment(horizontal="right")

    for first, last, top, bottom, text in HEADER_CELLS:
        if (first, top) != (last, bottom):
            sheet.merge_cells(
                start_row=HEADER_TOP + top, start_column=first,
                end_row=HEADER_TOP + bottom, end_column=last,
            )
        sheet.cell(row=HEADER_TOP + top, column=first, value=text)
    for row in range(HEADER_TOP, NUMBERS_ROW + 1):
        for col in range(1, LAST_COL + 1):
            _set_style(
                sheet.cell(row=row, column=col), ("header", row < NUMBERS_ROW),
                border=BORDER, alignment=CENTER, font=BOLD if row < NUMBERS_ROW else ITALIC,
            )  # fmt: skip
    for col in range(1, LAST_COL + 1):
        sheet.cell(row=NUMBERS_ROW, column=col, value=f"({col})")
    for col, width in COLUMN_WIDTHS.items():
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[HEADER_TOP + 2].height = 32
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=3)


def write_lines(sheet: Worksheet, lines: list[tuple]) -> None:
    for offset, (number, name, counts, bold, indent) in enumerate(lines):
        row = FIRST_DATA_ROW + offset
        # The names (and codes standing in for them) come from the data; the report writes no
        # formula, so none of these cells may become one.
        sheet.cell(row=row, column=1, value=neutralise_cell(number))
        sheet.cell(row=row, column=2, value=neutralise_cell(name))
        if counts is not None:
            for col, name_ in enumerate(BIEU_06_COUNTS, start=3):
                sheet.cell(row=row, column=col, value=int(counts[name_] or 0))
        for col in range(1, LAST_COL + 1):
            styles: dict = {"border": BORDER}
            if col == 1:
                styles["alignment"] = CENTER
            elif col == 2:
                styles["alignment"] = Alignment(indent=indent, wrap_text=True)
            elif counts is not None:
                styles["number_format"] = "#,##0"
            if bold:
                styles["font"] = BOLD
            kind = col if col <= 2 else "count"
            key = ("line", kind, indent if col == 2 else 0, counts is not None and col > 2, bold)
            _set_style(sheet.cell(row=row, column=col), key, **styles)


# A workbook keeps its styles in shared tables and a cell holds indices into them; setting a
# style object on a cell hashes it to find its index (~50 us, and a year of workbooks sets
# ~2M styles). The first cell styled per key records its indices; later cells copy them.
# The saved file is the same as with setting the objects one by one.
_STYLE_PROTOTYPES: weakref.WeakKeyDictionary[Workbook, dict] = weakref.WeakKeyDictionary()


def _set_style(cell, key: tuple, **styles) -> None:
    """Give a fresh cell the styles ``styles`` (the same ``styles`` for the same ``key``)."""
    prototypes = _STYLE_PROTOTYPES.setdefault(cell.parent.parent, {})
    prototype = prototypes.get(key)
    if prototype is None:
        for attribute, value in styles.items():
            setattr(cell, attribute, value)
        prototypes[key] = copy.copy(cell._style)
    else:
        cell._style = copy.copy(prototype)
