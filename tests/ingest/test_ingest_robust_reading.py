"""No file can stop a build, and no file takes the build's memory (sources.md, "Deliveries as
they really arrive"): unreadable files are rejected with a clear message, big files are read
in batches, long lines and gzip bombs are bounded."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import polars as pl
import pytest
from conftest import DAY, PII_KEY, dossier_line, write_day
from test_ingest_portal import HEADERS, MONTH, XLSX_ROWS, XLSX_TOTAL, write_xlsx
from test_ingest_vneid_reference import GOOD, HEADER, SNAP, write_vneid

from ingest.common import files
from ingest.common.files import (
    MAX_LINE_BYTES,
    FileRejected,
    LineChunk,
    LongLine,
    ReadLimits,
    iter_line_chunks,
)
from ingest.dossier_system import DOSSIER_RULE_ORDER, load_dossier_day
from ingest.dvc_portal import load_report_766, load_synced_list
from ingest.dvc_portal.report_766 import _sheet_rows
from ingest.raw_layer import DOSSIER_VERSIONS, partition_path, quarantine_path
from ingest.reference import load_reference_file
from ingest.vneid import load_vneid_snapshot

TABLE = "dossier_versions"
REL = f"dossier_system/{DAY}/hoso_20240401.jsonl"


def load(landing, warehouse, **limits):
    result = load_dossier_day(landing, warehouse, DAY, PII_KEY, **limits)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    return result


def numbered(i: int) -> str:
    return dossier_line(MaHoSo=f"000.00.11.H04-240401-{i:04d}")


# --------------------------------------------------------------------------- batches


def test_batches_give_the_rows_and_quarantine_of_one_batch(landing, warehouse):
    lines = [numbered(i) for i in range(1, 26)]
    lines[3] = "broken {"
    lines[10] = ""  # blank: counted, not loaded
    lines[17] = dossier_line(MaHoSo="x")
    lines[24] = dossier_line(NgayCapNhat="20240402000000")  # the last line, in the last batch
    write_day(landing, DAY, lines)
    whole = load(landing, warehouse)
    raw = pl.read_parquet(partition_path(warehouse, TABLE, DAY))
    quarantine = pl.read_parquet(quarantine_path(warehouse, TABLE, DAY))

    # 4 lines a batch, and ~2 lines a read (blocks and runs of lines split mid-line)
    batched = load(landing, warehouse, batch_lines=4, batch_bytes=2500)
    assert (batched.rows_read, batched.rows_loaded, batched.rows_quarantined) == (24, 21, 3)
    assert (whole.rows_read, whole.rows_loaded, whole.rows_quarantined) == (24, 21, 3)
    assert batched.quarantine_reasons == whole.quarantine_reasons == {
        "bad_pattern:MaHoSo": 1, "invalid_json": 1, "updated_not_on_file_day": 1,
    }  # fmt: skip
    assert batched.warnings == whole.warnings == [f"{REL}: 1 blank line(s) ignored"]
    assert pl.read_parquet(partition_path(warehouse, TABLE, DAY)).equals(raw)
    assert pl.read_parquet(quarantine_path(warehouse, TABLE, DAY)).equals(quarantine)
    assert quarantine["line"].to_list() == [4, 18, 25]  # line numbers across batches
    assert raw["_line_number"].to_list() == [i for i in range(1, 26) if i not in (4, 11, 18, 25)]
    assert raw.schema == DOSSIER_VERSIONS


def test_line_chunks_cut_lines_whole_and_number_them(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes("\ufeffaaaa\nbb\r\n\ncccccc\ndd".encode())
    chunks = list(iter_line_chunks(path, ReadLimits(max_line_bytes=5, batch_bytes=4)))
    assert chunks == [
        LineChunk(1, b"aaaa\n"),  # the byte-order mark dropped
        LineChunk(2, b"bb\r\n"),
        LineChunk(3, b"\n"),
        LongLine(4, 6, "cccccc"),  # 6 bytes, over a limit of 5 (kept whole: under 1 MiB)
        LineChunk(5, b"dd"),  # the last line, without its newline
    ]


def test_a_failure_after_some_batches_leaves_the_earlier_partition(landing, warehouse):
    write_day(landing, DAY, [numbered(1)])
    load(landing, warehouse)
    before = partition_path(warehouse, TABLE, DAY).read_bytes()
    path = write_day(landing, DAY, [numbered(i) for i in range(1, 40)])
    path.write_bytes(path.read_bytes() + b"\xff\n")  # not UTF-8, after the first batches
    result = load(landing, warehouse, batch_lines=5, batch_bytes=3000)
    assert result.rejected.startswith(f"{REL}: rejected: not UTF-8 (invalid byte 0xff at offset ")
    assert result.rejected.endswith("the raw partition of the earlier delivery is left untouched")
    assert partition_path(warehouse, TABLE, DAY).read_bytes() == before
    assert not quarantine_path(warehouse, TABLE, DAY).exists()
    leftovers = [p.name for p in (warehouse / "raw" / TABLE).iterdir() if p.name.startswith(".")]
    assert leftovers == []  # the temporary files are gone


def test_not_utf8_offset_counts_the_whole_file(landing, warehouse):
    good = (numbered(1) + "\n").encode()
    path = write_day(landing, DAY, [])
    path.write_bytes(good * 30 + b"\xc3(\n")
    result = load(landing, warehouse, batch_bytes=1000)
    assert f"not UTF-8 (invalid byte 0xc3 at offset {len(good) * 30})" in result.rejected


# --------------------------------------------------------------------------- long lines


def test_a_line_over_the_limit_is_quarantined_as_line_too_long(landing, warehouse):
    long_line = dossier_line(GhiChu="x" * 5000)
    write_day(landing, DAY, [numbered(1), long_line, numbered(3)])
    result = load(landing, warehouse, max_line_bytes=2000)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert result.quarantine_reasons == {"line_too_long": 1}
    q = pl.read_parquet(quarantine_path(warehouse, TABLE, DAY)).row(0, named=True)
    assert q["line"] == 2 and q["reason"] == "line_too_long"
    assert long_line.startswith(q["raw_text"]) and len(q["raw_text"]) >= 2000
    raw = pl.read_parquet(partition_path(warehouse, TABLE, DAY))
    assert raw["_line_number"].to_list() == [1, 3]


def test_line_too_long_limits_and_rule_order():
    assert MAX_LINE_BYTES == 16 * 1024**2  # sources.md
    assert files.KEPT_LINE_BYTES == 1024**2
    assert DOSSIER_RULE_ORDER[0].startswith("line_too_long")
    readme = (Path(__file__).parents[2] / "ingest" / "README.md").read_text(encoding="utf-8")
    assert "`line_too_long`" in readme


def test_a_long_last_line_without_newline_keeps_a_bounded_prefix(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"{}\n" + b"y" * 3_000_000)
    items = list(iter_line_chunks(path, ReadLimits(max_line_bytes=2_000_000)))
    assert items[0] == LineChunk(1, b"{}\n")
    assert items[1].line == 2 and items[1].length == 3_000_000
    assert items[1].prefix == "y" * files.KEPT_LINE_BYTES


# --------------------------------------------------------------------------- gzip


def test_a_gzip_that_unpacks_beyond_the_limit_is_rejected(landing, warehouse):
    folder = landing / "dossier_system" / DAY
    folder.mkdir(parents=True)
    bomb = gzip.compress((numbered(1) + "\n").encode() + b" " * (3 * 1024**2))
    assert len(bomb) < 20_000
    (folder / "hoso_20240401.jsonl.gz").write_bytes(bomb)
    result = load(landing, warehouse, max_unpacked_bytes=1024**2)
    assert result.rejected == (
        f"{REL}.gz: rejected: unpacks to more than 1 MiB (TTHC_MAX_UNPACKED_BYTES); "
        "nothing was loaded for this partition"
    )
    assert load(landing, warehouse, max_unpacked_bytes=4 * 1024**2).rejected is None


def test_a_gzip_within_the_limit_is_read_in_batches(landing, warehouse):
    lines = [numbered(i) for i in range(1, 30)]
    folder = landing / "dossier_system" / DAY
    folder.mkdir(parents=True)
    (folder / "hoso_20240401.jsonl.gz").write_bytes(
        gzip.compress("".join(line + "\n" for line in lines).encode())
    )
    result = load(landing, warehouse, batch_lines=7, batch_bytes=4000)
    assert (result.rows_read, result.rows_loaded) == (29, 29)


# --------------------------------------------------------------------------- schema drift


def test_drift_warning_shows_only_names_that_cannot_be_values(landing, warehouse):
    line = json.loads(dossier_line(GhiChu="nội bộ", Ma_Noi_Bo="1"))
    line["024199900001"] = "x"  # a citizen ID sent as a key
    line["Nguyễn Văn A"] = 1  # a name, with spaces
    line["SoCCCD2"] = "y"  # a digit
    write_day(landing, DAY, [json.dumps(line, ensure_ascii=False)])
    result = load(landing, warehouse)
    assert result.rows_loaded == 1
    (warning,) = result.warnings
    assert warning == (
        f"{REL}: schema drift: 5 unknown field(s) dropped: GhiChu, Ma_Noi_Bo; "
        "3 other name(s) not shown"
    )


def test_drift_warning_counts_a_key_of_forty_letters_but_hides_a_longer_one(landing, warehouse):
    write_day(landing, DAY, [dossier_line(**{"A" * 40: 1, "B" * 41: 1})])
    (warning,) = load(landing, warehouse).warnings
    assert warning.endswith(f"2 unknown field(s) dropped: {'A' * 40}; 1 other name(s) not shown")


# --------------------------------------------------------------------------- digits


@pytest.mark.parametrize(
    "code",
    [
        "000.00.11.H04-２４０４０１-0001",  # full-width digits
        "000.00.11.H04-240401-٠٠٠١",  # Arabic-Indic digits
    ],
)
def test_non_ascii_digits_break_the_dossier_code_pattern(landing, warehouse, code):
    write_day(landing, DAY, [numbered(1), dossier_line(MaHoSo=code)])
    result = load(landing, warehouse)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert result.quarantine_reasons == {"bad_pattern:MaHoSo": 1}


def test_non_ascii_digits_in_a_timestamp_are_a_bad_timestamp(landing, warehouse):
    write_day(landing, DAY, [dossier_line(NgayHenTra="２０２４0405170000")])
    assert load(landing, warehouse).quarantine_reasons == {"bad_timestamp:NgayHenTra": 1}


def test_non_ascii_digits_in_other_sources(landing, warehouse):
    write_vneid(landing, [GOOD, "０７２０７,Phường Trần Phú,01/04/2024,10,1,2,3"])
    assert load_vneid_snapshot(landing, warehouse, SNAP).quarantine_reasons == {
        "bad_pattern:ma_dvhc": 1
    }
    folder = landing / "dvc_portal" / MONTH
    folder.mkdir(parents=True)
    rows = [
        "1;000.00.11.H04;Sở Tư pháp;1.234;68;41;8;91;84;7;110;41;117;;;;;;;",
        "2;201.21.21.H04;UBND phường Thọ Xương;１０;86;38;7;114;105;9;120;42;126;;;;;;;",
    ]
    (folder / f"dvcqg_766_{MONTH}.csv").write_text(
        "\ufeff" + ";".join(HEADERS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    assert load_report_766(landing, warehouse, MONTH).quarantine_reasons == {
        "bad_number:tiep_nhan": 1
    }


# --------------------------------------------------------------------------- 766 workbook


def xlsx_path(landing: Path) -> Path:
    return landing / "dvc_portal" / MONTH / f"dvcqg_766_{MONTH}.xlsx"


def rewrite_sheet(path: Path, edit) -> None:
    """Rewrite the sheet XML inside the workbook's zip."""
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[name] = edit(parts[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for part, data in parts.items():
            out.writestr(part, data)


def test_a_workbook_declaring_the_whole_sheet_is_read_by_its_cells(landing, warehouse):
    path = xlsx_path(landing)
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL)
    rewrite_sheet(
        path, lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', xml)
    )
    with zipfile.ZipFile(path) as z:
        assert b'ref="A1:XFD1048576"' in z.read("xl/worksheets/sheet1.xml")
    with path.open("rb") as handle:  # read-only openpyxl alone gives rows of 16,384 cells
        widths = {len(values) for _, values in _sheet_rows(handle)}
    assert max(widths) == len(HEADERS)
    started = time.perf_counter()
    result = load_report_766(landing, warehouse, MONTH)
    assert time.perf_counter() - started < 5  # padded: a million rows of 16,384 cells
    assert result.rejected is None, result.rejected
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert result.checks["total_row"]["passed"] is True
    raw = pl.read_parquet(partition_path(warehouse, "portal_766", MONTH))
    assert raw["ma_don_vi"].to_list() == ["000.00.11.H04", "201.21.21.H04"]
    assert raw["_line_number"].to_list() == [7, 8]
    assert raw["tiep_nhan"].to_list() == [1234, 1000]


def test_a_workbook_with_a_stray_far_cell_keeps_its_rows(landing, warehouse):
    path = xlsx_path(landing)
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL)
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    rewrite_sheet(path, lambda xml: xml.replace("</sheetData>", far + "</sheetData>"))
    started = time.perf_counter()
    result = load_report_766(landing, warehouse, MONTH)
    assert time.perf_counter() - started < 5  # ~0.4 s; padded, a million rows of 16,384
    assert (result.rows_read, result.rows_loaded) == (2, 2)


