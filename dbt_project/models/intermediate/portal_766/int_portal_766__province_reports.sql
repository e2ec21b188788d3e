-- One row per monthly 766 report with a Tổng cộng row: the province's published scores and
-- the province they belong to (portal_766.md: the Tổng cộng row holds the PROVINCE's scores,
-- not a sum). The report names no province code, so the province is the warehouse's at the
-- month: the province (dvhc chain, int_units__agency_districts) of the agencies in force on
-- the month's last day (period_end). A landing zone holds one province's system
-- (reorganisation.md), so that is one code; were it none or several, the scores would belong
-- to no province row (province_code null: portal_766_scores shows no_portal_row, and this
-- model's not_null test warns) rather than to a guessed one.
with

province_reports as (

    select * from {{ ref('stg_dvc_portal__province_reports') }}

),

months as (

    select * from {{ ref('int_calendar__periods') }}
    where period_type = 'month'

),

agency_positions as (

    select * from {{ ref('int_units__agency_districts') }}

),

list_month_provinces as (

    select distinct
        months.period,
        agency_positions.province_code
    from months
    inner join agency_positions
        on agency_positions.valid_from_date <= months.period_end
        and (agency_positions.valid_to_date is null
            or agency_positions.valid_to_date >= months.period_end)
    where agency_positions.is_valid
        and agency_positions.province_code is not null

),

pick_single_provinces as (

    select
        period,
        min(province_code) as province_code
    from list_month_provinces
    group by period
    having count(*) = 1

),

attach_provinces as (

    select
        province_reports.report_month,
        pick_single_provinces.province_code,
        province_reports.publicity_score,
        province_reports.progress_score,
        province_reports.online_service_score,
        province_reports.payment_score,
        province_reports.digitization_score,
        province_reports.satisfaction_score,
        province_reports.total_score,
        province_reports.source_file
    from province_reports
    left join pick_single_provinces
        on pick_single_provinces.period = province_reports.report_month

),

final as (

    select * from attach_provinces

)

select * from final
