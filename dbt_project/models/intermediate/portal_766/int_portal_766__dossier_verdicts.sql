-- One row per dossier and period (month, quarter, year) in which the dossier is in the
-- denominator of the portal's indicator 2.1 (Biểu 06 column 3: received by the period's end
-- and not ended before its start): every per-dossier rule of portal_766.md "Per dossier, the
-- portal's view", so that the indicators only count flags and the unit tests test the rules
-- here. The 2.1 verdict is taken at E, the period's end (data_through's end for the period
-- that holds it), so a dossier has a verdict per period it is open in; the flags of 3.3, 3.6,
-- 3.7, 4.1–4.5 hold for the period in which it was received only (is_received_in_period).
{%- set supplement_seconds = seconds_between(
    'supplement_requests.requested_at', 'supplement_requests.supplement_received_at') %}
with

dossiers as (

    select * from {{ ref('int_dossiers__enriched') }}
    where is_received

),

current_versions as (

    -- NgayHenTra of the current state: the portal ignores NgayHenTraMoi (portal_766.md)
    select dossier_code, appointment_at from {{ ref('int_dossiers__current_versions') }}

),

supplement_requests as (

    select * from {{ ref('int_dossiers__supplement_requests') }}

),

fees as (

    select * from {{ ref('int_dossiers__fees') }}

),

result_documents as (

    select * from {{ ref('int_dossiers__result_documents') }}

),

submitted_documents as (

    select * from {{ ref('int_dossiers__submitted_documents') }}

),

