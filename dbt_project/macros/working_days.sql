{#- Working-day arithmetic (kpis.md "Calendar") as joins on the working-day ordinal of
    int_calendar__days, never loops. working_day_ordinal(d) = number of working days ≤ d, so
    the working days in (a, b] are ordinal(b) − ordinal(a).

    Usage: join the calendar once per date with join_calendar(alias, date_expr), then
      wd_between(a_alias, b_alias)             an expression
      join_wd_add(alias, from_alias, n_expr)   a join giving alias.calendar_date = wd_add(a, n)
      join_wd_sub(alias, from_alias, n_expr)   a join giving alias.calendar_date = wd_sub(a, n)
-#}

{% macro join_calendar(alias, date_expr) -%}
    left join {{ ref('int_calendar__days') }} as {{ alias }}
        on {{ alias }}.calendar_date = {{ date_expr }}
{%- endmacro %}

{#- Number of working days d with a < d ≤ b; 0 when b ≤ a (and null when a date is null). -#}
{% macro wd_between(from_alias, to_alias) -%}
    (case
        when {{ to_alias }}.calendar_date > {{ from_alias }}.calendar_date
            then {{ to_alias }}.working_day_ordinal - {{ from_alias }}.working_day_ordinal
        when {{ to_alias }}.calendar_date is not null and {{ from_alias }}.calendar_date is not null
            then 0
    end)
{%- endmacro %}

{#- The n-th working day after date a (n ≥ 1): the working day whose ordinal is ordinal(a) + n. -#}
{% macro join_wd_add(alias, from_alias, n_expr) -%}
    left join {{ ref('int_calendar__days') }} as {{ alias }}
        on {{ alias }}.is_working_day
        and {{ alias }}.working_day_ordinal = {{ from_alias }}.working_day_ordinal + ({{ n_expr }})
{%- endmacro %}

{#- The n-th working day before date a (n ≥ 1). The last working day before a has ordinal
    ordinal(a) − 1 when a is a working day, ordinal(a) otherwise. -#}
{% macro join_wd_sub(alias, from_alias, n_expr) -%}
    left join {{ ref('int_calendar__days') }} as {{ alias }}
        on {{ alias }}.is_working_day
        and {{ alias }}.working_day_ordinal = {{ from_alias }}.working_day_ordinal
            - (case when {{ from_alias }}.is_working_day then 1 else 0 end)
            - ({{ n_expr }}) + 1
{%- endmacro %}

{#- The first working day on or after date x: ordinal(x) when x is a working day, else
    ordinal(x) + 1. -#}
{% macro join_first_working_day_on_or_after(alias, from_alias) -%}
    left join {{ ref('int_calendar__days') }} as {{ alias }}
        on {{ alias }}.is_working_day
        and {{ alias }}.working_day_ordinal = {{ from_alias }}.working_day_ordinal
            + (case when {{ from_alias }}.is_working_day then 0 else 1 end)
{%- endmacro %}
