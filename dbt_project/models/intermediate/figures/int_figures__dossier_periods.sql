-- One row per dossier and MONTH or ISO WEEK in which the dossier is "to handle" (Biểu 06
-- col 3): received by the period end and not ended before the period start. Every Biểu 06
-- column and every dossier-based KPI count is a 0/1 flag here, so the marts only sum.
-- Quarters, halves and years are summed from these months by
-- int_figures__unit_period_counts (flows add up; carried_over is the first month's, the
-- in-progress stocks the last month's), so a dossier has a row per month and per week it
-- stays open, not per period of every type. Weeks do not nest in months and are computed
-- directly: a dossier open d days has about 1 + d/7 week rows (most end within 2 weeks).
-- One range join against the small months table, never a rescan per month.
{{ config(
    materialized=per_dossier_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_dossier_periods() }}",
) }}
-- Incremental on DuckDB (macros/incremental_dossiers.sql): a night recomputes the rows of
-- the changed dossiers (every month) and of the months whose bounds moved (the month holding
-- data_through ends on it), for every dossier.
-- depends_on: {{ ref('int_dossiers__changed') }}
{%- set increment = dossier_increment_active() %}
{%- set matched_columns %}
        dossiers.dossier_code,
        dossiers.agency_code,
        dossiers.district_code,
        dossiers.tier_code,
        dossiers.province_code,
        dossiers.field_code,
        dossiers.field_name,
        dossiers.channel,
        dossiers.status,
        dossiers.received_at,
        dossiers.ended_at,
        dossiers.due_at,
        dossiers.timeliness,
        dossiers.rating,
        dossiers.supplement_count,
        dossiers.has_fee,
        dossiers.is_paid_online,
        dossiers.is_digitized,
        dossiers.is_reused,
        dossiers.has_electronic_result,
        dossiers.requires_paper_result,
        dossiers.is_vneid_authenticated,
        dossiers.is_appointment_inflated,
        dossiers.processing_working_days,
        dossiers.is_received_elsewhere,
        periods.period_type,
        periods.period,
        periods.period_start_at,
        periods.period_end_at
{%- endset %}
{%- set in_period_to_handle %}
        dossiers.received_at <= periods.period_end_at
        and (dossiers.ended_at is null or dossiers.ended_at >= periods.period_start_at)
{%- endset %}
with

dossiers as (

    select * from {{ ref('int_dossiers__enriched') }}

),

periods as (

    -- weeks do not nest in months, so a week's flags are computed here like a month's
    select * from {{ ref('int_calendar__periods') }}
    where period_type in ('month', 'week')

),

supplement_requests as (

    select * from {{ ref('int_dossiers__supplement_requests') }}

),
{%- if increment %}

changed_dossiers as (

    select dossier_code from {{ ref('int_dossiers__changed') }}

),

kept_periods as (

    -- the periods still holding rows after the pre-hook (same bounds as now)
    select distinct period_type, period, period_start_at, period_end_at
    from {{ this }}

),

moved_periods as (

    select periods.*
    from periods
    where not exists (
        select 1
        from kept_periods
        where kept_periods.period_type = periods.period_type
            and kept_periods.period = periods.period
            and kept_periods.period_start_at = periods.period_start_at
            and kept_periods.period_end_at = periods.period_end_at
    )

),
{%- endif %}

match_periods as (

    -- col 3 = received in [S, E] (col 4 + 5) or received before S and not ended before S (col 6):
    -- together, received_at ≤ E and (ended_at null or ≥ S).
    select {{ matched_columns }}
    from dossiers
    inner join periods
        on {{ in_period_to_handle }}
    where dossiers.is_received
    {%- if increment %}
        and dossiers.dossier_code in (select dossier_code from changed_dossiers)
    union all
    select {{ matched_columns }}
    from dossiers
    inner join moved_periods as periods
        on {{ in_period_to_handle }}
    where dossiers.is_received
        and dossiers.dossier_code not in (select dossier_code from changed_dossiers)
    {%- endif %}

),

find_waiting_supplements as (

    -- waiting_supplement_at(E): a request made by E and not answered by E. Only needed for
    -- dossiers in progress at E whose due_at is before E.
    select distinct
        match_periods.dossier_code,
        match_periods.period_type,
        match_periods.period
    from match_periods
    inner join supplement_requests
        on supplement_requests.dossier_code = match_periods.dossier_code
        and supplement_requests.requested_at <= match_periods.period_end_at
        and (supplement_requests.supplement_received_at is null
            or supplement_requests.supplement_received_at > match_periods.period_end_at)
    where (match_periods.ended_at is null or match_periods.ended_at > match_periods.period_end_at)
        and not coalesce(match_periods.due_at >= match_periods.period_end_at, false)

),

