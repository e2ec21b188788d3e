-- One row per period, agency, position (district, tier, province of the dossiers) and field: the summed counts of
-- Biểu 06 and of every dossier-based KPI. Every level of every figures mart sums these rows.
--
-- Dossier counts come per month (int_figures__dossier_periods); a quarter, half or year is
-- built from its months, which is exact for the rules of kpis.md because a dossier is
-- received no later than it ends (a door rule):
-- - flows (received / resolved / events in the period) are the sums over its months;
-- - carried_over (open at S) is its first month's, the in-progress stocks (open at E, within
--   the deadline or not) its last month's: same S, same E;
-- - total = carried_over + everything received in the period.
-- Weeks do not nest in months: their counts come per dossier and week, summed here as they are.
-- Event counts (refusals, postal returns) come per period of every type.
{%- set dossier_columns = bieu_06_count_columns() + kpi_count_columns() %}
{%- set start_stock_columns = ['carried_over'] %}
{%- set end_stock_columns = ['in_progress', 'in_progress_within_deadline', 'in_progress_overdue'] %}
{%- set event_columns = event_count_columns() %}
with

dossier_periods as (

    select * from {{ ref('int_figures__dossier_periods') }}

),

dossier_events as (

    select * from {{ ref('int_figures__dossier_events') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

sum_months as (

    select
        period as month,
        agency_code,
        district_code,
        tier_code,
        province_code,
        field_code,
        max(field_name) as field_name,
        {% for column in dossier_columns -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from dossier_periods
    where period_type = 'month'
    group by period, agency_code, district_code, tier_code, province_code, field_code

),

sum_weeks as (

    -- a week is its own period (computed per dossier and week in int_figures__dossier_periods)
    select
        period_type,
        period,
        agency_code,
        district_code,
        tier_code,
        province_code,
        field_code,
        max(field_name) as field_name,
        {% for column in dossier_columns -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from dossier_periods
    where period_type = 'week'
    group by period_type, period, agency_code, district_code, tier_code, province_code, field_code

),

list_months_of_periods as (

    -- every period but weeks with its months (a month is its own only month)
    select
        periods.period_type,
        periods.period,
        months.period as month,
        months.period_start_at = min(months.period_start_at) over (
            partition by periods.period_type, periods.period
        ) as is_first_month,
        months.period_end_at = max(months.period_end_at) over (
            partition by periods.period_type, periods.period
        ) as is_last_month
    from periods
    inner join periods as months
        on months.period_type = 'month'
        and months.period_start_at >= periods.period_start_at
        and months.period_end_at <= periods.period_end_at
    where periods.period_type <> 'week'

),

roll_up_months as (

    select
        list_months_of_periods.period_type,
        list_months_of_periods.period,
        sum_months.agency_code,
        sum_months.district_code,
        sum_months.tier_code,
        sum_months.province_code,
        sum_months.field_code,
        max(sum_months.field_name) as field_name,
        {% for column in dossier_columns -%}
        {%- if column in start_stock_columns -%}
        sum(case when list_months_of_periods.is_first_month then sum_months.{{ column }} else 0 end)
        {%- elif column in end_stock_columns -%}
        sum(case when list_months_of_periods.is_last_month then sum_months.{{ column }} else 0 end)
        {%- elif column == 'total' -%}
        sum(case when list_months_of_periods.is_first_month then sum_months.carried_over else 0 end)
            + sum(sum_months.total - sum_months.carried_over)
        {%- else -%}
        sum(sum_months.{{ column }})
        {%- endif %} as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from list_months_of_periods
    inner join sum_months
        on sum_months.month = list_months_of_periods.month
    group by
        list_months_of_periods.period_type,
        list_months_of_periods.period,
        sum_months.agency_code,
        sum_months.district_code,
        sum_months.tier_code,
        sum_months.province_code,
        sum_months.field_code

),

stack_counts as (

    select
        period_type,
        period,
        agency_code,
        district_code,
        tier_code,
        province_code,
        field_code,
        field_name,
        {% for column in dossier_columns %}{{ column }},
        {% endfor %}
        {%- for column in event_columns %}0 as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from roll_up_months
    union all
    select
        period_type,
        period,
        agency_code,
        district_code,
        tier_code,
        province_code,
        field_code,
        field_name,
        {% for column in dossier_columns %}{{ column }},
        {% endfor %}
        {%- for column in event_columns %}0 as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from sum_weeks
    union all
    select
        period_type,
        period,
        agency_code,
        district_code,
        tier_code,
        province_code,
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
        tier_code,
        province_code,
        field_code,
        max(field_name) as field_name,
        {% for column in dossier_columns + event_columns -%}
        cast(sum({{ column }}) as bigint) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from stack_counts
    group by period_type, period, agency_code, district_code, tier_code, province_code, field_code

),

final as (

    select * from sum_counts

)

select * from final