@pytest.mark.parametrize(
    ("cut", "problem"),
    [
        (
            lambda data: data[: len(data) // 2],
            "not a readable xlsx workbook (truncated or corrupt zip",
        ),
        (lambda data: data[:100], "not a readable xlsx workbook (truncated or corrupt zip"),
        (lambda data: b"", "not a readable xlsx workbook (truncated or corrupt zip"),
    ],
)
def test_a_truncated_workbook_is_rejected(landing, warehouse, cut, problem):
    path = xlsx_path(landing)
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL)
    path.write_bytes(cut(path.read_bytes()))
    result = load_report_766(landing, warehouse, MONTH)
    assert result.rejected.startswith(
        f"dvc_portal/{MONTH}/dvcqg_766_{MONTH}.xlsx: rejected: {problem}"
    )


def test_a_workbook_whose_sheet_xml_is_cut_is_rejected(landing, warehouse):
    path = xlsx_path(landing)
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL)
    rewrite_sheet(path, lambda xml: xml[: xml.index('<row r="8"') + 30])
    result = load_report_766(landing, warehouse, MONTH)
    assert "rejected: not a readable xlsx workbook (truncated or corrupt sheet XML: " in (
        result.rejected
    )


def test_a_workbook_missing_its_sheet_part_is_rejected(landing, warehouse):
    path = xlsx_path(landing)
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL)
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i) for i in src.infolist()}
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            if name != "xl/workbook.xml":
                out.writestr(name, data)
    result = load_report_766(landing, warehouse, MONTH)
    assert "rejected: not a readable xlsx workbook (a part of the workbook is missing" in (
        result.rejected
    )


