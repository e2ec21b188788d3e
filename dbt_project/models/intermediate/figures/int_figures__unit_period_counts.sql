-- One row per period, agency, district (of the dossiers) and field: the summed counts of
-- Biểu 06 and of every dossier-based KPI. Every level of every figures mart sums these rows.
{%- set dossier_columns = bieu_06_count_columns() + kpi_count_columns() %}
{%- set event_columns = event_count_columns() %}
with

dossier_periods as (

    select * from {{ ref('int_figures__dossier_periods') }}

),

dossier_events as (

    select * from {{ ref('int_figures__dossier_events') }}

),

stack_counts as (

    select
        period_type,
        period,
        agency_code,
        district_code,
        field_code,
        field_name,
        {% for column in dossier_columns %}{{ column }},
        {% endfor %}
        {%- for column in event_columns %}0 as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from dossier_periods
    union all
    select
        period_type,
        period,
        agency_code,
        district_code,
        field_code,
        field_name,
        {% for column in dossier_columns %}0 as {{ column }},
        {% endfor %}
        {%- for column in event_columns %}{{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from dossier_events

),

sum_counts as (

    select
        period_type,
        period,
        agency_code,
        district_code,
        field_code,
        max(field_name) as field_name,
        {% for column in dossier_columns + event_columns -%}
        cast(sum({{ column }}) as bigint) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from stack_counts
    group by period_type, period, agency_code, district_code, field_code

),

final as (

    select * from sum_counts

)

select * from final
