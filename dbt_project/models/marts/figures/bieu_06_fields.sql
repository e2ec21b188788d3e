-- One row per period, level (agency, province), unit and field of the procedures: Biểu 06
-- by field, as the form lists its rows (marts.md `bieu_06_fields`).
{%- set count_columns = bieu_06_count_columns() %}
with

unit_period_counts as (

    select * from {{ ref('int_figures__unit_period_counts') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

report_units as (

    select * from {{ ref('int_units__report_units') }}

),

find_province as (

    select max(unit_code) as province_code
    from report_units
    where level = 'province'

),

roll_up_agencies as (

    select
        period_type,
        period,
        'agency' as level,
        agency_code as unit_code,
        field_code,
        max(field_name) as field_name,
        {% for column in count_columns -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from unit_period_counts
    group by period_type, period, agency_code, field_code

),

roll_up_province as (

    select
        unit_period_counts.period_type,
        unit_period_counts.period,
        'province' as level,
        find_province.province_code as unit_code,
        unit_period_counts.field_code,
        max(unit_period_counts.field_name) as field_name,
        {% for column in count_columns -%}
        sum(unit_period_counts.{{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from unit_period_counts
    cross join find_province
    group by
        unit_period_counts.period_type,
        unit_period_counts.period,
        find_province.province_code,
        unit_period_counts.field_code

),

stack_levels as (

    select * from roll_up_agencies
    union all
    select * from roll_up_province

),

final as (

    select
        stack_levels.period_type,
        stack_levels.period,
        periods.period_start,
        periods.period_end,
        stack_levels.level,
        stack_levels.unit_code,
        report_units.unit_name,
        {% for column in count_columns -%}
        cast(stack_levels.{{ column }} as bigint) as {{ column }},
        {% endfor -%}
        stack_levels.field_code,
        stack_levels.field_name
    from stack_levels
    inner join periods
        on periods.period_type = stack_levels.period_type
        and periods.period = stack_levels.period
    left join report_units
        on report_units.level = stack_levels.level
        and report_units.unit_code = stack_levels.unit_code
    where stack_levels.total > 0

)

select * from final
