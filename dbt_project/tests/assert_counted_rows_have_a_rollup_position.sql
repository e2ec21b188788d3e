-- A failure means counted rows carry a district that int_units__rollup does not list: their
-- dossiers (or agency-months) would be missing from every level of bieu_06, bieu_06_fields
-- and kpi_values, the province's row included. The positions are listed from
-- int_units__agency_districts, where every district of a dossier comes from.
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

list_counted_districts as (

    select distinct district_code from unit_period_counts
    union
    select distinct district_code from agency_month_sync

),

final as (

    select list_counted_districts.district_code
    from list_counted_districts
    left join unit_rollup
        on {{ at_rollup_position('unit_rollup', 'list_counted_districts') }}
    where unit_rollup.member_level is null

)

select * from final
