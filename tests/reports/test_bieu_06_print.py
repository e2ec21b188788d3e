"""The Biểu 06 workbook as the clerk prints it: rendered to PDF by LibreOffice (Debian's
libreoffice-calc-nogui, `make system-deps`), read back page by page with poppler.

The workbook is built from hand-made rows large enough to span pages: 40 provincial agencies
and 3 districts of 10 agencies (the summary sheet needs more than one landscape page), field
sheets for 5 agencies and the province. Pages are saved to tests/artifacts/ to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from publish.reports.bieu_06_xlsx import INDEX_SHEET, SUMMARY_SHEET, build_workbook
from publish.reports.marts import BIEU_06_COUNTS, Period

SOFFICE = shutil.which("soffice")
PERIOD = Period("half", "2025-H2", date(2025, 7, 1), date(2025, 12, 31))


def counts(n: int) -> dict:
    received_online, received_other, carried = 10 + n, 5 + n, 2
    total = received_online + received_other + carried
    return dict.fromkeys(BIEU_06_COUNTS, 0) | {
        "total": total, "received_online": received_online, "received_in_person_postal": received_other,
        "carried_over": carried, "resolved": total - 3, "resolved_on_time": total - 3,
        "in_progress": 3, "in_progress_within_deadline": 3,
    }  # fmt: skip


def hand_made_period():
    rows, fields, districts = [], [], {}
    agencies = [(f"000.00.{n:02d}.H04", f"Sở số {n} tỉnh Bắc Ninh", None) for n in range(1, 41)]
    for d in range(3):
        district = f"2{d}{d}"
        rows.append({"level": "district", "unit_code": district, "unit_name": f"Huyện số {d + 1}"} | counts(d))
        agencies += [(f"{d + 1}{m:02d}.{d}0.00.H04", f"UBND xã {m} huyện {d + 1}", district) for m in range(1, 11)]
    for n, (code, name, district) in enumerate(agencies):
        rows.append({"level": "agency", "unit_code": code, "unit_name": name} | counts(n))
        districts[code] = district
    rows.append({"level": "province", "unit_code": "24", "unit_name": "Tỉnh Bắc Ninh"} | counts(99))
    for code, name, _ in agencies[:5]:
        for f in (1, 2):
            fields.append({"level": "agency", "unit_code": code, "unit_name": name,
                           "field_code": f"F{f}", "field_name": "Đất đai"} | counts(f))  # fmt: skip
    fields.append({"level": "province", "unit_code": "24", "unit_name": "Tỉnh Bắc Ninh",
                   "field_code": "F1", "field_name": "Đất đai"} | counts(1))  # fmt: skip
    names = {code: name for code, name, _ in agencies}
    return rows, fields, names, districts


@pytest.fixture(scope="module")
def printed(tmp_path_factory, artifacts):
    if SOFFICE is None:
        pytest.fail("soffice is missing: `make system-deps` installs libreoffice-calc-nogui")
    folder = tmp_path_factory.mktemp("print")
    workbook = build_workbook(PERIOD, *hand_made_period())
    path = folder / "bieu_06_2025-H2.xlsx"
    workbook.save(path)
    profile = folder / "lo_profile"  # a private profile: parallel test workers never share one
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = path.with_suffix(".pdf")
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
    texts = [run("pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf, "-") for n in range(1, pages + 1)]
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", run("pdfinfo", "-f", "1", "-l", str(pages), pdf))
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "3", str(pdf), str(artifacts / "bieu_06_print")],
                   check=True, timeout=120)  # fmt: skip
    return workbook, pdf, texts, [(float(w), float(h)) for w, h in sizes]


def run(*args) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, timeout=60).stdout


def test_every_sheet_prints_on_a4_landscape_fitted_to_the_width(printed):
    workbook, _, texts, sizes = printed
    form_pages = [n for n, text in enumerate(texts) if "Số hồ sơ nhận giải quyết" in text]
    (index_page,) = [n for n, text in enumerate(texts) if text.lstrip().startswith("Mục lục")]
    for n in form_pages:
        # the 13 columns on every page (fit to width): the column numbers (1)..(13)
        assert all(f"({col})" in texts[n] for col in range(1, 14)), n
        width, height = sizes[n]
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert round(sizes[index_page][0]) == 595  # the index is a portrait list
    # the summary's 83 rows run over the pages before the index; every field sheet is one page
    summary_pages = list(range(index_page))
    assert len(summary_pages) >= 2 and set(summary_pages) <= set(form_pages)
    field_sheets = len(workbook.sheetnames) - 2  # all but the summary and the index
    assert len(texts) == len(summary_pages) + 1 + field_sheets
    assert len(form_pages) == len(texts) - 1


def test_the_header_repeats_and_the_signature_block_closes_every_table(printed):
    _, _, texts, _ = printed
    form_pages = [text for text in texts if "(13)" in text]
    for text in form_pages:  # the header rows on every page, not only the first
        assert "STT" in text and "Số hồ sơ nhận giải quyết" in text and "Kết quả giải quyết" in text
    signed = [text for text in form_pages if "NGƯỜI LẬP BIỂU" in text]
    for text in signed:
        assert "THỦ TRƯỞNG ĐƠN VỊ" in text and "(Ký tên, đóng dấu)" in text
        assert re.search(r"Bắc Ninh, ngày \.+ tháng \.+ năm", text)
    # one signature block per table: the summary and each field sheet
    assert len(signed) == len(printed[0].sheetnames) - 1


def test_the_index_lists_every_sheet_with_its_unit(printed):
    workbook, _, texts, _ = printed
    assert workbook.sheetnames[:2] == [SUMMARY_SHEET, INDEX_SHEET]
    index = workbook[INDEX_SHEET]
    listed = {row[1]: row[3] for row in index.iter_rows(min_row=4, values_only=True)}
    assert set(listed) == set(workbook.sheetnames) - {INDEX_SHEET}
    assert listed["000.00.01.H04"] == "Sở số 1 tỉnh Bắc Ninh"
    link = index.cell(row=5, column=2).hyperlink
    assert link.location == f"'{index.cell(row=5, column=2).value}'!A1"
    # fields carry their code: two fields named alike stay apart
    agency_sheet = workbook["000.00.01.H04"]
    names = [row[1] for row in agency_sheet.iter_rows(min_row=12, max_col=2, values_only=True) if row[1]]
    assert names[:2] == ["Đất đai (mã F1)", "Đất đai (mã F2)"]
    assert any("Mục lục" in text for text in texts)


def test_the_form_is_set_in_times_new_roman(printed):
    workbook, pdf, _, _ = printed
    cell = workbook[SUMMARY_SHEET].cell(row=12, column=2)
    assert cell.font.name == "Times New Roman"
    fonts = run("pdffonts", pdf)
    # LibreOffice uses Times New Roman where installed, else its metric twin Liberation Serif
    assert "TimesNewRoman" in fonts.replace(" ", "") or "LiberationSerif" in fonts
    assert "Calibri" not in fonts and "Carlito" not in fonts
