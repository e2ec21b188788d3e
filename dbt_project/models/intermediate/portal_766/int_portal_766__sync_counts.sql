-- One row per period (month, quarter, year), level (agency, province) and unit with a
-- loaded synced list: indicator 1.4 = kpis.md's sync_rate_766, whose agency-month numerators
-- and denominators (int_figures__agency_month_sync) are summed to the province (the
-- agency-month's province) and to quarters and years (kpis.md: summed, never averaged). A
-- quarter or year sums the months whose list is loaded.
-- Agencies: an agency-month's terms go to the agency the portal counts its dossiers under at
-- the period's end (int_portal_766__period_agencies), as the dossiers of
-- int_portal_766__dossier_counts do, so that 3.3's sync factor covers the same dossiers as
-- its rate: the terms of an agency that ended before the period's end are its successor's
-- (e.g. a district office's first-half months in the year 2025). Provinces: unchanged.
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

period_agencies as (

    select * from {{ ref('int_portal_766__period_agencies') }}

),

place_in_periods as (

    select
        periods.period_type,
        periods.period,
        -- a code unknown to don_vi.csv has no row there: it stays as delivered
        coalesce(period_agencies.portal_agency_code, agency_month_sync.agency_code) as agency_code,
        agency_month_sync.province_code,
        agency_month_sync.numerator,
        agency_month_sync.denominator
    from agency_month_sync
    inner join months
        on months.period = agency_month_sync.period
    inner join periods
        on periods.period_start <= months.period_start
        and periods.period_end >= months.period_start
    left join period_agencies
        on period_agencies.period_type = periods.period_type
        and period_agencies.period = periods.period
        and period_agencies.agency_code = agency_month_sync.agency_code

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
