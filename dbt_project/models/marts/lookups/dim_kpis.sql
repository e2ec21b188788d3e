-- Every code of kpi_values (the province's own KPIs, kpis.md) and of portal_766_indicators
-- (the portal's 766 indicators, portal_766.md) with its labels, unit and direction
-- (marts.md "Lookup tables for BI"). The portal's indicators are shares where more is better.
with

kpi_definitions as (

    select * from {{ ref('kpi_definitions') }}

),

indicator_labels as (

    select * from {{ ref('portal_766_indicator_labels') }}

),

rules as (

    select distinct indicator_code from {{ ref('rules_766') }}

),

list_own_kpis as (

    select
        cast(kpi_code as {{ dbt.type_string() }}) as kpi_code,
        cast(label_vi as {{ dbt.type_string() }}) as label_vi,
        cast(label_en as {{ dbt.type_string() }}) as label_en,
        cast(unit as {{ dbt.type_string() }}) as unit,
        lower_is_better,
        cast('kpis.md' as {{ dbt.type_string() }}) as source
    from kpi_definitions

),

list_portal_indicators as (

    select
        cast(rules.indicator_code as {{ dbt.type_string() }}) as kpi_code,
        cast(indicator_labels.label_vi as {{ dbt.type_string() }}) as label_vi,
        cast(indicator_labels.label_en as {{ dbt.type_string() }}) as label_en,
        cast('rate' as {{ dbt.type_string() }}) as unit,
        false as lower_is_better,
        cast('portal_766.md' as {{ dbt.type_string() }}) as source
    from rules
    left join indicator_labels
        on indicator_labels.indicator_code = rules.indicator_code

),

final as (

    select * from list_own_kpis
    union all
    select * from list_portal_indicators

)

select * from final
