-- A failure means a rate KPI's numerator is not a subset of its denominator (value outside
-- [0, 1]): a flag in int_figures__dossier_periods counts dossiers its denominator does not.
with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

final as (

    select *
    from kpi_values
    where kpi_code not in ('avg_processing_wd', 'avg_postal_return_wd')
        and (value < 0 or value > 1)

)

select * from final
