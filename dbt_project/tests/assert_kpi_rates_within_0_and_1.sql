-- A failure means a rate KPI's numerator is not a subset of its denominator (value outside
-- [0, 1]): a flag in int_figures__dossier_periods counts dossiers its denominator does not.
-- An asset check of kpi_values (meta.dagster.ref): a test of several models is otherwise only
-- an observation in Dagster, and the publish gate, which reads checks, would not see it.
{{ config(meta={'dagster': {'ref': {'name': 'kpi_values'}}}) }}
with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

kpi_definitions as (

    select * from {{ ref('kpi_definitions') }}

),

final as (

    select kpi_values.*
    from kpi_values
    inner join kpi_definitions
        on kpi_definitions.kpi_code = kpi_values.kpi_code
    where kpi_definitions.unit = 'rate'
        and (kpi_values.value < 0 or kpi_values.value > 1)

)

select * from final
