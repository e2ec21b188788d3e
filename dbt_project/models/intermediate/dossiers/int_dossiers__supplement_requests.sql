-- One row per supplement request (DanhSachHoSoBoSung) of a dossier's current version.
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
        {{ unnest_with_position('supplement_requests', 'element', 'element_position') }}
    from current_versions

),

rename_fields as (

    select
        dossier_code,
        file_date,
        line_number,
        element_position,
        cast(element.NgayBoSung as timestamp) as requested_at,
        cast(element.NgayTiepNhanBoSung as timestamp) as supplement_received_at,
        cast(element.NgayHenTraTruoc as timestamp) as previous_appointment_at,
        cast(element.NgayHenTraMoi as timestamp) as new_appointment_at
    from unnest_elements

),

final as (

    select * from rename_fields

)

select * from final
