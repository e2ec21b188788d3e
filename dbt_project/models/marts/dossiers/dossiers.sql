-- One row per dossier, its current state (marts.md `dossiers`). No personal data:
-- applicant_key is the keyed hash that ingest put in place of the citizen ID.
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

enriched_dossiers as (

    select * from {{ ref('int_dossiers__enriched') }}
    where {{ is_changed_dossier('dossier_code') }}

),

final as (

    select
        dossier_code,
        procedure_code,
        agency_code,
        district_code,
        channel,
        status,
        submitted_at,
        received_at,
        due_at,
        statutory_due_date,
        ended_at,
        returned_at,
        timeliness,
        is_appointment_inflated,
        cast(supplement_count as bigint) as supplement_count,
        cast(paused_working_days as bigint) as paused_working_days,
        cast(processing_working_days as bigint) as processing_working_days,
        has_fee,
        cast(fee_total_vnd as bigint) as fee_total_vnd,
        is_paid_online,
        is_digitized,
        is_reused,
        has_electronic_result,
        rating,
        is_vneid_authenticated,
        applicant_key,
        receiving_agency_code,
        is_received,
        refused_at,
        field_code
    from enriched_dossiers

)

select * from final
