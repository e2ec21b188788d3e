-- One row per agency and month whose synced-dossier list is loaded: sync_rate_766's
-- numerator (received in the month and in the month's list) and denominator
-- (max(received in the month, the list's rows for the agency)), with the position the
-- agency-month rolls up to (kpis.md: the agency's district on the first day of the month on
-- which the agency is valid; its tier and province on that day likewise).
with

dossiers as (

    select * from {{ ref('int_dossiers__enriched') }}

),

synced_dossiers as (

    select * from {{ ref('stg_dvc_portal__synced_dossiers') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

agency_districts as (

    select * from {{ ref('int_units__agency_districts') }}

),

list_loaded_months as (

    select distinct
        periods.period,
        periods.period_start,
        periods.period_end,
        periods.period_start_at,
        periods.period_end_at
    from periods
    inner join synced_dossiers
        on synced_dossiers.report_month = periods.period
    where periods.period_type = 'month'

),

list_distinct_synced_dossiers as (

    select distinct
        report_month,
        dossier_code
    from synced_dossiers

),

count_received as (

    select
        list_loaded_months.period,
        dossiers.agency_code,
        count(*) as received_count,
        sum(case when list_distinct_synced_dossiers.dossier_code is not null then 1 else 0 end) as synced_received_count
    from dossiers
    inner join list_loaded_months
        on dossiers.received_at >= list_loaded_months.period_start_at
        and dossiers.received_at <= list_loaded_months.period_end_at
    left join list_distinct_synced_dossiers
        on list_distinct_synced_dossiers.report_month = list_loaded_months.period
        and list_distinct_synced_dossiers.dossier_code = dossiers.dossier_code
    where dossiers.is_received
    group by list_loaded_months.period, dossiers.agency_code

),

count_list_rows as (

    select
        report_month as period,
        agency_code,
        count(*) as list_row_count
    from synced_dossiers
    group by report_month, agency_code

),

combine_counts as (

    select
        coalesce(count_received.period, count_list_rows.period) as period,
        coalesce(count_received.agency_code, count_list_rows.agency_code) as agency_code,
        coalesce(count_received.synced_received_count, 0) as numerator,
        greatest(
            coalesce(count_received.received_count, 0),
            coalesce(count_list_rows.list_row_count, 0)
        ) as denominator
    from count_received
    full outer join count_list_rows
        on count_list_rows.period = count_received.period
        and count_list_rows.agency_code = count_received.agency_code

),

rank_district_days as (

    -- The agency's first valid day in the month; when it is valid on no day of the month
    -- (decision, spec silent), its district on the month's first day.
    select
        combine_counts.period,
        combine_counts.agency_code,
        agency_districts.district_code,
        agency_districts.tier_code,
        agency_districts.province_code,
        row_number() over (
            partition by combine_counts.period, combine_counts.agency_code
            order by
                case when agency_districts.is_valid then 0 else 1 end,
                agency_districts.valid_from_date
        ) as district_rank
    from combine_counts
    inner join list_loaded_months
        on list_loaded_months.period = combine_counts.period
    inner join agency_districts
        on agency_districts.agency_code = combine_counts.agency_code
        and agency_districts.valid_from_date <= list_loaded_months.period_end
        and (agency_districts.valid_to_date is null
            or agency_districts.valid_to_date >= list_loaded_months.period_start)

),

final as (

    select
        combine_counts.period,
        combine_counts.agency_code,
        rank_district_days.district_code,
        rank_district_days.tier_code,
        rank_district_days.province_code,
        cast(combine_counts.numerator as bigint) as numerator,
        cast(combine_counts.denominator as bigint) as denominator
    from combine_counts
    left join rank_district_days
        on rank_district_days.period = combine_counts.period
        and rank_district_days.agency_code = combine_counts.agency_code
        and rank_district_days.district_rank = 1

)

select * from final
