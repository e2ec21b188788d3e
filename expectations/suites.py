"""The expectation suites, as plain data (type + kwargs, GX 1.x names): readable, diffable,
and exportable as GX suite JSON (``suite_as_json``) without importing great_expectations."""

from __future__ import annotations

import json

from ingest.raw_layer import (
    AGENCY_CODE,
    COMMUNE_CODE,
    DOSSIER_CODE,
    DOSSIER_VERSIONS,
    PORTAL_766,
    PORTAL_766_COUNTS,
    PORTAL_766_SCORES,
    PORTAL_766_TOTALS,
    PORTAL_SYNCED,
    PROCEDURE_CODE,
    REFERENCE,
    UNIT_CODE,
    VNEID_COUNTS,
)

# The code patterns are the loaders' own (ingest/raw_layer.py): the suite checks again, on
# the Parquet written, the rule the door applied.
HEX64 = r"^[0-9a-f]{64}$"
STATUSES = list(range(1, 11))
CHANNELS = [1, 2, 3]

# Nested (list) columns are not validated by GX: their shape is enforced by the raw schema.
NESTED = ["DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua", "TaiLieuNop"]


def _e(type_: str, **kwargs) -> dict:
    return {"type": type_, "kwargs": kwargs}


def _columns(schema) -> dict:
    return _e("expect_table_columns_to_match_ordered_list", column_list=list(schema))


def _not_null(*columns: str) -> list[dict]:
    return [_e("expect_column_values_to_not_be_null", column=c) for c in columns]


def _pair_ge(a: str, b: str) -> dict:
    return _e(
        "expect_column_pair_values_a_to_be_greater_than_b",
        column_A=a,
        column_B=b,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )


SUITES: dict[str, list[dict]] = {
    "dossier_versions": [
        _columns(DOSSIER_VERSIONS),
        *_not_null("MaHoSo", "MaTTHC", "MaCoQuan", "KenhThucHien", "TrangThaiHoSo", "NgayCapNhat"),
        _e("expect_column_values_to_match_regex", column="MaHoSo", regex=DOSSIER_CODE),
        _e("expect_column_values_to_match_regex", column="MaTTHC", regex=PROCEDURE_CODE),
        _e("expect_column_values_to_match_regex", column="MaCoQuan", regex=AGENCY_CODE),
        _e("expect_column_values_to_match_regex", column="applicant_key", regex=HEX64),
        _e("expect_column_values_to_be_in_set", column="TrangThaiHoSo", value_set=STATUSES),
        _e("expect_column_values_to_be_in_set", column="KenhThucHien", value_set=CHANNELS),
        _pair_ge("NgayTiepNhan", "NgayNopHoSo"),
        _pair_ge("NgayKetThucXuLy", "NgayTiepNhan"),
        _e(
            "expect_compound_columns_to_be_unique",
            column_list=["MaHoSo", "NgayCapNhat", "_line_number"],
        ),
    ],
    "portal_766": [
        _columns(PORTAL_766),
        *_not_null("ma_don_vi"),
        _e("expect_column_values_to_match_regex", column="ma_don_vi", regex=AGENCY_CODE),
        _e("expect_column_values_to_be_unique", column="ma_don_vi"),
        *[
            _e("expect_column_values_to_be_between", column=c, min_value=0)
            for c in PORTAL_766_COUNTS
        ],
        _e("expect_column_values_to_be_between", column="tong_diem", min_value=0, max_value=100),
    ],
    # The Tổng cộng row's scores (the province's), written by the 766 load: at most one row
    # per report, and every score a number of [0, 100] (the door keeps any other cell blank).
    "portal_766_totals": [
        _columns(PORTAL_766_TOTALS),
        *_not_null("_report_month", "_source_file"),
        _e("expect_column_values_to_be_unique", column="_report_month"),
        *[
            _e("expect_column_values_to_be_between", column=c, min_value=0, max_value=100)
            for c in PORTAL_766_SCORES
        ],
    ],
    "portal_synced": [
        _columns(PORTAL_SYNCED),
        *_not_null("MaHoSo", "MaCoQuan", "TrangThaiHoSo", "KenhThucHien", "NgayTiepNhan"),
        _e("expect_column_values_to_match_regex", column="MaHoSo", regex=DOSSIER_CODE),
        _e("expect_column_values_to_match_regex", column="MaCoQuan", regex=AGENCY_CODE),
        _e("expect_column_values_to_be_unique", column="MaHoSo"),
        _e("expect_column_values_to_be_in_set", column="TrangThaiHoSo", value_set=STATUSES),
        _e("expect_column_values_to_be_in_set", column="KenhThucHien", value_set=CHANNELS),
        _pair_ge("NgayKetThucXuLy", "NgayTiepNhan"),
    ],
    "vneid_counts": [
        _columns(VNEID_COUNTS),
        *_not_null(
            "ma_dvhc",
            "ngay_so_lieu",
            "cong_dan_du_dieu_kien",
            "da_cap_muc_1",
            "da_cap_muc_2",
            "da_kich_hoat",
        ),
        _e("expect_column_values_to_match_regex", column="ma_dvhc", regex=COMMUNE_CODE),
        _e("expect_column_values_to_be_unique", column="ma_dvhc"),
        *[
            _e("expect_column_values_to_be_between", column=c, min_value=0)
            for c in ("cong_dan_du_dieu_kien", "da_cap_muc_1", "da_cap_muc_2", "da_kich_hoat")
        ],
        # _da_cap = da_cap_muc_1 + da_cap_muc_2, added by validate_batch (derived column)
        _pair_ge("_da_cap", "da_kich_hoat"),
        _pair_ge("cong_dan_du_dieu_kien", "_da_cap"),
        _pair_ge("_snapshot_date", "ngay_so_lieu"),
        _pair_ge("ngay_so_lieu", "_snapshot_date"),
    ],
}
_REFERENCE_KEYS = {
    "don_vi": ["ma_don_vi", "hieu_luc_tu"],
    "dvhc": ["ma_dvhc", "hieu_luc_tu"],
    "tthc": ["ma_tthc"],
    "cong_bo": ["ma_tthc", "so_qd_tinh"],
    "ngay_nghi": ["ngay"],
    "chi_tieu": ["ma_chi_tieu", "nam"],
}
for _name, _key in _REFERENCE_KEYS.items():
    SUITES[_name] = [
        _columns(REFERENCE[_name]),
        *_not_null(*_key),
        _e("expect_compound_columns_to_be_unique", column_list=_key)
        if len(_key) > 1
        else _e("expect_column_values_to_be_unique", column=_key[0]),
    ]
SUITES["don_vi"].append(_e("expect_column_values_to_match_regex", column="ma_don_vi", regex=AGENCY_CODE))
SUITES["tthc"].append(_e("expect_column_values_to_match_regex", column="ma_tthc", regex=PROCEDURE_CODE))
SUITES["dvhc"].append(_e("expect_column_values_to_match_regex", column="ma_dvhc", regex=UNIT_CODE))
SUITES["ngay_nghi"].append(
    _e("expect_column_values_to_be_in_set", column="loai", value_set=["nghi", "lam_bu"])
)

# Derived columns the suites refer to, added to the batch before validation.
DERIVED = {"vneid_counts": {"_da_cap": ("da_cap_muc_1", "da_cap_muc_2")}}


def suite_as_json(table: str) -> str:
    """The suite in GX's JSON shape (``name`` + ``expectations``)."""
    return json.dumps(
        {"name": f"raw_{table}", "expectations": SUITES[table]}, indent=2, ensure_ascii=False
    )
