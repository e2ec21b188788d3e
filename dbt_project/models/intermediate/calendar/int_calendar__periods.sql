-- One row per reporting period (ISO week, month, quarter, half, year) from the first week or
-- month with a reception to the one of data_through (kpis.md "Calendar"). period_end is the
-- period's last day, or data_through for the period that contains it; period_end_at is the
-- end (23:59:59) of that day, the E of every rule.
with

days as (

    select * from {{ ref('int_calendar__days') }}

),

dossier_versions as (

    select * from {{ ref('stg_dossier_system__dossier_versions') }}

),

current_versions as (

    select * from {{ ref('int_dossiers__current_versions') }}

),

find_data_through as (

    select max(file_date) as data_through_date
    from dossier_versions

),

find_first_reception as (

    -- "received" as kpis.md defines it, on the current state.
    select min(cast(received_at as date)) as first_reception_date
    from current_versions
    where status not in {{ codes('status_not_received') }} and received_at is not null

),

label_days as (

    select
        days.calendar_date,
        cast(extract(year from days.calendar_date) as integer) as year_number,
        cast(extract(month from days.calendar_date) as integer) as month_number
    from days
    cross join find_data_through
    cross join find_first_reception
    where days.calendar_date <= find_data_through.data_through_date
        and extract(year from days.calendar_date) >= extract(year from find_first_reception.first_reception_date)

),

label_week_days as (

    -- from 6 days before the first reception, so that its week starts on its Monday (a week
    -- may begin in the year before)
    select
        days.calendar_date,
        'week' as period_type,
        {{ iso_week_label('days.calendar_date') }} as period
    from days
    cross join find_data_through
    cross join find_first_reception
    where days.calendar_date <= find_data_through.data_through_date
        and days.calendar_date >= {{ add_days('find_first_reception.first_reception_date', -6) }}

),

label_periods as (

    select
        calendar_date,
        'month' as period_type,
        cast(year_number as {{ dbt.type_string() }}) || '-' || lpad(cast(month_number as {{ dbt.type_string() }}), 2, '0') as period
    from label_days
    union all
    select
        calendar_date,
        'quarter' as period_type,
        cast(year_number as {{ dbt.type_string() }}) || '-Q' || cast(cast(floor((month_number - 1) / 3.0) as integer) + 1 as {{ dbt.type_string() }}) as period
    from label_days
    union all
    select
        calendar_date,
        'half' as period_type,
        cast(year_number as {{ dbt.type_string() }}) || '-H' || case when month_number <= 6 then '1' else '2' end as period
    from label_days
    union all
    select
        calendar_date,
        'year' as period_type,
        cast(year_number as {{ dbt.type_string() }}) as period
    from label_days
    union all
    select calendar_date, period_type, period
    from label_week_days

),

bound_periods as (

    select
        period_type,
        period,
        min(calendar_date) as period_start,
        max(calendar_date) as period_end
    from label_periods
    group by period_type, period

),

keep_periods_with_data as (

    -- Periods ending before the first reception's month (week) have no data.
    select
        bound_periods.period_type,
        bound_periods.period,
        bound_periods.period_start,
        bound_periods.period_end,
        cast(bound_periods.period_start as timestamp) as period_start_at,
        {{ end_of_day('bound_periods.period_end') }} as period_end_at
    from bound_periods
    cross join find_first_reception
    where bound_periods.period_end >= case
        when bound_periods.period_type = 'week' then find_first_reception.first_reception_date
        else {{ dbt.date_trunc('month', 'find_first_reception.first_reception_date') }}
    end

),

final as (

    select * from keep_periods_with_data

)

select * from final
