"""The lookup tables for BI (marts.md): dim_units, dim_procedures, dim_kpis, dim_codes, built
on the hand-made raw layer (tests/figures/raw_fixture.py)."""

from __future__ import annotations

from datetime import date

from tests.figures.raw_fixture import CEASED, HUYEN_A, HUYEN_B, P_CD, P_WD, PROV, XA


def test_dim_units_has_every_validity_row_with_its_district_and_province(built):
    rows = built.query(
        "select unit_code, parent_code, valid_from, valid_to, successor_code, district_code, province_code "
        "from marts.dim_units where unit_type = 'agency' order by unit_code, valid_from"
    )
    by_code = {}
    for row in rows:
        by_code.setdefault(row[0], []).append(row[1:])
    # XA moved from HUYEN_A (district 213) to HUYEN_B (222) on 2024-05-15: two rows
    assert by_code[XA] == [
        (HUYEN_A, date(2008, 1, 1), date(2024, 5, 14), None, "213", "24"),
        (HUYEN_B, date(2024, 5, 15), None, None, "222", "24"),
    ]
    # the ceased commune agency names its successor; the provincial department has no district
    assert by_code[CEASED][0][3] == XA
    assert by_code[PROV] == [(None, date(2008, 1, 1), None, None, None, "24")]
    dvhc = dict(built.query("select unit_code, province_code from marts.dim_units where unit_type = 'dvhc'"))
    assert set(dvhc.values()) == {"24"}  # every commune, district and the province itself


def test_dim_procedures_lists_tthc_with_its_attributes(built):
    rows = {
        row[0]: row[1:]
        for row in built.query(
            "select procedure_code, field_code, has_fee, statutory_days, statutory_unit, paper_result_required "
            "from marts.dim_procedures"
        )
    }
    assert rows[P_WD] == ("F1", True, 3, "ngay_lam_viec", True)
    assert rows[P_CD] == ("F2", False, 5, "ngay", False)


def test_dim_kpis_names_every_code_of_kpi_values_and_the_portal_indicators(built):
    described = {code for (code,) in built.query("select kpi_code from marts.dim_kpis where label_en <> ''")}
    used = {code for (code,) in built.query("select distinct kpi_code from marts.kpi_values")}
    used |= {code for (code,) in built.query("select distinct indicator_code from marts.portal_766_indicators")}
    assert used <= described
    assert built.query("select unit, lower_is_better from marts.dim_kpis where kpi_code = 'avg_processing_wd'") == [
        ("working_days", True)
    ]
    assert built.query("select lower_is_better from marts.dim_kpis where kpi_code = 'received_elsewhere_rate'") == [(None,)]


def test_dim_codes_decodes_every_status_and_channel_of_the_dossiers(built):
    codes = set(built.query("select code_type, code from marts.dim_codes"))
    for code_type, column in (("status", "status"), ("channel", "channel"), ("timeliness", "timeliness")):
        for (value,) in built.query(f"select distinct cast({column} as varchar) from marts.dossiers where {column} is not null"):
            assert (code_type, value) in codes, (code_type, value)
    issues = built.query("select distinct issue from marts.reconciliation_dossiers")
    assert issues and all(("issue", issue) in codes for (issue,) in issues)
    reasons = built.query("select distinct reason from marts.portal_766_dossiers")
    assert reasons and all(("reason", reason) in codes for (reason,) in reasons)