flag_states as (

    select
        match_periods.*,
        match_periods.received_at >= match_periods.period_start_at as is_received_in_period,
        match_periods.ended_at is not null
            and match_periods.ended_at <= match_periods.period_end_at as is_resolved,
        coalesce(match_periods.due_at >= match_periods.period_end_at, false)
            or find_waiting_supplements.dossier_code is not null as is_within_deadline_at_end
    from match_periods
    left join find_waiting_supplements
        on find_waiting_supplements.dossier_code = match_periods.dossier_code
        and find_waiting_supplements.period_type = match_periods.period_type
        and find_waiting_supplements.period = match_periods.period

),

count_flags as (

    select
        period_type,
        period,
        -- the bounds the flags were computed with: a nightly increment recomputes the
        -- periods whose bounds have moved since
        period_start_at,
        period_end_at,
        dossier_code,
        agency_code,
        district_code,
        tier_code,
        province_code,
        field_code,
        field_name,
        -- Biểu 06
        case when is_received_in_period and channel = {{ code('channel_online') }} then 1 else 0 end as received_online,
        case when is_received_in_period and channel in {{ codes('channel_in_person_postal') }} then 1 else 0 end as received_in_person_postal,
        case when not is_received_in_period then 1 else 0 end as carried_over,
        1 as total,
        case when is_resolved then 1 else 0 end as resolved,
        case when is_resolved and timeliness = 'early' then 1 else 0 end as resolved_early,
        case when is_resolved and timeliness = 'on_time' then 1 else 0 end as resolved_on_time,
        case when is_resolved and timeliness = 'overdue' then 1 else 0 end as resolved_overdue,
        case when not is_resolved then 1 else 0 end as in_progress,
        case when not is_resolved and is_within_deadline_at_end then 1 else 0 end as in_progress_within_deadline,
        case when not is_resolved and not is_within_deadline_at_end then 1 else 0 end as in_progress_overdue,
        -- KPI numerators and denominators beyond the form's columns
        case
            when is_received_in_period and channel = {{ code('channel_online') }}
                and not (requires_paper_result and status in {{ codes('status_processed') }} and not has_electronic_result)
                then 1 else 0
        end as online_counted,
        case when is_received_in_period and has_fee then 1 else 0 end as received_with_fee,
        case when is_received_in_period and has_fee and is_paid_online then 1 else 0 end as paid_online,
        case when is_received_in_period and channel in {{ codes('channel_all') }} and is_digitized then 1 else 0 end as digitized,
        case when is_received_in_period and channel in {{ codes('channel_all') }} and is_reused then 1 else 0 end as reused,
        case when is_received_in_period and channel in {{ codes('channel_all') }} and supplement_count >= 1 then 1 else 0 end as supplemented,
        case when is_received_in_period and channel in {{ codes('channel_all') }} and is_appointment_inflated then 1 else 0 end as appointment_inflated,
        case when is_received_in_period and channel = {{ code('channel_online') }} and is_vneid_authenticated then 1 else 0 end as online_vneid_authenticated,
        case when is_resolved and status in {{ codes('status_processed') }} and requires_paper_result then 1 else 0 end as resolved_paper_result,
        case
            when is_resolved and status in {{ codes('status_processed') }} and requires_paper_result and has_electronic_result
                then 1 else 0
        end as resolved_electronic_result,
        -- Decision (spec silent): an unrated dossier (DanhGia null) is not dissatisfied.
        case
            when is_resolved and timeliness <> 'overdue' and coalesce(rating, 0) <> {{ code('rating_dissatisfied') }} then 1 else 0
        end as resolved_satisfied,
        case when is_resolved and status in {{ codes('status_processed') }} then 1 else 0 end as resolved_processed,
        case when is_resolved and status in {{ codes('status_processed') }} then processing_working_days else 0 end as processing_working_days,
        -- received_elsewhere_rate (reorganisation.md): of col 4 + col 5, received at a desk
        -- other than the handling agency
        case when is_received_in_period and channel in {{ codes('channel_all') }} and is_received_elsewhere then 1 else 0 end as received_elsewhere
    from flag_states

),

final as (

    select * from count_flags

)

select * from final
