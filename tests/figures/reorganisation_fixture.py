"""A tiny raw layer written by hand across the 2025 reorganisation (reorganisation.md), in
exactly the ingest/raw_layer.py schemas; the helpers come from raw_fixture.py.

Every number test_reorganisation.py expects is derived by hand from the rows below. Units
(don_vi.csv; dvhc.csv below):

    PROV     000.00.11.H04  Sở Tư pháp (tinh, 24): the publishing agency of tthc.csv, no dossiers
    DEPT_T   000.00.13.H04  Sở Giao thông vận tải (tinh, 24), until 2025-02-28, successor DEPT_C
    DEPT_C   000.00.14.H04  Sở Xây dựng (tinh, 24), all along: took DEPT_T over on 2025-03-01
    HUYEN    000.00.25.H04  UBND huyện Yên Dũng (huyen, 219), until 2025-06-30, successor BRANCH
    XA       207.25.25.H04  UBND xã Tân An (xa, 07300): under HUYEN until 2025-06-30, then a
                            second row without a parent (the code kept across the reform)
    XA_OLD   206.25.25.H04  UBND xã Tiến Dũng (xa, 07290) under HUYEN, until 2025-03-31,
                            successor XA_GONE (a commune merged before the reform)
    XA_GONE  208.25.25.H04  UBND xã Lãng Sơn (xa, 07310) under HUYEN, until 2025-06-30, no
                            successor: its dossiers, and XA_OLD's (two steps, the second
                            stopping at a code without successor), stay under it restated
    BRANCH   000.40.25.H04  Chi nhánh VPĐKĐĐ khu vực Yên Dũng (tinh, 24), from 2025-07-01
    BN_XA    310.91.91.H27  UBND xã Phật Tích (xa, 09200), of the former province 27 (Bắc Ninh):
                            its don_vi row starts on 2025-07-01, its dossiers too

Administrative units: province 24 is Tỉnh Bắc Giang until 2025-06-30 and Tỉnh Bắc Ninh from
2025-07-01 (the merged province keeps the code); province 27 (the former Bắc Ninh) ends on
2025-06-30 with successor 24; districts 219 (of 24) and 256 (of 27) end on 2025-06-30; communes
07300 and 09200 keep their codes and hang directly under 24 from 2025-07-01 (09200 was under
256, so under 27, before: a province found from the wrong dvhc row would be 27).

Dossiers (due = the appointment NgayHenTra; no supplement requests), data_through 2025-07-31:

    code agency  ch received     due          ended        timeliness  desk
    T1   DEPT_T  2  02-10 08:00  02-14 17:00  02-12 10:00  early
    T2   DEPT_T  1  02-20 09:00  03-05 17:00  03-10 10:00  overdue      (open across 1 March)
    C1   DEPT_C  2  03-03 08:00  03-07 17:00  03-07 09:00  on time
    O1   XA_OLD  1  03-20 08:00  03-27 17:00  03-26 10:00  early
    G1   XA_GONE 1  06-10 08:00  06-16 17:00  06-13 10:00  early
    H1   HUYEN   3  06-16 08:00  07-07 17:00  07-08 10:00  overdue      (open across 1 July)
    X1   XA      2  06-25 08:00  06-27 17:00  07-02 10:00  overdue      (open across 1 July)
    X3   XA      1  06-30 09:00  07-04 17:00  07-03 15:00  early        (last day of districts)
    N1   BN_XA   2  07-02 08:00  07-08 17:00  07-07 10:00  early
    B1   BRANCH  1  07-03 09:00  07-09 17:00  07-09 10:00  on time      XA (elsewhere)
    X2   XA      2  07-07 08:00  07-11 17:00  07-11 16:00  on time      XA (itself)
    N2   BN_XA   1  07-14 08:00  07-18 17:00  open         -            XA (elsewhere)
    C2   DEPT_C  2  07-21 08:00  07-24 17:00  07-23 10:00  early        BN_XA (elsewhere)
    C3   DEPT_C  2  07-28 08:00  08-04 17:00  open         -

Refused at reception (status 3, never received: only refusal_rate counts them): R2 of HUYEN
(submitted 06-18, refused 06-19) and R1 of BN_XA (submitted 07-15, refused 07-16).

C2's procedure requires a paper result and C2 ended (status 10) without an electronic one: it
is the only online dossier that online_rate's numerator leaves out.

Where each dossier belongs (as was: its agency's row on its reception date; restated: the
agency carrying its work on at 2025-07-31 and that agency's row then, or its last row):

    code  as was: agency / tier / district    restated: agency / tier / district
    T1,T2 DEPT_T  tinh  -                     DEPT_C  tinh  -
    C1,C2,C3 DEPT_C tinh -                    DEPT_C  tinh  -
    O1    XA_OLD  xa    219                   XA_GONE xa    219  (XA_OLD → XA_GONE, which ended
                                                                  without successor)
    G1    XA_GONE xa    219                   XA_GONE xa    219  (no successor: its last row)
    H1,R2 HUYEN   huyen 219                   BRANCH  tinh  -    (R2: its submission date)
    X1,X3 XA      xa    219                   XA      xa    -    (XA's row at 2025-07-31)
    X2    XA      xa    -                     XA      xa    -
    B1    BRANCH  tinh  -                     BRANCH  tinh  -
    N1,N2,R1 BN_XA xa   -                     BN_XA   xa    -
    every dossier: province 24, on both bases.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from ingest import raw_layer
from tests.figures.raw_fixture import (
    CONG_BO,
    P_CD,
    P_WD,
    PROV,
    TTHC,
    ts,
    version,
    write_reference,
)

DEPT_T = "000.00.13.H04"
DEPT_C = "000.00.14.H04"
HUYEN = "000.00.25.H04"
XA = "207.25.25.H04"
XA_OLD = "206.25.25.H04"
XA_GONE = "208.25.25.H04"
BRANCH = "000.40.25.H04"
BN_XA = "310.91.91.H27"

DATA_THROUGH = "2025-07-31"

# In file order: within one file, the line number is the position in this list.
DOSSIER_VERSIONS = [
    # --- the department merger (DEPT_T into DEPT_C on 2025-03-01)
    # T1: before the merger, online, ended early: DEPT_T's as was, DEPT_C's restated, in Feb.
    version(
        "T1",
        DEPT_T,
        P_CD,
        2,
        10,
        file_date="2025-02-12",
        received="2025-02-10 08:00",
        appointment="2025-02-14 17:00",
        ended="2025-02-12 10:00",
        returned="2025-02-12 15:00",
        delivery=3,
    ),
    # T2: received by DEPT_T before the merger, still open across it (in progress within the
    # deadline at the end of February), ended overdue in March: carried over into March under
    # DEPT_T as was (its MaCoQuan does not change), under DEPT_C restated.
    version(
        "T2",
        DEPT_T,
        P_CD,
        1,
        2,
        file_date="2025-02-20",
        received="2025-02-20 09:00",
        appointment="2025-03-05 17:00",
    ),
    version(
        "T2",
        DEPT_T,
        P_CD,
        1,
        10,
        file_date="2025-03-10",
        received="2025-02-20 09:00",
        appointment="2025-03-05 17:00",
        ended="2025-03-10 10:00",
        returned="2025-03-10 11:00",
    ),
    # C1: the successor's own dossier after the merger, ended on the due date (on time).
    version(
        "C1",
        DEPT_C,
        P_CD,
        2,
        9,
        file_date="2025-03-07",
        received="2025-03-03 08:00",
        appointment="2025-03-07 17:00",
        ended="2025-03-07 09:00",
    ),
    # O1: a commune agency merged on 1 April into XA_GONE, which later ceased without
    # successor: restated under XA_GONE (district 219, its last row's), as was under XA_OLD.
    version(
        "O1",
        XA_OLD,
        P_CD,
        1,
        10,
        file_date="2025-03-26",
        received="2025-03-20 08:00",
        appointment="2025-03-27 17:00",
        ended="2025-03-26 10:00",
        returned="2025-03-26 15:00",
    ),
    # --- the end of the district level (219 and its agencies end on 2025-06-30)
    # G1: a commune agency that ceased without successor: district 219 on both bases.
    version(
        "G1",
        XA_GONE,
        P_CD,
        1,
        10,
        file_date="2025-06-13",
        received="2025-06-10 08:00",
        appointment="2025-06-16 17:00",
        ended="2025-06-13 10:00",
        returned="2025-06-13 11:00",
    ),
    # H1: the district people's committee's dossier by post, received before 1 July, open
    # across it (within the deadline at the end of June and of 2025-W27), ended overdue in
    # July: keeps district 219 and tier huyen as was; restated under BRANCH (tinh, no district).
    version(
        "H1",
        HUYEN,
        P_CD,
        3,
        2,
        file_date="2025-06-16",
        received="2025-06-16 08:00",
        appointment="2025-07-07 17:00",
    ),
    version(
        "H1",
        HUYEN,
        P_CD,
        3,
        10,
        file_date="2025-07-08",
        received="2025-06-16 08:00",
        appointment="2025-07-07 17:00",
        ended="2025-07-08 10:00",
        returned="2025-07-08 15:00",
    ),
    # R2: refused at HUYEN's desk before 1 July (never received: not in Biểu 06): refusal_rate's
    # numerator of HUYEN (tier huyen, district 219 from its submission date) as was, of BRANCH
    # (tinh, no district) restated.
    version(
        "R2",
        HUYEN,
        P_CD,
        1,
        3,
        file_date="2025-06-19",
        submitted="2025-06-18 08:00",
        refused="2025-06-19 09:00",
    ),
    # X1: a commune dossier received before 1 July, past its due date at the end of June (in
    # progress overdue), ended overdue on 2 July: district 219 as was (also in July), none
    # restated (XA's row valid at data_through has no district).
    version(
        "X1",
        XA,
        P_CD,
        2,
        2,
        file_date="2025-06-25",
        received="2025-06-25 08:00",
        appointment="2025-06-27 17:00",
    ),
    version(
        "X1",
        XA,
        P_CD,
        2,
        9,
        file_date="2025-07-02",
        received="2025-06-25 08:00",
        appointment="2025-06-27 17:00",
        ended="2025-07-02 10:00",
    ),
    # X3: received on 30 June, the last day of the districts (Monday of 2025-W27): district 219
    # as was, received within W27; ended early on 3 July.
    version(
        "X3",
        XA,
        P_CD,
        1,
        10,
        file_date="2025-07-03",
        received="2025-06-30 09:00",
        appointment="2025-07-04 17:00",
        ended="2025-07-03 15:00",
        returned="2025-07-03 16:00",
    ),
    # --- after 1 July: no districts, desks receiving for other agencies
    # N1: the first dossier of the joining province's commune agency (dvhc 09200, now under
    # 24): online, ended early; in progress (within the deadline) at the end of 2025-W27.
    version(
        "N1",
        BN_XA,
        P_CD,
        2,
        10,
        file_date="2025-07-07",
        received="2025-07-02 08:00",
        appointment="2025-07-08 17:00",
        ended="2025-07-07 10:00",
        returned="2025-07-07 11:00",
        delivery=3,
    ),
    # B1: the provincial branch's dossier received at XA's desk (elsewhere), ended on its due
    # date (on time); in progress within the deadline at the end of 2025-W27.
    version(
        "B1",
        BRANCH,
        P_CD,
        1,
        10,
        file_date="2025-07-09",
        received="2025-07-03 09:00",
        appointment="2025-07-09 17:00",
        ended="2025-07-09 10:00",
        returned="2025-07-09 11:00",
        receiving=XA,
    ),
    # X2: XA after the reform: tier xa, no district; the desk named is XA itself (not elsewhere).
    version(
        "X2",
        XA,
        P_CD,
        2,
        9,
        file_date="2025-07-11",
        received="2025-07-07 08:00",
        appointment="2025-07-11 17:00",
        ended="2025-07-11 16:00",
        receiving=XA,
    ),
    # N2: the joining commune's dossier received at XA's desk across the old provincial
    # boundary (Nghị định 118/2025), in person, still open and past due at data_through.
    version(
        "N2",
        BN_XA,
        P_CD,
        1,
        2,
        file_date="2025-07-14",
        received="2025-07-14 08:00",
        appointment="2025-07-18 17:00",
        receiving=XA,
    ),
    # R1: refused at the joining commune after 1 July: tier xa, no district, province 24.
    version(
        "R1",
        BN_XA,
        P_CD,
        1,
        3,
        file_date="2025-07-16",
        submitted="2025-07-15 08:00",
        refused="2025-07-16 09:00",
    ),
    # C2: DEPT_C's online dossier received at BN_XA's desk (elsewhere), ended early; its
    # procedure requires a paper result and it has no electronic one: not in online_rate's
    # numerator.
    version(
        "C2",
        DEPT_C,
        P_WD,
        2,
        10,
        file_date="2025-07-23",
        received="2025-07-21 08:00",
        appointment="2025-07-24 17:00",
        ended="2025-07-23 10:00",
        returned="2025-07-23 15:00",
        receiving=BN_XA,
    ),
    # C3: online, open within its deadline (4 August) at data_through.
    version(
        "C3",
        DEPT_C,
        P_CD,
        2,
        2,
        file_date="2025-07-28",
        received="2025-07-28 08:00",
        appointment="2025-08-04 17:00",
    ),
    # N2 processed further on the last day: the latest file, data_through = 2025-07-31.
    version(
        "N2",
        BN_XA,
        P_CD,
        1,
        4,
        file_date=DATA_THROUGH,
        received="2025-07-14 08:00",
        appointment="2025-07-18 17:00",
        receiving=XA,
    ),
]

# ma_don_vi, ten_don_vi, cap, ma_dvhc, ma_don_vi_cha, hieu_luc_tu, hieu_luc_den, ma_don_vi_ke_thua
DON_VI = [
    # publishes the procedures of tthc.csv (raw_fixture.TTHC); handles nothing here
    (PROV, "Sở Tư pháp", "tinh", "24", None, "2008-01-01", None, None),
    # merged into DEPT_C from 1 March 2025
    (DEPT_T, "Sở Giao thông vận tải", "tinh", "24", None, "2008-01-01", "2025-02-28", DEPT_C),
    (DEPT_C, "Sở Xây dựng", "tinh", "24", None, "2008-01-01", None, None),
    # the district people's committee ceases; a provincial branch carries its dossiers on
    (HUYEN, "UBND huyện Yên Dũng", "huyen", "219", None, "2008-01-01", "2025-06-30", BRANCH),
    # the code kept across the reform: under HUYEN (district 219), then without a parent
    (XA, "UBND xã Tân An", "xa", "07300", HUYEN, "2008-01-01", "2025-06-30", None),
    (XA, "UBND xã Tân An", "xa", "07300", None, "2025-07-01", None, None),
    (XA_OLD, "UBND xã Tiến Dũng", "xa", "07290", HUYEN, "2008-01-01", "2025-03-31", XA_GONE),
    # ceased without successor: restated, its dossiers stay under it, with its last row's
    # tier (xa), district (219) and province (24)
    (XA_GONE, "UBND xã Lãng Sơn", "xa", "07310", HUYEN, "2008-01-01", "2025-06-30", None),
    (BRANCH, "Chi nhánh VPĐKĐĐ khu vực Yên Dũng", "tinh", "24", None, "2025-07-01", None, None),
    # the former province 27's commune agency joins the merged province's system on 1 July
    (BN_XA, "UBND xã Phật Tích", "xa", "09200", None, "2025-07-01", None, None),
]

# ma_dvhc, ten_dvhc, cap, ma_dvhc_cha, hieu_luc_tu, hieu_luc_den, ma_dvhc_ke_thua
DVHC = [
    # one code, two names: named by the row valid at each period's end
    ("24", "Tỉnh Bắc Giang", "tinh", None, "1997-01-01", "2025-06-30", None),
    ("24", "Tỉnh Bắc Ninh", "tinh", None, "2025-07-01", None, None),
    # the former Bắc Ninh: ends with the merger (no dossier of it is in this landing zone)
    ("27", "Tỉnh Bắc Ninh", "tinh", None, "1997-01-01", "2025-06-30", "24"),
    ("219", "Huyện Yên Dũng", "huyen", "24", "1997-01-01", "2025-06-30", None),
    ("256", "Huyện Tiên Du", "huyen", "27", "1997-01-01", "2025-06-30", None),
    ("07300", "Xã Tân An", "xa", "219", "1997-01-01", "2025-06-30", None),
    ("07300", "Xã Tân An", "xa", "24", "2025-07-01", None, None),
    ("07290", "Xã Tiến Dũng", "xa", "219", "1997-01-01", "2025-03-31", "07310"),
    # merged into 07300: no row valid at data_through (XA_GONE's province comes from its last
    # row's chain, 07310 → 219 → 24)
    ("07310", "Xã Lãng Sơn", "xa", "219", "1997-01-01", "2025-06-30", "07300"),
    # under 256, so in province 27, until 30 June; directly under 24 from 1 July
    ("09200", "Xã Phật Tích", "xa", "256", "1997-01-01", "2025-06-30", None),
    ("09200", "Xã Phật Tích", "xa", "24", "2025-07-01", None, None),
]

# The 2025 calendar (only working-day KPIs read it here: every due date is an appointment).
NGAY_NGHI = [
    ("2025-01-01", "nghi"),
    ("2025-01-27", "nghi"),
    ("2025-01-28", "nghi"),
    ("2025-01-29", "nghi"),
    ("2025-01-30", "nghi"),
    ("2025-01-31", "nghi"),
    ("2025-04-07", "nghi"),
    ("2025-04-26", "lam_bu"),
    ("2025-04-30", "nghi"),
    ("2025-05-01", "nghi"),
    ("2025-05-02", "nghi"),
    ("2025-09-01", "nghi"),
    ("2025-09-02", "nghi"),
]

CHI_TIEU = [
    ("on_time_rate", 2025, 0.98, "test"),
    # no direction: meets_target stays null
    ("received_elsewhere_rate", 2025, 0.1, "test"),
]


# The portal's synced-dossier lists (sync_rate_766, per agency and month: numerator = received
# in the month and in the list, denominator = max(received in the month, list rows of the
# agency)); only the codes and agencies count here. No 766 report, no VNeID snapshot.
#   (month, code, agency, status, channel, received)
SYNCED = [
    # February: DEPT_T received T1 and T2, the list has T1 only: 1 of max(2, 1) = 2.
    ("2025-02", "T1", DEPT_T, 10, 2, "2025-02-10 08:00"),
    # Z1 of DEPT_C, unknown to the system: DEPT_C 0 of max(0, 1) = 1. Restated, DEPT_C sums
    # the as-was agency-month terms, 1 of 3; recomputed on DEPT_C's merged dossiers it would
    # be 1 of max(2, 2) = 2.
    ("2025-02", "Z1", DEPT_C, 2, 1, "2025-02-25 08:00"),
    # June: G1 (XA_GONE 1 of 1), H1 (HUYEN 1 of 1), X1 but not X3 (XA 1 of 2): district 219
    # 3 of 4 as was; restated HUYEN's term moves to BRANCH (tinh), XA's leaves the district.
    ("2025-06", "G1", XA_GONE, 10, 1, "2025-06-10 08:00"),
    ("2025-06", "H1", HUYEN, 2, 3, "2025-06-16 08:00"),
    ("2025-06", "X1", XA, 2, 2, "2025-06-25 08:00"),
]


def write_raw_layer(warehouse: Path) -> None:
    """The dossier versions (one partition per file day), the reference files and the synced
    lists of February and June; no 766 report or VNeID snapshot (their tables get zero-row
    schema files)."""
    by_file: dict[date, list[dict]] = {}
    for row in DOSSIER_VERSIONS:
        by_file.setdefault(row["_file_date"], []).append(row)
    for file_date, rows in by_file.items():
        stamp = file_date.strftime("%Y%m%d")
        records = [
            row
            | {"_source_file": f"dossier_system/{file_date}/hoso_{stamp}.jsonl", "_line_number": i}
            for i, row in enumerate(rows, start=1)
        ]
        raw_layer.write_parquet_atomically(
            pl.DataFrame(records, schema=raw_layer.DOSSIER_VERSIONS),
            raw_layer.partition_path(warehouse, "dossier_versions", file_date.isoformat()),
        )

    for name, rows in [
        ("don_vi", DON_VI),
        ("dvhc", DVHC),
        ("tthc", TTHC),
        ("cong_bo", CONG_BO),
        ("ngay_nghi", [(day, kind, "") for day, kind in NGAY_NGHI]),
        ("chi_tieu", CHI_TIEU),
    ]:
        write_reference(warehouse, name, rows)

    for month in sorted({row[0] for row in SYNCED}):
        synced = [
            {
                "MaHoSo": code,
                "MaCoQuan": agency,
                "TrangThaiHoSo": status,
                "KenhThucHien": channel,
                "NgayTiepNhan": ts(received),
                "NgayKetThucXuLy": None,
                "DuocThanhToanTrucTuyen": 0,
                "_report_month": month,
                "_source_file": f"dvc_portal/{month}/dvcqg_dongbo_{month}.csv",
                "_line_number": i,
            }
            for i, (_, code, agency, status, channel, received) in enumerate(
                [row for row in SYNCED if row[0] == month], start=2
            )
        ]
        raw_layer.write_parquet_atomically(
            pl.DataFrame(synced, schema=raw_layer.PORTAL_SYNCED),
            raw_layer.partition_path(warehouse, "portal_synced", month),
        )

    raw_layer.ensure_schema_files(warehouse)
