-- One row per result document (DanhSachGiayToKetQua) of a dossier's current version.
-- Unnested from the current version only: the figures never look at older versions, and
-- unnesting every version would multiply the rows by the number of versions.
{{ config(
    materialized=per_dossier_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_dossiers() }}",
) }}
-- Incremental on DuckDB: only the dossiers of the days loaded since the last build
-- (macros/incremental_dossiers.sql).
-- depends_on: {{ ref('int_dossiers__changed') }}
with

current_versions as (

    select * from {{ ref('int_dossiers__current_versions') }}
    where {{ is_changed_dossier('dossier_code') }}

),

unnest_elements as (

    select
        dossier_code,
        file_date,
        line_number,
        {{ unnest_with_position('result_documents', 'element', 'element_position') }}
    from current_versions

),

rename_fields as (

    select
        dossier_code,
        file_date,
        line_number,
        element_position,
        cast(element.TenGiayTo as {{ dbt.type_string() }}) as document_name,
        cast(element.MaGiayToKetQua as {{ dbt.type_string() }}) as result_document_code,
        cast(element.DuongDanTepTinKetQua as {{ dbt.type_string() }}) as result_file_link,
        coalesce(trim(element.DuongDanTepTinKetQua) <> '', false) as is_electronic
    from unnest_elements

),

final as (

    select * from rename_fields

)

select * from final