def test_a_workbook_naming_a_column_twice_is_rejected(landing, warehouse):
    path = xlsx_path(landing)
    write_xlsx(path, [row + [5] for row in XLSX_ROWS], XLSX_TOTAL)
    rewrite_sheet(
        path,
        lambda xml: xml.replace(
            "</row>", '<c r="U6" t="inlineStr"><is><t>BCCI</t></is></c></row>', 6
        ),
    )
    result = load_report_766(landing, warehouse, MONTH)
    assert "rejected: duplicated column(s) in the header: BCCI;" in result.rejected


def test_a_workbook_unpacking_beyond_the_limit_is_rejected(landing, warehouse):
    path = xlsx_path(landing)
    write_xlsx(path, XLSX_ROWS, XLSX_TOTAL)
    result = load_report_766(landing, warehouse, MONTH, max_unpacked_bytes=1024)
    assert "rejected: the workbook unpacks to more than 1 KiB;" in result.rejected


# --------------------------------------------------------------------------- CSV headers


def test_a_766_csv_naming_a_column_twice_is_rejected(landing, warehouse):
    folder = landing / "dvc_portal" / MONTH
    folder.mkdir(parents=True)
    (folder / f"dvcqg_766_{MONTH}.csv").write_text(
        "\ufeff" + ";".join(HEADERS + ["Tiếp nhận"]) + "\n" + ";" * len(HEADERS) + "\n",
        encoding="utf-8",
    )
    result = load_report_766(landing, warehouse, MONTH)
    assert result.rejected == (
        f"dvc_portal/{MONTH}/dvcqg_766_{MONTH}.csv: rejected: duplicated column(s) in the "
        "header: Tiếp nhận; nothing was loaded for this partition"
    )


