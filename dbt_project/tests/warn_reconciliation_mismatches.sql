-- Warning, never blocking: each failing row is an agency-month measure on which the dossier
-- system and the national portal disagree beyond tolerance, or an agency missing on one side.
-- These are the finding the warehouse exists to show (the notice: the provincial numbers
-- "do not fully reflect reality"), so they are published in `reconciliation` and surface
-- here, in the Dagster UI, as a warning check with the number of rows.
{{ config(severity='warn', tags=['reconciliation']) }}

with

reconciliation as (

    select * from {{ ref('reconciliation') }}

),

final as (

    select period, unit_code, measure, system_value, portal_value, diff, status
    from reconciliation
    where status <> 'match'

)

select * from final
