"""Bad inputs planted on request (`--faults`), as a real landing zone receives them.

Every fault is listed in a manifest BESIDE the landing zone (`<out>_faults.json`, never
inside it): file (relative to the landing root), line (1-based, null for a whole file), kind,
and what the warehouse must do: `quarantine:<reason>`, `reject:<reason>`, `warning:<reason>`
or `error:<reason>`. Row faults are appended copies of real lines, one per file, only in files
with >= 21 lines, so that no batch exceeds 5% quarantined rows except the one day that is bad
on purpose (`batch_over_5pct`), whose corrected file waits in `<out>_redelivery/`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from .dossier_writer import write_lines


def manifest_path(out: Path) -> Path:
    return out.parent / f"{out.name}_faults.json"


def redelivery_root(out: Path) -> Path:
    return out.parent / f"{out.name}_redelivery"


def _day_of(rel: str) -> date:
    return date.fromisoformat(rel.split("/")[1])


def _ts(d: datetime) -> str:
    return d.strftime("%Y%m%d%H%M%S")


# (kind, expected quarantine reason, mutation of a parsed row given the file's day)
def _row_faults():
    def drop(key):
        def f(r, day):
            r.pop(key)
            return r
        return f

    def setv(key, value):
        def f(r, day):
            r[key] = value(r, day) if callable(value) else value
            return r
        return f

    def before(r, day):
        r["TrangThaiHoSo"] = 4
        nop = datetime.strptime(r["NgayNopHoSo"], "%Y%m%d%H%M%S")
        r["NgayTiepNhan"] = _ts(nop - timedelta(hours=3))
        return r

    def missing_end(r, day):
        r["TrangThaiHoSo"] = 10
        r["NgayKetThucXuLy"] = ""
        r["NgayTra"] = ""
        return r

    def future(r, day):
        r["NgayTuChoi"] = _ts(datetime.combine(day + timedelta(days=3), datetime.min.time()) + timedelta(hours=9))
        r["TrangThaiHoSo"] = 3
        r["NgayTiepNhan"] = ""
        return r

    return [
        ("invalid_json", "invalid_json", None),
        ("bad_mahoso_pattern", "pattern", setv("MaHoSo", lambda r, d: r["MaHoSo"].replace("-", "/", 1))),
        ("bad_macoquan_pattern", "pattern", setv("MaCoQuan", "H04.000.11")),
        ("bad_matthc_pattern", "pattern", setv("MaTTHC", "1-001193")),
        ("unknown_procedure", "unknown_reference", setv("MaTTHC", "9.999999")),
        ("unknown_agency", "unknown_reference", setv("MaCoQuan", "999.99.99.H04")),
        ("unknown_status", "invalid_status", setv("TrangThaiHoSo", 11)),
        ("unknown_channel", "invalid_channel", setv("KenhThucHien", 4)),
        ("unparseable_timestamp", "timestamp_unparseable", setv("NgayNopHoSo", "2024-13-45 25:61")),
        ("received_before_submitted", "received_before_submitted", before),
        ("missing_required_field", "missing_required_field", drop("MaTTHC")),
        ("missing_status_timestamp", "missing_required_timestamp", missing_end),
        ("wrong_day_row", "capnhat_not_on_file_day",
         setv("NgayCapNhat", lambda r, d: _ts(datetime.combine(d - timedelta(days=1), datetime.min.time()) + timedelta(hours=10)))),
        ("event_after_file_day", "event_after_file_day", future),
        ("wrong_type_field", "wrong_type", setv("DanhSachLePhi", "không có")),
    ]


def _read(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").splitlines()


def plant(out: Path, ds, start: date, end: date, seed: int, files: list[str]) -> dict:
    rng = np.random.default_rng([seed, 99])
    faults: list[dict] = []
    plain = [f for f in files if f.startswith("dossier_system/") and f.endswith(".jsonl")]
    sizes = {f: len(_read(out / f)) for f in plain}
    by_size = sorted(plain, key=lambda f: (-sizes[f], f))
    big = [f for f in by_size if sizes[f] >= 21]  # 1 bad row in >= 21 lines stays < 5%
    row_faults = _row_faults()
    used: set[str] = set()

    # --- row faults: one appended line per file ------------------------------------------
    for (kind, reason, mutate), rel in zip(row_faults, big):
        used.add(rel)
        lines = _read(out / rel)
        day = _day_of(rel)
        src = json.loads(lines[int(rng.integers(len(lines)))])
        if mutate is None:
            bad = json.dumps(src, ensure_ascii=False)[: int(rng.integers(40, 120))]
        else:
            bad = json.dumps(mutate(src, day), ensure_ascii=False)
        lines.append(bad)
        write_lines(out / rel, lines, gz=False)
        faults.append({"file": rel, "line": len(lines), "kind": kind,
                       "expected": f"quarantine:{reason}"})
    if len(big) < len(row_faults):
        missing = [k for k, _, _ in row_faults[len(big):]]
        faults.append({"file": None, "line": None, "kind": "not_planted",
                       "expected": f"skipped (no file with >= 21 lines left): {missing}"})

    rest = [f for f in by_size if f not in used]
    mid = rest[len(rest) // 4:] or rest

    def take():
        f = mid.pop(0)
        used.add(f)
        return f

    # --- a batch bad on purpose, and its corrected re-delivery ----------------------------
    if mid:
        rel = take()
        good = _read(out / rel)
        redo = redelivery_root(out) / rel
        write_lines(redo, good, gz=False)
        day = _day_of(rel)
        bad_n = max(2, int(len(good) * 0.08))
        lines = list(good)
        picks = sorted(rng.choice(len(good), size=min(bad_n, len(good)), replace=False).tolist())
        for i in picks:
            r = json.loads(lines[i])
            r["NgayCapNhat"] = _ts(datetime.combine(day - timedelta(days=2), datetime.min.time()) + timedelta(hours=15))
            lines[i] = json.dumps(r, ensure_ascii=False)
            faults.append({"file": rel, "line": i + 1, "kind": "wrong_day_row",
                           "expected": "quarantine:capnhat_not_on_file_day"})
        write_lines(out / rel, lines, gz=False)
        faults.append({"file": rel, "line": None, "kind": "batch_over_5pct",
                       "expected": "error:batch_over_5pct (publication held until re-delivery)",
                       "redelivery": str(Path(f"{out.name}_redelivery") / rel)})

    # --- whole-file faults ----------------------------------------------------------------
    if mid:
        rel = take()
        text = "\n".join(_read(out / rel)) + "\n"
        (out / rel).write_bytes(text.encode("cp1258", errors="replace"))
        faults.append({"file": rel, "line": None, "kind": "not_utf8", "expected": "reject:not_utf8"})
    if mid:
        rel = take()
        (out / rel).write_bytes(b"")
        faults.append({"file": rel, "line": None, "kind": "empty_file", "expected": "reject:empty_file"})
    if mid:
        rel = take()
        gz_rel = rel + ".gz"
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as g:
            g.write((out / rel).read_bytes())
        (out / gz_rel).write_bytes(buf.getvalue())
        faults.append({"file": rel, "line": None, "kind": "ambiguous_folder", "expected": "reject:ambiguous"})
        faults.append({"file": gz_rel, "line": None, "kind": "ambiguous_folder", "expected": "reject:ambiguous"})
    if len(mid) >= 2:
        host, other = take(), take()
        folder = host.rsplit("/", 1)[0]
        wrong = f"{folder}/{other.rsplit('/', 1)[1]}"
        (out / wrong).write_bytes((out / other).read_bytes())
        faults.append({"file": wrong, "line": None, "kind": "misnamed_file",
                       "expected": "reject:name_folder_mismatch"})

    # --- portal: a 766 report whose Tổng cộng row disagrees --------------------------------
    reports = sorted(f for f in files if "/dvcqg_766_" in f)
    if reports:
        rel = reports[0]
        path = out / rel
        if rel.endswith(".csv"):
            text = path.read_bytes().decode("utf-8-sig").splitlines()
            cells = text[-1].split(";")
            cells[3] = str(int(cells[3].replace(".", "")) + 5)
            text[-1] = ";".join(cells)
            path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(text) + "\n").encode("utf-8"))
            line = len(text)
        else:
            import openpyxl

            from .portal import _freeze_zip
            wb = openpyxl.load_workbook(path)
            ws = wb["TongHop"]
            line = ws.max_row
            v = ws.cell(line, 4).value
            ws.cell(line, 4, int(str(v).replace(".", "")) + 5)
            buf = io.BytesIO()
            wb.save(buf)
            _freeze_zip(buf.getvalue(), path, datetime(start.year, start.month, 28))
        faults.append({"file": rel, "line": line, "kind": "total_mismatch",
                       "expected": "warning:total_mismatch"})

    # --- VNeID: rows breaking activated <= l1 + l2 <= eligible (first snapshot) -----------
    snaps = sorted(f for f in files if f.startswith("vneid/"))
    if len(snaps) >= 2:
        rel = snaps[0]
        rows = list(csv.reader(io.StringIO((out / rel).read_bytes().decode("utf-8"))))
        r = rows[1]
        r[6] = str(int(r[4]) + int(r[5]) + 50)
        r2 = rows[2]
        r2[4] = str(int(r2[3]) - int(r2[5]) + 100)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        (out / rel).write_bytes(buf.getvalue().encode("utf-8"))
        faults.append({"file": rel, "line": 2, "kind": "vneid_activated_over_issued",
                       "expected": "quarantine:vneid_rule"})
        faults.append({"file": rel, "line": 3, "kind": "vneid_issued_over_eligible",
                       "expected": "quarantine:vneid_rule"})

    faults.sort(key=lambda f: (f["file"] or "", f["line"] or 0, f["kind"]))
    manifest = {"landing": out.name, "seed": seed, "start": start.isoformat(),
                "end": end.isoformat(), "faults": faults,
                "redelivery_root": f"{out.name}_redelivery"}
    manifest_path(out).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
    return manifest
