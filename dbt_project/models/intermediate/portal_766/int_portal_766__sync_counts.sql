-- One row per period (month, quarter, year), level (agency, province) and unit with a
-- loaded synced list: indicator 1.4 = kpis.md's sync_rate_766, whose agency-month numerators
-- and denominators (int_figures__agency_month_sync) are summed to the province (the
-- agency-month's province) and to quarters and years (kpis.md: summed, never averaged). A
-- quarter or year sums the months whose list is loaded.
with

agency_month_sync as (

    select * from {{ ref('int_figures__agency_month_sync') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}
    where period_type in ('month', 'quarter', 'year')

),

months as (

    select * from {{ ref('int_calendar__periods') }}
    where period_type = 'month'

),

place_in_periods as (

    select
        periods.period_type,
        periods.period,
        agency_month_sync.agency_code,
        agency_month_sync.province_code,
        agency_month_sync.numerator,
        agency_month_sync.denominator
    from agency_month_sync
    inner join months
        on months.period = agency_month_sync.period
    inner join periods
        on periods.period_start <= months.period_start
        and periods.period_end >= months.period_start

),

place_in_units as (

    select period_type, period, 'agency' as level, agency_code as unit_code, numerator, denominator
    from place_in_periods
    union all
    select period_type, period, 'province' as level, province_code as unit_code, numerator, denominator
    from place_in_periods
    where province_code is not null

),

sum_units as (

    select
        period_type,
        period,
        level,
        unit_code,
        '1.4' as indicator_code,
        cast(sum(numerator) as bigint) as numerator,
        cast(sum(denominator) as bigint) as denominator
    from place_in_units
    group by period_type, period, level, unit_code

),

final as (

    select * from sum_units
    where denominator > 0

)

select * from final
