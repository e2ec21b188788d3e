"""Deliveries as they really arrive (sources.md): the untidy files that once cost a day of
figures or stopped every nightly build, planted into the fault build's landing zone.

Each entry of the returned dict says what the build must do with one planted file:
``loaded`` (its partition loads, whatever lies beside it), ``rejected:<text>`` (a
``rejected_file`` row of data_quality whose details contain the text), ``ignored`` (neither
loaded nor reported: an upload in progress), ``quarantine:<reason>``, or
``unknown_receiving_desk:<dossier code>`` (keyed ``<file>#<dossier code>``: the dossier of that
file whose receiving desk don_vi.csv does not know).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import zipfile
from pathlib import Path

# the fault build's TTHC_MAX_UNPACKED_BYTES: the gzip bomb below unpacks to more
MAX_UNPACKED = 32 * 1024 * 1024
# a line beyond sources.md's 16 MiB limit
LONG_LINE_BYTES = 17 * 1024 * 1024
FORMULA_NAME = '=HYPERLINK("http://evil.example/x","Sở Bấm Vào")'
MARKUP_NAME = '<a href="http://evil.example/y">Lĩnh vực bấm vào</a>'
UNKNOWN_DESK = "999.99.99.H99"  # a receiving desk code absent from don_vi.csv
MARKUP_AGENCY = '<a href="http://evil.example/z">Sở Bấm Vào</a> & <b>đậm</b>'


def untouched_days(landing: Path, manifest: dict, expected: dict, count: int) -> list[str]:
    """Dossier days whose extract no other fault touches (the generator's faults take most)."""
    touched = {f["file"].split("/")[1] for f in manifest["faults"] if f.get("file")}
    touched |= {key.split("/")[1] for key in expected if key.startswith("dossier_system/")}
    days = sorted(
        p.name for p in (landing / "dossier_system").iterdir()
        if p.is_dir() and not p.is_symlink() and re.fullmatch(r"2024-04-[0-9]{2}", p.name)
        and p.name not in touched and (p / f"hoso_{p.name.replace('-', '')}.jsonl").exists()
    )  # fmt: skip
    assert len(days) >= count, days
    return days[:count]


def plant_receiving_desk(landing: Path, extract: Path, desk: str) -> str:
    """Give every version of one dossier of ``extract`` the receiving desk ``desk`` (a desk
    receives a dossier once: all its versions name it), in every extract holding one. The
    dossier is one whose extracts are all clean UTF-8 JSON lines, so that no planted fault of
    the generator is rewritten. Returns its MaHoSo."""
    extracts: dict[Path, list[dict] | None] = {}
    for path in sorted((landing / "dossier_system").glob("*/*.jsonl")):
        try:
            extracts[path] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        except (ValueError, UnicodeDecodeError):
            extracts[path] = None  # a file with a planted fault: left as it is
    holders: dict[str, set[Path]] = {}
    for path, versions in extracts.items():
        for version in versions or []:
            holders.setdefault(version.get("MaHoSo"), set()).add(path)
    faulty = {p for p, versions in extracts.items() if versions is None}
    code = next(
        v["MaHoSo"] for v in extracts[extract] or []
        if not holders[v["MaHoSo"]] & faulty and all(isinstance(x, dict) for x in extracts[extract])
    )  # fmt: skip
    for path in sorted(holders[code]):
        versions = extracts[path]
        for version in versions:
            if version.get("MaHoSo") == code:
                version["MaDonViTiepNhan"] = desk
        path.write_text("".join(json.dumps(v, ensure_ascii=False) + "\n" for v in versions), encoding="utf-8")
    return code


def _declare_whole_sheet(xlsx: Path) -> None:
    """Rewrite a workbook's sheet to declare the largest possible dimension."""
    with zipfile.ZipFile(xlsx) as source:
        parts = {info: source.read(info.filename) for info in source.infolist()}
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts.items():
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
            target.writestr(info, data)


def plant_delivery_faults(root: Path, manifest: dict, expected: dict) -> dict[str, str]:
    landing = root / "landing"
    ds = landing / "dossier_system"
    planted: dict[str, str] = {}
    stray_day, long_day = untouched_days(landing, manifest, expected, 2)

    # a stray file beside a valid extract: a name with full-width digits (the generator's own
    # misnamed copy, another day's file in a day folder, is checked from its manifest)
    stray = f"dossier_system/{stray_day}/hoso_２０２４{stray_day[5:7]}{stray_day[8:]}.jsonl"
    (landing / stray).write_bytes(b'{"MaHoSo": "stray"}\n')
    planted[stray] = "rejected:unexpected file name"
    own = f"dossier_system/{stray_day}/hoso_{stray_day.replace('-', '')}.jsonl"
    planted[own] = "loaded"
    # the same extract names a receiving desk that don_vi.csv does not know: the row loads,
    # data_quality warns for the file (and for the other files holding versions of the dossier)
    code = plant_receiving_desk(landing, landing / own, UNKNOWN_DESK)
    planted[f"{own}#{code}"] = f"unknown_receiving_desk:{code}"

    # a line longer than 16 MiB in a good extract: one quarantined row, the rest loads
    rel = f"dossier_system/{long_day}/hoso_{long_day.replace('-', '')}.jsonl"
    with open(landing / rel, "a", encoding="utf-8") as handle:
        handle.write('{"MaHoSo": "' + "B" * LONG_LINE_BYTES + '"}\n')
    planted[rel] = "quarantine:line_too_long"

    # files that used to stop every nightly build
    folder = landing / "dvc_portal" / "2024-03"
    folder.mkdir()
    workbook = (landing / "dvc_portal/2024-04/dvcqg_766_2024-04.xlsx").read_bytes()
    (folder / "dvcqg_766_2024-03.xlsx").write_bytes(workbook[: len(workbook) // 2])
    planted["dvc_portal/2024-03/dvcqg_766_2024-03.xlsx"] = "rejected:dvc_portal/2024-03/dvcqg_766_2024-03.xlsx"

    snapshot = (landing / "vneid/2024-04-15/vneid_20240415.csv").read_text(encoding="utf-8")
    header, *rows = snapshot.splitlines()
    cells = header.split(",")
    folder = landing / "vneid" / "2024-04-23"
    folder.mkdir()
    (folder / "vneid_20240423.csv").write_text(
        "\n".join([",".join([*cells[:-1], cells[1]]), *rows]) + "\n", encoding="utf-8"
    )
    planted["vneid/2024-04-23/vneid_20240423.csv"] = "rejected:vneid/2024-04-23/vneid_20240423.csv"

    (ds / "2024-05-01").mkdir()
    os.mkfifo(ds / "2024-05-01" / "hoso_20240501.jsonl")
    planted["dossier_system/2024-05-01/hoso_20240501.jsonl"] = "rejected:not a regular file"

    for day in ("9999-12-31", "2014-12-31"):
        (ds / day).mkdir()
        (ds / day / f"hoso_{day.replace('-', '')}.jsonl").write_bytes(
            (landing / f"dossier_system/{stray_day}/hoso_{stray_day.replace('-', '')}.jsonl").read_bytes()
        )
    planted["dossier_system/9999-12-31"] = "rejected:dated after the build date"
    planted["dossier_system/2014-12-31"] = "rejected:before the working calendar's first day"

    # a small .gz that unpacks beyond TTHC_MAX_UNPACKED_BYTES
    (ds / "2024-05-02").mkdir()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as packed:
        block = b"\n" * (1024 * 1024)
        for _ in range(MAX_UNPACKED // len(block) + 2):
            packed.write(block)
    (ds / "2024-05-02" / "hoso_20240502.jsonl.gz").write_bytes(buffer.getvalue())
    planted["dossier_system/2024-05-02/hoso_20240502.jsonl.gz"] = "rejected:dossier_system/2024-05-02/hoso_20240502.jsonl.gz"

    # a workbook that declares A1:XFD1048576 around its few real rows: loads as before
    _declare_whole_sheet(landing / "dvc_portal/2024-04/dvcqg_766_2024-04.xlsx")
    planted["dvc_portal/2024-04/dvcqg_766_2024-04.xlsx"] = "loaded"

    # uploads in progress: never read, never reported
    (ds / "2024-05-03").mkdir()
    (ds / "2024-05-03" / "hoso_20240503.jsonl.part").write_bytes(b"{")
    (ds / stray_day / f".hoso_{stray_day.replace('-', '')}.jsonl.swp").write_bytes(b"{")
    planted["dossier_system/2024-05-03/hoso_20240503.jsonl.part"] = "ignored"

    # names that must stay text in every published report
    def rename(path: Path, column: str, code_column: str, value: str) -> None:
        import csv

        lines = path.read_text(encoding="utf-8").splitlines()
        table = list(csv.reader(lines))
        head = table[0]
        for row in table[1:]:
            if row[head.index(code_column)] == table[1][head.index(code_column)]:
                row[head.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        path.write_text(out.getvalue(), encoding="utf-8")

    rename(landing / "reference/tthc.csv", "ten_linh_vuc", "ma_linh_vuc", MARKUP_NAME)
    day_file = landing / f"dossier_system/{stray_day}/hoso_{stray_day.replace('-', '')}.jsonl"
    agencies = list(dict.fromkeys(
        json.loads(line)["MaCoQuan"] for line in day_file.read_text(encoding="utf-8").splitlines()
    ))  # fmt: skip
    # two agencies with dossiers: both are in the workbooks and the dashboard's rankings
    _rename_agency(landing / "reference/don_vi.csv", agencies[0], FORMULA_NAME)
    _rename_agency(landing / "reference/don_vi.csv", agencies[1], MARKUP_AGENCY)
    return planted


def _rename_agency(path: Path, code: str, name: str) -> None:
    import csv

    table = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    for row in table[1:]:
        if row[0] == code:
            row[1] = name
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    path.write_text(out.getvalue(), encoding="utf-8")
