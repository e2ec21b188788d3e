-- One row per dossier and period in which the dossier is "to handle" (Biểu 06 col 3):
-- received by the period end and not ended before the period start. Every Biểu 06 column and
-- every dossier-based KPI count is a 0/1 flag here, so the marts only sum.
-- One range join against the small periods table: a dossier meets the few periods of its
-- life (about 4 period types × months open), never a rescan per period.
with

dossiers as (

    select * from {{ ref('int_dossiers__enriched') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

supplement_requests as (

    select * from {{ ref('int_dossiers__supplement_requests') }}

),

match_periods as (

    -- col 3 = received in [S, E] (col 4 + 5) or received before S and not ended before S (col 6):
    -- together, received_at ≤ E and (ended_at null or ≥ S).
    select
        dossiers.dossier_code,
        dossiers.agency_code,
        dossiers.district_code,
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
        periods.period_type,
        periods.period,
        periods.period_start_at,
        periods.period_end_at
    from dossiers
    inner join periods
        on dossiers.received_at <= periods.period_end_at
        and (dossiers.ended_at is null or dossiers.ended_at >= periods.period_start_at)
    where dossiers.is_received

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
        dossier_code,
        agency_code,
        district_code,
        field_code,
        field_name,
        -- Biểu 06
        case when is_received_in_period and channel = 2 then 1 else 0 end as received_online,
        case when is_received_in_period and channel in (1, 3) then 1 else 0 end as received_in_person_postal,
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
            when is_received_in_period and channel = 2
                and not (requires_paper_result and status in (9, 10) and not has_electronic_result)
                then 1 else 0
        end as online_counted,
        case when is_received_in_period and has_fee then 1 else 0 end as received_with_fee,
        case when is_received_in_period and has_fee and is_paid_online then 1 else 0 end as paid_online,
        case when is_received_in_period and channel in (1, 2, 3) and is_digitized then 1 else 0 end as digitized,
        case when is_received_in_period and channel in (1, 2, 3) and is_reused then 1 else 0 end as reused,
        case when is_received_in_period and channel in (1, 2, 3) and supplement_count >= 1 then 1 else 0 end as supplemented,
        case when is_received_in_period and channel in (1, 2, 3) and is_appointment_inflated then 1 else 0 end as appointment_inflated,
        case when is_received_in_period and channel = 2 and is_vneid_authenticated then 1 else 0 end as online_vneid_authenticated,
        case when is_resolved and status in (9, 10) and requires_paper_result then 1 else 0 end as resolved_paper_result,
        case
            when is_resolved and status in (9, 10) and requires_paper_result and has_electronic_result
                then 1 else 0
        end as resolved_electronic_result,
        -- Decision (spec silent): an unrated dossier (DanhGia null) is not dissatisfied.
        case
            when is_resolved and timeliness <> 'overdue' and coalesce(rating, 0) <> -1 then 1 else 0
        end as resolved_satisfied,
        case when is_resolved and status in (9, 10) then 1 else 0 end as resolved_processed,
        case when is_resolved and status in (9, 10) then processing_working_days else 0 end as processing_working_days
    from flag_states

),

final as (

    select * from count_flags

)

select * from final
