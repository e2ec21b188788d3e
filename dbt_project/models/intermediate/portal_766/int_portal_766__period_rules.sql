-- One row per period (month, quarter, year) and indicator of the rule set valid on the
-- period's last day (portal_766.md "Rules are data, with versions"): when the portal changes
-- a rule, operators add seed rows with a later valid_from, and only the periods whose last
-- day is on or after it change. The last day is int_calendar__periods.period_end, i.e.
-- data_through for the period that contains it (decision: the rule in force on the last day
-- the data covers; a rule set starting after data_through scores nothing yet).
with

periods as (

    select * from {{ ref('int_calendar__periods') }}
    where period_type in ('month', 'quarter', 'year')

),

rules as (

    select * from {{ ref('rules_766') }}

),

pick_rules_in_force as (

    select
        periods.period_type,
        periods.period,
        periods.period_start,
        periods.period_end,
        periods.period_start_at,
        periods.period_end_at,
        cast(rules.rule_set as {{ dbt.type_string() }}) as rule_set,
        cast(rules.indicator_code as {{ dbt.type_string() }}) as indicator_code,
        cast(rules.group_code as {{ dbt.type_string() }}) as group_code,
        cast(rules.max_points as double) as max_points,
        cast(rules.full_at as double) as full_at,
        cast(rules.formula as {{ dbt.type_string() }}) as formula
    from periods
    inner join rules
        on cast(rules.valid_from as date) <= periods.period_end
        and (rules.valid_to is null or cast(rules.valid_to as date) >= periods.period_end)

),

final as (

    select * from pick_rules_in_force

)

select * from final
