"""Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP) as an Excel workbook, one per period.

Sheet "Biểu 06": the province's agencies and districts in the form's layout: I. provincial
departments, II. each district followed by its agencies and communes, then the province's
total. Sheet "Mục lục": every sheet with the unit's name and a link to it. One sheet per agency
(and one for the province) lists its rows by field (bieu_06_fields, the field's name and code),
as the form lists them.

Printed as the form is signed (issue 18): A4 landscape, fitted to the page width, the header
rows repeated on every page, Times New Roman, and the signature block (place and date,
Người lập biểu, Thủ trưởng đơn vị) under every table. tests/reports/test_bieu_06_print.py renders
a workbook with LibreOffice and reads the pages.
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
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ingest.common.processes import spawn_pool
from publish.reports.labels import (
    PERIOD_NOUNS,
    ROMAN,
    calendar_end,
    fmt_date,
    period_label,
    province_place,
)
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

INDEX_SHEET = "Mục lục"

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FONT_NAME = "Times New Roman"  # the font of administrative documents (Nghị định 30/2020)
REGULAR = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
ITALIC = Font(name=FONT_NAME, size=12, italic=True)


def font(size: int = 12, **style) -> Font:
    return Font(name=FONT_NAME, size=size, **style)

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
    agency_tiers = marts.agency_tiers()
    names = dict(marts.rows(AGENCY_NAMES))
    used: set[str] = set()
    written, to_write = [], []
    for period in marts.periods():
        path = reports / f"bieu_06_{period.period}.xlsx"
        rows, fields = period_rows(marts, period)
        cached = None
        if cache_dir is not None:
            digest = _inputs_digest(period, rows, fields, names, agency_districts, agency_tiers)
            cached = Path(cache_dir) / f"{digest}.xlsx"
            used.add(cached.name)
        if cached is not None and cached.exists():
            link_or_copy(cached, path)
        else:
            to_write.append(((period, rows, fields, names, agency_districts, agency_tiers, path), cached))
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


def _write_workbook(period: Period, rows, fields, names, agency_districts, agency_tiers, path: Path) -> None:
    build_workbook(period, rows, fields, names, agency_districts, agency_tiers).save(path)


_CODE_FILES = ("bieu_06_xlsx.py", "labels.py", "marts.py", "safe_text.py")


def _inputs_digest(period: Period, rows, fields, names, agency_districts, agency_tiers) -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        digest.update((here / name).read_bytes())
    payload = [
        repr(period), rows, fields, sorted(names.items()), sorted(agency_districts.items(), key=str),
        sorted(agency_tiers.items(), key=str),
    ]  # fmt: skip
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
    return build_workbook(period, rows, fields, dict(marts.rows(AGENCY_NAMES)), agency_districts, marts.agency_tiers())


def build_workbook(
    period: Period,
    rows: list[dict],
    fields: list[dict],
    names: dict,
    agency_districts: dict,
    agency_tiers: dict | None = None,
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
    summary = summary_lines(rows, agency_districts, agency_tiers)
    write_lines(sheet, summary)
    finish_for_print(sheet, FIRST_DATA_ROW + len(summary), province)
    index: list[tuple] = []

    by_unit: dict[tuple, list[dict]] = {}
    for row in fields:
        # a sheet per agency and one for the province, as the form lists them (the tier rows
        # of bieu_06_fields are for BI)
        if row["level"] in ("agency", "province"):
            by_unit.setdefault((row["level"], row["unit_code"]), []).append(row)
    totals = {(row["level"], row["unit_code"]): row for row in rows}
    for (level, unit_code), unit_fields in sorted(
        by_unit.items(), key=lambda item: (item[0][0] != "province", item[0][1])
    ):
        title = PROVINCE_FIELDS_SHEET if level == "province" else unit_code
        unit_name = unit_fields[0]["unit_name"] if level == "province" else names.get(unit_code, unit_fields[0]["unit_name"])
        field_sheet = workbook.create_sheet(title=title[:31])
        write_form_top(field_sheet, period, f"{unit_name} ({unit_code})", reporting_unit)
        lines = [(str(number), field_label(row), row, False, 0) for number, row in enumerate(unit_fields, start=1)]
        total = totals.get((level, unit_code))
        if total is not None:
            lines.append(("", "Tổng cộng", total, True, 0))
        write_lines(field_sheet, lines)
        finish_for_print(field_sheet, FIRST_DATA_ROW + len(lines), province)
        index.append((field_sheet.title, unit_code if level != "province" else "", unit_name))
    write_index(workbook, index, period, reporting_unit)
    return workbook


def field_label(row: dict) -> str:
    """The field's name and its code: two fields may share a name (bieu_06_fields)."""
    name, code = row["field_name"], row["field_code"]
    if name and code:
        return f"{name} (mã {code})"
    return name or (f"Lĩnh vực mã {code}" if code else "(không rõ lĩnh vực)")


