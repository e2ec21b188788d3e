-- A failure means that in some period (type, period) the province rows of bieu_06_restated do
-- not sum to those of bieu_06 for some count (reorganisation.md "Two bases": restating moves
-- dossiers between agencies, never in or out of a period): a dossier was lost or counted twice
-- by the successor walk (int_units__restated_agencies). Each failing row: the period and the
-- first count that differs.
-- An asset check of bieu_06_restated (meta.dagster.ref), so that the publish gate reads it.
{{ config(meta={'dagster': {'ref': {'name': 'bieu_06_restated'}}}) }}
{%- set columns = bieu_06_count_columns() %}
with

bieu_06 as (

    select * from {{ ref('bieu_06') }}

),

bieu_06_restated as (

    select * from {{ ref('bieu_06_restated') }}

),

sum_as_was_provinces as (

    select
        period_type,
        period,
        {% for column in columns -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from bieu_06
    where level = 'province'
    group by period_type, period

),

sum_restated_provinces as (

    select
        period_type,
        period,
        {% for column in columns -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from bieu_06_restated
    where level = 'province'
    group by period_type, period

),

final as (

    select
        coalesce(as_was.period_type, restated.period_type) as period_type,
        coalesce(as_was.period, restated.period) as period,
        case
            {% for column in columns -%}
            when {{ values_differ('as_was.' ~ column, 'restated.' ~ column) }} then '{{ column }}'
            {% endfor -%}
        end as differing_count
    from sum_as_was_provinces as as_was
    full outer join sum_restated_provinces as restated
        on restated.period_type = as_was.period_type
        and restated.period = as_was.period
    where as_was.period is null
        or restated.period is null
        {%- for column in columns %}
        or {{ values_differ('as_was.' ~ column, 'restated.' ~ column) }}
        {%- endfor %}

)

select * from final
