-- One row per period and reporting unit with the name the Biểu 06 marts show in that period.
-- The province: its dvhc.csv name valid at the period's end (reorganisation.md: "a code kept
-- across a change is one unit, named in every report by its name valid at the end of the
-- period"; code 24 is Tỉnh Bắc Giang until 30/6/2025 and Tỉnh Bắc Ninh from 1/7/2025): the row
-- whose validity covers period_end, else the row that ended last before it; a period that ends
-- before the code's first row keeps its latest name. Agencies and districts: their latest
-- name (int_units__report_units).
with

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

report_units as (

    select * from {{ ref('int_units__report_units') }}

),

admin_units as (

    select * from {{ ref('stg_reference__admin_units') }}

),

rank_province_rows as (

    select
        periods.period_type,
        periods.period,
        admin_units.admin_unit_code,
        admin_units.admin_unit_name,
        row_number() over (
            partition by periods.period_type, periods.period, admin_units.admin_unit_code
            order by
                case
                    when admin_units.valid_to_date is null
                        or admin_units.valid_to_date >= periods.period_end
                        then 0
                    else 1
                end,
                admin_units.valid_from_date desc
        ) as row_rank
    from periods
    inner join admin_units
        on admin_units.admin_unit_level = 'tinh'
        and admin_units.valid_from_date <= periods.period_end

),

name_units as (

    select
        periods.period_type,
        periods.period,
        report_units.level,
        report_units.unit_code,
        coalesce(rank_province_rows.admin_unit_name, report_units.unit_name) as unit_name
    from periods
    cross join report_units
    left join rank_province_rows
        on report_units.level = 'province'
        and rank_province_rows.admin_unit_code = report_units.unit_code
        and rank_province_rows.period_type = periods.period_type
        and rank_province_rows.period = periods.period
        and rank_province_rows.row_rank = 1

),

final as (

    select * from name_units

)

select * from final