def test_a_synced_list_naming_a_column_twice_is_rejected(landing, warehouse):
    folder = landing / "dvc_portal" / MONTH
    folder.mkdir(parents=True)
    (folder / f"dvcqg_dongbo_{MONTH}.csv").write_text(
        "MaHoSo,MaCoQuan,TrangThaiHoSo,KenhThucHien,NgayTiepNhan,NgayKetThucXuLy,"
        "DuocThanhToanTrucTuyen,MaCoQuan\n"
        "000.00.11.H04-240601-0001,000.00.11.H04,10,2,20240603080000,20240604080000,1,x\n",
        encoding="utf-8",
    )
    result = load_synced_list(landing, warehouse, MONTH)
    assert "rejected: duplicated column(s) in the header: MaCoQuan;" in result.rejected
    assert result.rows_read == 0


def test_a_vneid_file_naming_a_column_twice_once_decomposed_is_rejected(landing, warehouse):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đã kích hoạt")
    folder = landing / "vneid" / SNAP
    folder.mkdir(parents=True)
    (folder / f"vneid_{SNAP.replace('-', '')}.csv").write_text(
        HEADER.rstrip("\n") + "," + decomposed + "\n" + GOOD + ",1\n", encoding="utf-8"
    )
    result = load_vneid_snapshot(landing, warehouse, SNAP)
    assert "rejected: duplicated column(s) in the header: Đã kích hoạt;" in result.rejected


