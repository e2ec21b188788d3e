-- One row per dossier: its supplement summary, the effective appointment (due_at), the
-- statutory due date and whether the appointment is later than the law allows (kpis.md
-- "Per dossier").
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

supplement_requests as (

    select * from {{ ref('int_dossiers__supplement_requests') }}
    where {{ is_changed_dossier('dossier_code') }}

),

procedures as (

    select * from {{ ref('stg_reference__procedures') }}

),

summarise_supplements as (

    -- Paused days count answered requests only. Decision (spec silent): a request answered
    -- before it was made pauses nothing (wd_between gives 0; calendar days floored at 0).
    select
        supplement_requests.dossier_code,
        count(*) as supplement_count,
        coalesce(sum(
            case
                when supplement_requests.supplement_received_at is not null
                    then {{ wd_between('requested_day', 'answered_day') }}
            end
        ), 0) as paused_working_days,
        coalesce(sum(
            case
                when supplement_requests.supplement_received_at is not null
                    then greatest(0, {{ dbt.datediff('requested_day.calendar_date', 'answered_day.calendar_date', 'day') }})
            end
        ), 0) as paused_calendar_days
    from supplement_requests
    {{ join_calendar('requested_day', 'cast(supplement_requests.requested_at as date)') }}
    {{ join_calendar('answered_day', 'cast(supplement_requests.supplement_received_at as date)') }}
    group by supplement_requests.dossier_code

),

rank_new_appointments as (

    -- The latest request (by requested_at) that carries a new appointment; on equal
    -- requested_at (spec silent) the later list element wins.
    select
        dossier_code,
        new_appointment_at,
        row_number() over (
            partition by dossier_code
            order by requested_at desc, element_position desc
        ) as appointment_rank
    from supplement_requests
    where new_appointment_at is not null

),

pick_latest_new_appointments as (

    select
        dossier_code,
        new_appointment_at
    from rank_new_appointments
    where appointment_rank = 1

),

prepare_deadline_inputs as (

    select
        current_versions.dossier_code,
        current_versions.appointment_at,
        cast(current_versions.received_at as date) as received_date,
        procedures.time_limit,
        procedures.time_limit_unit,
        coalesce(summarise_supplements.supplement_count, 0) as supplement_count,
        coalesce(summarise_supplements.paused_working_days, 0) as paused_working_days,
        coalesce(summarise_supplements.paused_calendar_days, 0) as paused_calendar_days,
        pick_latest_new_appointments.new_appointment_at
    from current_versions
    left join procedures
        on procedures.procedure_code = current_versions.procedure_code
    left join summarise_supplements
        on summarise_supplements.dossier_code = current_versions.dossier_code
    left join pick_latest_new_appointments
        on pick_latest_new_appointments.dossier_code = current_versions.dossier_code

),

compute_statutory_due_dates as (

    -- ngay_lam_viec: wd_add(r, n + p). ngay: the first working day on or after r + n + p.
    -- Decision (spec silent): with n + p = 0 working days the due date is r itself.
    select
        prepare_deadline_inputs.*,
        case
            when prepare_deadline_inputs.time_limit_unit = 'ngay_lam_viec'
                and prepare_deadline_inputs.time_limit + prepare_deadline_inputs.paused_working_days <= 0
                then prepare_deadline_inputs.received_date
            when prepare_deadline_inputs.time_limit_unit = 'ngay_lam_viec'
                then working_day_due.calendar_date
            when prepare_deadline_inputs.time_limit_unit = 'ngay'
                then calendar_day_due.calendar_date
        end as statutory_due_date
    from prepare_deadline_inputs
    {{ join_calendar('received_day', 'prepare_deadline_inputs.received_date') }}
    {{ join_wd_add('working_day_due', 'received_day',
        'prepare_deadline_inputs.time_limit + prepare_deadline_inputs.paused_working_days') }}
    {{ join_calendar('calendar_target_day', add_days('prepare_deadline_inputs.received_date',
        'prepare_deadline_inputs.time_limit + prepare_deadline_inputs.paused_calendar_days')) }}
    {{ join_first_working_day_on_or_after('calendar_day_due', 'calendar_target_day') }}

),

derive_due_at as (

    select
        dossier_code,
        supplement_count,
        paused_working_days,
        statutory_due_date,
        coalesce(new_appointment_at, appointment_at) as appointment_in_force_at,
        coalesce(new_appointment_at, appointment_at, {{ end_of_day('statutory_due_date') }}) as due_at,
        -- false when neither appointment exists; also false (spec silent) when there is no
        -- statutory due date (never received, or unknown procedure unit).
        coalesce(
            cast(coalesce(new_appointment_at, appointment_at) as date) > statutory_due_date,
            false
        ) as is_appointment_inflated
    from compute_statutory_due_dates

),

final as (

    select * from derive_due_at

)

select * from final
