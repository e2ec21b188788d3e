-- A failure means counted rows carry a position (district, tier, province) that
-- int_units__rollup does not list: their dossiers (or agency-months) would be missing from
-- every level of bieu_06, bieu_06_fields and kpi_values (and their restated twins), the
-- province's row included. The positions are listed from int_units__agency_districts, where
-- every position of a dossier, an agency-month and a restated agency comes from.
-- An asset check of int_units__rollup (meta.dagster.ref): a test of several models is otherwise only
-- an observation in Dagster, and the publish gate, which reads checks, would not see it.
{{ config(meta={'dagster': {'ref': {'name': 'int_units__rollup'}}}) }}
with

unit_period_counts as (

    select * from {{ ref('int_figures__unit_period_counts') }}

),

agency_month_sync as (

    select * from {{ ref('int_figures__agency_month_sync') }}

),

unit_rollup as (

    select * from {{ ref('int_units__rollup') }}
    where member_level = 'agency' and is_own_unit

),

restated_agencies as (

    select * from {{ ref('int_units__restated_agencies') }}

),

list_counted_positions as (

    select distinct district_code, tier_code, province_code from unit_period_counts
    union
    select distinct district_code, tier_code, province_code from agency_month_sync
    union
    select distinct district_code, tier_code, province_code from restated_agencies

),

final as (

    select
        list_counted_positions.district_code,
        list_counted_positions.tier_code,
        list_counted_positions.province_code
    from list_counted_positions
    left join unit_rollup
        on {{ at_rollup_position('unit_rollup', 'list_counted_positions') }}
    where unit_rollup.member_level is null

)

select * from final