procedures as (

    select * from {{ ref('stg_reference__procedures') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}
    where period_type in ('month', 'quarter', 'year')

),

summarise_fees as (

    -- 3.6 leaves out a non-empty fee list whose every Gia is 0 (a missing Gia counts as 0);
    -- 3.7 counts a list with an amount above 0.
    select
        dossier_code,
        count(*) as fee_entry_count,
        sum(case when coalesce(fee_vnd, 0) <> 0 then 1 else 0 end) as nonzero_fee_count,
        sum(case when coalesce(fee_vnd, 0) > 0 then 1 else 0 end) as positive_fee_count
    from fees
    group by dossier_code

),

summarise_results as (

    -- The portal's electronic result needs the document's code as well as its file link
    -- (kpis.md's electronic result needs the link only).
    select
        dossier_code,
        max(case
            when trim(coalesce(result_document_code, '')) <> ''
                and trim(coalesce(result_file_link, '')) <> ''
                then 1 else 0
        end) = 1 as has_portal_e_result
    from result_documents
    group by dossier_code

),

summarise_documents as (

    select
        dossier_code,
        max(case when is_from_national_repository then 1 else 0 end) = 1 as uses_document_store
    from submitted_documents
    group by dossier_code

),

summarise_answered_supplements as (

    -- answered_supplement_time(ended_at): requests made and answered by the end of
    -- processing. Decision (spec silent): an answer dated before its request counts 0 s.
    select
        dossiers.dossier_code,
        sum(greatest(0, {{ supplement_seconds }})) as answered_seconds_at_ended
    from dossiers
    inner join supplement_requests
        on supplement_requests.dossier_code = dossiers.dossier_code
        and supplement_requests.requested_at <= dossiers.ended_at
        and supplement_requests.supplement_received_at <= dossiers.ended_at
    group by dossiers.dossier_code

),

compute_portal_due_dates as (

    -- portal_due_at: NgayHenTra; when null, the end of wd_add(date(received_at), n) for
    -- ngay_lam_viec, of the first working day on or after date(received_at) + n for ngay,
    -- with no pause added (the portal subtracts the supplement time from the end instead).
    -- Decision (as int_dossiers__deadlines): n ≤ 0 working days is the reception date itself.
    select
        dossiers.dossier_code,
        dossiers.agency_code,
        dossiers.province_code,
        dossiers.procedure_code,
        dossiers.channel,
        dossiers.status,
        dossiers.received_at,
        dossiers.ended_at,
        dossiers.rating,
        dossiers.is_paid_online,
        dossiers.is_digitized,
        dossiers.is_reused,
        dossiers.is_vneid_authenticated,
        coalesce(procedures.requires_paper_result, false) as requires_paper_result,
        coalesce(procedures.has_fee, false) as procedure_has_fee,
        coalesce(
            current_versions.appointment_at,
            case
                when procedures.time_limit_unit = 'ngay_lam_viec' and procedures.time_limit <= 0
                    then {{ end_of_day('received_day.calendar_date') }}
                when procedures.time_limit_unit = 'ngay_lam_viec'
                    then {{ end_of_day('working_day_due.calendar_date') }}
                when procedures.time_limit_unit = 'ngay'
                    then {{ end_of_day('calendar_day_due.calendar_date') }}
            end
        ) as portal_due_at
    from dossiers
    left join current_versions
        on current_versions.dossier_code = dossiers.dossier_code
    left join procedures
        on procedures.procedure_code = dossiers.procedure_code
    {{ join_calendar('received_day', 'cast(dossiers.received_at as date)') }}
    {{ join_wd_add('working_day_due', 'received_day', 'procedures.time_limit') }}
    {{ join_calendar('calendar_target_day',
        add_days('cast(dossiers.received_at as date)', 'procedures.time_limit')) }}
    {{ join_first_working_day_on_or_after('calendar_day_due', 'calendar_target_day') }}

),

flag_dossiers as (

    select
        compute_portal_due_dates.*,
        coalesce(summarise_results.has_portal_e_result, false) as has_portal_e_result,
        coalesce(summarise_documents.uses_document_store, false) as uses_document_store,
        coalesce(summarise_fees.fee_entry_count, 0) > 0
            and coalesce(summarise_fees.nonzero_fee_count, 0) = 0 as has_only_zero_fees,
        coalesce(summarise_fees.positive_fee_count, 0) > 0 as has_fee_amount,
        coalesce(summarise_answered_supplements.answered_seconds_at_ended, 0) as answered_seconds_at_ended
    from compute_portal_due_dates
    left join summarise_fees
        on summarise_fees.dossier_code = compute_portal_due_dates.dossier_code
    left join summarise_results
        on summarise_results.dossier_code = compute_portal_due_dates.dossier_code
    left join summarise_documents
        on summarise_documents.dossier_code = compute_portal_due_dates.dossier_code
    left join summarise_answered_supplements
        on summarise_answered_supplements.dossier_code = compute_portal_due_dates.dossier_code

),

match_periods as (

    -- Biểu 06 column 3: received_at ≤ E and (ended_at null or ≥ S).
    select
        periods.period_type,
        periods.period,
        periods.period_start,
        periods.period_end,
        periods.period_start_at,
        periods.period_end_at,
        flag_dossiers.*
    from flag_dossiers
    inner join periods
        on flag_dossiers.received_at <= periods.period_end_at
        and (flag_dossiers.ended_at is null or flag_dossiers.ended_at >= periods.period_start_at)

),

summarise_supplements_at_end as (

    -- At E: the requests made by E (rule 1 counts them; rule 3 needs the one request and
    -- whether it is answered by E) and answered_supplement_time(E) for rule 4.
    select
        match_periods.dossier_code,
        match_periods.period_type,
        match_periods.period,
        count(*) as requests_by_end,
        min(supplement_requests.requested_at) as first_requested_at,
        sum(case
            when supplement_requests.supplement_received_at is null
                or supplement_requests.supplement_received_at > match_periods.period_end_at
                then 1 else 0
        end) as unanswered_at_end,
        sum(case
            when supplement_requests.supplement_received_at <= match_periods.period_end_at
                then greatest(0, {{ supplement_seconds }})
            else 0
        end) as answered_seconds_at_end
    from match_periods
    inner join supplement_requests
        on supplement_requests.dossier_code = match_periods.dossier_code
        and supplement_requests.requested_at <= match_periods.period_end_at
    group by match_periods.dossier_code, match_periods.period_type, match_periods.period

),

judge_progress as (

    -- portal_766.md 2.1, in this order. "On time" compares in whole seconds:
    -- t − answered ≤ due ⟺ seconds from due to t ≤ answered. A dossier without a
    -- portal_due_at (no NgayHenTra, procedure unknown to tthc.csv) is late (decision).
    select
        match_periods.*,
        match_periods.received_at >= match_periods.period_start_at as is_received_in_period,
        coalesce(summarise_supplements_at_end.requests_by_end, 0) as requests_by_end,
        case
            when coalesce(summarise_supplements_at_end.requests_by_end, 0) > 1
                then 'more_than_one_supplement'
            when match_periods.ended_at is not null and match_periods.ended_at <= match_periods.period_end_at
                then case
                    when {{ seconds_between('match_periods.portal_due_at', 'match_periods.ended_at') }}
                        <= match_periods.answered_seconds_at_ended
                        then 'ended_on_time'
                    else 'ended_late'
                end
            when summarise_supplements_at_end.requests_by_end = 1
                and summarise_supplements_at_end.unanswered_at_end = 1
                then case
                    when summarise_supplements_at_end.first_requested_at <= match_periods.portal_due_at
                        then 'waiting_supplement_on_time'
                    else 'waiting_supplement_late'
                end
            when {{ seconds_between('match_periods.portal_due_at', 'match_periods.period_end_at') }}
                <= coalesce(summarise_supplements_at_end.answered_seconds_at_end, 0)
                then 'open_within_due'
            else 'open_past_due'
        end as reason
    from match_periods
    left join summarise_supplements_at_end
        on summarise_supplements_at_end.dossier_code = match_periods.dossier_code
        and summarise_supplements_at_end.period_type = match_periods.period_type
        and summarise_supplements_at_end.period = match_periods.period

),

flag_indicators as (

    select
        period_type,
        period,
        period_start,
        period_end,
        dossier_code,
        agency_code,
        province_code,
        procedure_code,
        channel,
        status,
        received_at,
        ended_at,
        portal_due_at,
        requests_by_end,
        is_received_in_period,
        -- 2.1
        reason,
        reason in ('ended_on_time', 'waiting_supplement_on_time', 'open_within_due') as is_on_time,
        -- 5.4: overdue in 2.1, or not overdue and rated dissatisfied (the current rating)
        reason not in ('ended_on_time', 'waiting_supplement_on_time', 'open_within_due')
            or coalesce(rating = {{ code('rating_dissatisfied') }}, false) as is_satisfaction_lost,
        -- received online (3.2); 3.3's numerator: online, and a paper-free procedure or the
        -- portal's electronic result, whatever the status
        is_received_in_period and channel = {{ code('channel_online') }} as is_received_online,
        is_received_in_period and channel = {{ code('channel_online') }}
            and (not requires_paper_result or has_portal_e_result) as is_online_counted,
        -- 3.6: fee-charging procedure (co_phi = 1) less an all-zero fee list; paid online
        is_received_in_period and procedure_has_fee and not has_only_zero_fees as is_fee_counted,
        is_received_in_period and procedure_has_fee and not has_only_zero_fees
            and is_paid_online as is_paid_online_counted,
        -- 3.5 and 3.7 (procedure level): paid online; a fee amount above 0
        is_received_in_period and is_paid_online as is_paid_online_received,
        is_received_in_period and has_fee_amount as has_fee_amount,
        -- 4.1: of the paper-result procedures, with the portal's electronic result
        is_received_in_period and requires_paper_result as is_paper_result_received,
        is_received_in_period and requires_paper_result and has_portal_e_result as has_e_result_counted,
        -- 4.2 to 4.5
        is_received_in_period and is_digitized
            and (not requires_paper_result or has_portal_e_result) as is_digitized_counted,
        is_received_in_period and is_reused as is_reused_counted,
        is_received_in_period and uses_document_store as uses_document_store_counted,
        is_received_in_period and (is_vneid_authenticated or uses_document_store)
            as uses_population_data_counted
    from judge_progress

),

final as (

    select * from flag_indicators

)

select * from final
