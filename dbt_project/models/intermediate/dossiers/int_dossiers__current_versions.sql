-- One row per dossier: its current state (sources.md §1): the version with the greatest
-- updated_at; on a tie the later file (file_date), then the later line (line_number).
-- The ranking runs on the narrow key columns only, then the winning versions are joined
-- back: sorting the wide rows (their lists of fees, supplements, documents) cost ~5x more
-- at 1M dossiers. (file_date, line_number) identifies a version: one file a day.
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

dossier_versions as (

    select * from {{ ref('stg_dossier_system__dossier_versions') }}
    where {{ is_changed_dossier('dossier_code') }}

),

rank_versions as (

    select
        dossier_code,
        file_date,
        line_number,
        row_number() over (
            partition by dossier_code
            order by updated_at desc, file_date desc, line_number desc
        ) as version_rank
    from dossier_versions

),

keep_current_versions as (

    select dossier_versions.*
    from dossier_versions
    inner join rank_versions
        on rank_versions.dossier_code = dossier_versions.dossier_code
        and rank_versions.file_date = dossier_versions.file_date
        and rank_versions.line_number = dossier_versions.line_number
    where rank_versions.version_rank = 1

),

final as (

    select
        dossier_code,
        procedure_code,
        agency_code,
        receiving_agency_code,
        channel,
        applicant_key,
        is_vneid_authenticated,
        submitted_at,
        received_at,
        appointment_at,
        status,
        processing_ended_at,
        returned_at,
        refused_at,
        result_delivery_method,
        online_payment_method,
        has_digitized_components,
        fees,
        supplement_requests,
        result_documents,
        submitted_documents,
        rating,
        updated_at,
        file_date,
        source_file,
        line_number
    from keep_current_versions

)

select * from final
