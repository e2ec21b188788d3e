-- One row per dossier: every attribute of kpis.md "Per dossier", from the current state.
-- The `dossiers` mart publishes it; the figures models count it.
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

deadlines as (

    select * from {{ ref('int_dossiers__deadlines') }}
    where {{ is_changed_dossier('dossier_code') }}

),

fees as (

    select * from {{ ref('int_dossiers__fees') }}
    where {{ is_changed_dossier('dossier_code') }}

),

result_documents as (

    select * from {{ ref('int_dossiers__result_documents') }}
    where {{ is_changed_dossier('dossier_code') }}

),

submitted_documents as (

    select * from {{ ref('int_dossiers__submitted_documents') }}
    where {{ is_changed_dossier('dossier_code') }}

),

procedures as (

    select * from {{ ref('stg_reference__procedures') }}

),

agency_districts as (

    select * from {{ ref('int_units__agency_districts') }}

),

summarise_fees as (

    select
        dossier_code,
        coalesce(sum(fee_vnd), 0) as fee_total_vnd
    from fees
    group by dossier_code

),

summarise_result_documents as (

    select
        dossier_code,
        max(case when is_electronic then 1 else 0 end) = 1 as has_electronic_result
    from result_documents
    group by dossier_code

),

summarise_submitted_documents as (

    select
        dossier_code,
        max(case when is_digitized then 1 else 0 end) = 1 as has_digitized_document,
        max(case when is_reused then 1 else 0 end) = 1 as has_reused_document
    from submitted_documents
    group by dossier_code

),

derive_states as (

    select
        current_versions.*,
        current_versions.status not in {{ codes('status_not_received') }}
            and current_versions.received_at is not null as is_received,
        case
            when current_versions.status in {{ codes('status_ended') }} then current_versions.processing_ended_at
        end as ended_at
    from current_versions

),

join_attributes as (

    select
        derive_states.dossier_code,
        derive_states.procedure_code,
        derive_states.agency_code,
        derive_states.receiving_agency_code,
        -- received_elsewhere_rate (reorganisation.md): the desk that received it is not the
        -- agency that handles it (an unknown desk code counts: it is not MaCoQuan either)
        derive_states.receiving_agency_code <> derive_states.agency_code as is_received_elsewhere,
        derive_states.channel,
        derive_states.status,
        derive_states.is_received,
        derive_states.submitted_at,
        case when derive_states.is_received then derive_states.received_at end as received_at,
        derive_states.ended_at,
        derive_states.returned_at,
        derive_states.refused_at,
        derive_states.result_delivery_method,
        derive_states.rating,
        derive_states.is_vneid_authenticated,
        derive_states.applicant_key,
        deadlines.due_at,
        deadlines.statutory_due_date,
        deadlines.appointment_in_force_at,
        deadlines.is_appointment_inflated,
        deadlines.supplement_count,
        deadlines.paused_working_days,
        coalesce(summarise_fees.fee_total_vnd, 0) as fee_total_vnd,
        coalesce(summarise_fees.fee_total_vnd, 0) > 0 as has_fee,
        coalesce(derive_states.online_payment_method in {{ codes('payment_online') }}, false) as is_paid_online,
        derive_states.has_digitized_components
            or coalesce(summarise_submitted_documents.has_digitized_document, false) as is_digitized,
        coalesce(summarise_submitted_documents.has_reused_document, false) as is_reused,
        coalesce(summarise_result_documents.has_electronic_result, false) as has_electronic_result,
        procedures.field_code,
        procedures.field_name,
        coalesce(procedures.requires_paper_result, false) as requires_paper_result,
        -- The agency's district on the reception date (submission date if never received).
        cast(coalesce(
            case when derive_states.is_received then derive_states.received_at end,
            derive_states.submitted_at
        ) as date) as district_reference_date
    from derive_states
    inner join deadlines
        on deadlines.dossier_code = derive_states.dossier_code
    left join summarise_fees
        on summarise_fees.dossier_code = derive_states.dossier_code
    left join summarise_result_documents
        on summarise_result_documents.dossier_code = derive_states.dossier_code
    left join summarise_submitted_documents
        on summarise_submitted_documents.dossier_code = derive_states.dossier_code
    left join procedures
        on procedures.procedure_code = derive_states.procedure_code

),

locate_districts as (

    -- The dossier's position on its reception date (submission date if never received):
    -- district, tier and province (reorganisation.md "Where a dossier belongs"), fixed then
    -- and used in every period, so a dossier received before 1 July 2025 and still open
    -- after keeps its district.
    select
        join_attributes.*,
        agency_districts.district_code,
        agency_districts.tier_code,
        agency_districts.province_code
    from join_attributes
    left join agency_districts
        on agency_districts.agency_code = join_attributes.agency_code
        and join_attributes.district_reference_date >= agency_districts.valid_from_date
        and (agency_districts.valid_to_date is null
            or join_attributes.district_reference_date <= agency_districts.valid_to_date)

),

count_working_days as (

    select
        locate_districts.*,
        case
            when locate_districts.status in {{ codes('status_processed') }}
                then {{ wd_between('received_day', 'ended_day') }} - locate_districts.paused_working_days
        end as processing_working_days,
        case
            when locate_districts.status = {{ code('status_result_returned') }} and locate_districts.returned_at is not null
                then {{ wd_between('ended_day', 'returned_day') }}
        end as postal_return_working_days
    from locate_districts
    {{ join_calendar('received_day', 'cast(locate_districts.received_at as date)') }}
    {{ join_calendar('ended_day', 'cast(locate_districts.ended_at as date)') }}
    {{ join_calendar('returned_day', 'cast(locate_districts.returned_at as date)') }}

),

classify_timeliness as (

    -- kpis.md "Timeliness of an ended dossier", in this order. A dossier that has not ended
    -- has no timeliness.
    select
        count_working_days.*,
        case
            when ended_at is null then null
            when status = {{ code('status_withdrawn') }} then 'on_time'
            when supplement_count > 1 then 'overdue'
            when ended_at > due_at then 'overdue'
            when cast(ended_at as date) < cast(due_at as date) then 'early'
            else 'on_time'
        end as timeliness
    from count_working_days

),

final as (

    select * from classify_timeliness

)

select * from final