def test_a_csv_too_big_to_read_whole_is_rejected(landing, warehouse, monkeypatch):
    monkeypatch.setattr(files, "MAX_TABLE_FILE_BYTES", 100)
    write_vneid(landing, [GOOD, GOOD.replace("07201", "07207")])
    result = load_vneid_snapshot(landing, warehouse, SNAP)
    assert "rejected: larger than 100 bytes, more than a file of this kind can hold;" in (
        result.rejected
    )


# --------------------------------------------------------------------------- unreadable


@pytest.fixture
def no_read_permission(monkeypatch):
    """Tests run as root, where chmod 000 does not stop reading: refuse the open instead."""
    real_open = os.open
    refused: list[Path] = []

    def guarded_open(path, flags, *args, **kwargs):
        if any(Path(path) == p for p in refused):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(files.os, "open", guarded_open)
    return refused


def test_a_file_without_read_permission_is_rejected(landing, warehouse, no_read_permission):
    path = write_day(landing, DAY, [numbered(1)])
    no_read_permission.append(path)
    result = load(landing, warehouse)
    assert result.rejected == (
        f"{REL}: rejected: cannot open (no read permission); nothing was loaded for this partition"
    )


def test_unreadable_files_of_every_source(landing, warehouse, no_read_permission):
    write_vneid(landing, [GOOD])
    xlsx = xlsx_path(landing)
    write_xlsx(xlsx, XLSX_ROWS, XLSX_TOTAL)
    no_read_permission += [
        landing / "vneid" / SNAP / f"vneid_{SNAP.replace('-', '')}.csv",
        xlsx,
        landing / "reference" / "ngay_nghi.csv",
    ]
    for result in (
        load_vneid_snapshot(landing, warehouse, SNAP),
        load_report_766(landing, warehouse, MONTH),
        load_reference_file(landing, warehouse, "ngay_nghi"),
    ):
        assert ": rejected: cannot open (no read permission);" in result.rejected


def test_a_read_error_is_rejected(landing, warehouse, monkeypatch):
    write_day(landing, DAY, [numbered(1)])

    class FailingDisk(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(files, "open_landed", lambda path: io.BufferedReader(FailingDisk()))
    result = load(landing, warehouse)
    assert result.rejected == (
        f"{REL}: rejected: read error (Input/output error); nothing was loaded for this partition"
    )


def test_a_fifo_is_refused_without_being_waited_on(tmp_path):
    fifo = tmp_path / "hoso.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(FileRejected, match="not a regular file"):
        list(iter_line_chunks(fifo))


def test_a_reference_fifo_is_rejected(landing, warehouse):
    path = landing / "reference" / "chi_tieu.csv"
    path.unlink()
    os.mkfifo(path)
    result = load_reference_file(landing, warehouse, "chi_tieu")
    assert result.rejected.startswith("reference/chi_tieu.csv: rejected: not a regular file;")
