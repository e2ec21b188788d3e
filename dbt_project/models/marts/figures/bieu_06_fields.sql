-- One row per period, level (agency, tier, province), unit and field of the procedures:
-- Biểu 06 by field, as the form lists its rows (marts.md `bieu_06_fields`), as was.
{%- set count_columns = bieu_06_count_columns() %}
with

unit_period_counts as (

    select * from {{ ref('int_figures__unit_period_counts') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

unit_names as (

    -- the name of each unit in each period (the province's: valid at the period's end)
    select * from {{ ref('int_units__period_names') }}

),

unit_rollup as (

    -- the form by field has agency, tier and province rows (marts.md: no district)
    select * from {{ ref('int_units__rollup') }}
    where member_level = 'agency' and level <> 'district'

),

roll_up_units as (

    select
        unit_period_counts.period_type,
        unit_period_counts.period,
        unit_rollup.level,
        {{ rollup_unit_code('unit_rollup', 'unit_period_counts') }} as unit_code,
        unit_period_counts.field_code,
        unit_period_counts.field_name,
        {% for column in count_columns -%}
        unit_period_counts.{{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from unit_period_counts
    inner join unit_rollup
        on {{ at_rollup_position('unit_rollup', 'unit_period_counts') }}

),

sum_units as (

    select
        period_type,
        period,
        level,
        unit_code,
        field_code,
        max(field_name) as field_name,
        {% for column in count_columns -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from roll_up_units
    group by period_type, period, level, unit_code, field_code

),

final as (

    select
        sum_units.period_type,
        sum_units.period,
        periods.period_start,
        periods.period_end,
        sum_units.level,
        sum_units.unit_code,
        unit_names.unit_name,
        {% for column in count_columns -%}
        cast(sum_units.{{ column }} as bigint) as {{ column }},
        {% endfor -%}
        sum_units.field_code,
        sum_units.field_name
    from sum_units
    inner join periods
        on periods.period_type = sum_units.period_type
        and periods.period = sum_units.period
    left join unit_names
        on unit_names.period_type = sum_units.period_type
        and unit_names.period = sum_units.period
        and unit_names.level = sum_units.level
        and unit_names.unit_code = sum_units.unit_code
    where sum_units.total > 0

)

select * from final