def finish_for_print(sheet: Worksheet, first_free_row: int, province) -> None:
    """The signature block under the table, then the page setup of the printed form."""
    write_signature(sheet, first_free_row + 1, province)
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = sheet.ORIENTATION_LANDSCAPE
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_title_rows = f"{HEADER_TOP}:{NUMBERS_ROW}"
    sheet.oddFooter.center.text = "Trang &P / &N"
    sheet.oddFooter.center.font = FONT_NAME


SIGNATURE_LEFT = (1, 4)  # columns of "Người lập biểu"
SIGNATURE_RIGHT = (9, LAST_COL)  # columns of "Thủ trưởng đơn vị"


def write_signature(sheet: Worksheet, row: int, province) -> None:
    """Place and date (left blank: the day of signing), then who prepared the form and the
    head of the unit, each with the line for the signature (Thông tư 01/2020, Biểu 06)."""
    place = signature_place(province.name if province else None)
    lines = [
        (SIGNATURE_RIGHT, row, f"{place}, ngày ..... tháng ..... năm ........", font(12, italic=True)),
        (SIGNATURE_LEFT, row + 1, "NGƯỜI LẬP BIỂU", font(12, bold=True)),
        (SIGNATURE_RIGHT, row + 1, "THỦ TRƯỞNG ĐƠN VỊ", font(12, bold=True)),
        (SIGNATURE_LEFT, row + 2, "(Ký, ghi rõ họ tên)", font(11, italic=True)),
        (SIGNATURE_RIGHT, row + 2, "(Ký tên, đóng dấu)", font(11, italic=True)),
    ]
    for (first, last), at, text, style in lines:
        sheet.merge_cells(start_row=at, start_column=first, end_row=at, end_column=last)
        cell = sheet.cell(row=at, column=first, value=neutralise_cell(text))
        cell.font = style
        cell.alignment = Alignment(horizontal="center")
    # room for the signatures and the seal
    for offset in range(3, 7):
        sheet.row_dimensions[row + offset].height = 18


def signature_place(province_name: str | None) -> str:
    """'Tỉnh Bắc Ninh' → 'Bắc Ninh' (the place line names the place, not its rank)."""
    if not province_name:
        return "..........."
    words = province_name.split()
    if words[0].lower() == "tỉnh":
        words = words[1:]
    elif [w.lower() for w in words[:2]] == ["thành", "phố"]:
        words = words[2:]
    return " ".join(words) or province_name


def write_index(workbook: Workbook, entries: list[tuple], period: Period, reporting_unit: str) -> None:
    """The sheet after "Biểu 06": every sheet of the workbook with its unit's code and name,
    the sheet name a link to it (sheets are named by agency code, 31 characters at most)."""
    sheet = workbook.create_sheet(INDEX_SHEET, index=1)
    sheet["A1"] = neutralise_cell(f"Mục lục — {FORM_CODE}, {period_label(period.period_type, period.period)}, {reporting_unit}")
    sheet["A1"].font = font(13, bold=True)
    headers = ["STT", "Trang tính", "Mã đơn vị", "Tên cơ quan, đơn vị"]
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=3, column=col, value=text)
        cell.font, cell.border, cell.alignment = BOLD, BORDER, CENTER
    rows = [(SUMMARY_SHEET, "", "Tổng hợp theo cơ quan, đơn vị"), *entries]
    for number, (title, code, name) in enumerate(rows, start=1):
        row = 3 + number
        values = [number, title, code, name]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=neutralise_cell(value) if isinstance(value, str) else value)
            cell.font, cell.border = REGULAR, BORDER
        link = sheet.cell(row=row, column=2)
        # a link inside the workbook: a location, no target (Excel and LibreOffice follow it)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{title}'!A1", display=title)
        link.font = font(12, underline="single", color="0563C1")
    for col, width in {1: 6, 2: 22, 3: 18, 4: 70}.items():
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def summary_lines(rows: list[dict], agency_districts: dict, agency_tiers: dict | None = None) -> list[tuple]:
    """(STT, name, counts, bold, indent) in the form's order.

    Section I sums its agency rows (bieu_06 has no row for 'the provincial level'); every
    other figure is a bieu_06 row as published.
    """
    agencies = [row for row in rows if row["level"] == "agency"]
    districts = [row for row in rows if row["level"] == "district"]
    province = [row for row in rows if row["level"] == "province"]
    district_codes = {row["unit_code"] for row in districts}
    outside = [row for row in agencies if agency_districts.get(row["unit_code"]) not in district_codes]
    # From 1 July 2025 communes belong to no district (reorganisation.md): their agencies get a
    # section of their own instead of being listed with the provincial departments.
    tiers = agency_tiers or {}
    communes = [row for row in outside if tiers.get(row["unit_code"]) == "xa"]
    provincial = [row for row in outside if tiers.get(row["unit_code"]) != "xa"]

    lines: list[tuple] = []
    sections = iter(ROMAN)
    if provincial:
        subtotal = {col: sum(row[col] or 0 for row in provincial) for col in BIEU_06_COUNTS}
        lines.append((next(sections), "Cấp tỉnh (sở, ban, ngành)", subtotal, True, 0))
        lines += [(str(n), row["unit_name"], row, False, 1) for n, row in enumerate(provincial, 1)]
    if communes:
        subtotal = {col: sum(row[col] or 0 for row in communes) for col in BIEU_06_COUNTS}
        lines.append((next(sections), "Cấp xã", subtotal, True, 0))
        lines += [(str(n), row["unit_name"], row, False, 1) for n, row in enumerate(communes, 1)]
    if districts:
        lines.append((next(sections), "Cấp huyện, cấp xã", None, True, 0))
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
    sheet["A1"].font = font(10, bold=True)
    sheet["A2"] = FORM_BASIS
    sheet["A2"].font = font(9, italic=True)
    sheet["J1"] = neutralise_cell(f"Đơn vị báo cáo: {reporting_unit}")
    sheet["J2"] = f"Đơn vị nhận báo cáo: {RECEIVING_UNIT}"
    for cell in ("J1", "J2"):
        sheet[cell].font = font(10, bold=True)
    sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=LAST_COL)
    sheet["A4"] = TITLE
    sheet["A4"].font = font(13, bold=True)
    sheet["A4"].alignment = CENTER
    sheet.row_dimensions[4].height = 36
    sheet.merge_cells(start_row=5, start_column=1, end_row=5, end_column=LAST_COL)
    # the period that holds data_through ends on it (bieu_06.period_end): say that it is not
    # over, so that a printed month of three weeks is not read as the whole month
    unfinished = (
        f", {PERIOD_NOUNS.get(period.period_type, 'kỳ')} chưa kết thúc"
        if period.end < calendar_end(period.period_type, period.period) else ""
    )
    sheet["A5"] = (
        f"Kỳ báo cáo: {period_label(period.period_type, period.period)} "
        f"(từ ngày {fmt_date(period.start)} đến ngày {fmt_date(period.end)}{unfinished})"
    )
    sheet["A5"].alignment = CENTER
    sheet["A5"].font = REGULAR
    sheet.merge_cells(start_row=6, start_column=1, end_row=6, end_column=LAST_COL)
    sheet["A6"] = neutralise_cell(unit_line)
    sheet["A6"].alignment = CENTER
    sheet["A6"].font = BOLD
    sheet.cell(row=7, column=LAST_COL, value="Đơn vị tính: Số hồ sơ TTHC").font = font(9, italic=True)
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
            styles["font"] = BOLD if bold else REGULAR
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
