{#- The few engine-specific pieces of SQL, behind adapter.dispatch. The `default__` versions
    are written for Spark SQL (the national-scale engine); `duckdb__` for the warehouse today. -#}

{#- One row per date from start_date to end_date (ISO strings), column calendar_date. -#}
{% macro date_spine_days(start_date, end_date) -%}
    {{ return(adapter.dispatch('date_spine_days', 'tthc')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_spine_days(start_date, end_date) -%}
    select explode(sequence(to_date('{{ start_date }}'), to_date('{{ end_date }}'), interval 1 day)) as calendar_date
{%- endmacro %}

{% macro duckdb__date_spine_days(start_date, end_date) -%}
    select cast(generate_series as date) as calendar_date
    from generate_series(cast('{{ start_date }}' as date), cast('{{ end_date }}' as date), interval 1 day)
{%- endmacro %}

{#- Select-list items that unnest a list column: one output row per element, with its 1-based
    position. An empty or null list gives no row. -#}
{% macro unnest_with_position(list_column, element_alias, position_alias) -%}
    {{ return(adapter.dispatch('unnest_with_position', 'tthc')(list_column, element_alias, position_alias)) }}
{%- endmacro %}

{% macro default__unnest_with_position(list_column, element_alias, position_alias) -%}
    {#- Spark: posexplode is 0-based, so the 1-based position comes from transform's index
        (also 0-based) + 1, as a bigint like DuckDB's generate_subscripts. inline of an empty
        or null array gives no row. -#}
    inline(transform({{ list_column }}, (tthc_element, tthc_index) -> named_struct(
        '{{ position_alias }}', cast(tthc_index + 1 as bigint),
        '{{ element_alias }}', tthc_element
    ))) as ({{ position_alias }}, {{ element_alias }})
{%- endmacro %}

{% macro duckdb__unnest_with_position(list_column, element_alias, position_alias) -%}
    unnest({{ list_column }}) as {{ element_alias }},
    generate_subscripts({{ list_column }}, 1) as {{ position_alias }}
{%- endmacro %}

{#- date + n calendar days, as a date. -#}
{% macro add_days(date_expr, days_expr) -%}
    {{ return(adapter.dispatch('add_days', 'tthc')(date_expr, days_expr)) }}
{%- endmacro %}

{% macro default__add_days(date_expr, days_expr) -%}
    date_add({{ date_expr }}, cast({{ days_expr }} as int))
{%- endmacro %}

{% macro duckdb__add_days(date_expr, days_expr) -%}
    cast({{ date_expr }} + cast({{ days_expr }} as integer) as date)
{%- endmacro %}

{#- The last second of a date, as a timestamp (a period or a due date ends at 23:59:59). -#}
{% macro end_of_day(date_expr) -%}
    {{ return(adapter.dispatch('end_of_day', 'tthc')(date_expr)) }}
{%- endmacro %}

{% macro default__end_of_day(date_expr) -%}
    cast({{ date_expr }} as timestamp) + interval 86399 seconds
{%- endmacro %}

{% macro duckdb__end_of_day(date_expr) -%}
    cast({{ date_expr }} as timestamp) + interval 86399 second
{%- endmacro %}

{#- ISO day of week, 1 = Monday … 7 = Sunday. -#}
{% macro iso_day_of_week(date_expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'tthc')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expr) -%}
    (((dayofweek({{ date_expr }}) + 5) % 7) + 1)
{%- endmacro %}

{% macro duckdb__iso_day_of_week(date_expr) -%}
    isodow({{ date_expr }})
{%- endmacro %}

{#- 31 December of the year of a date, as a date. (dbt-spark's dateadd, through
    to_unix_timestamp, gave a different day under TIMESTAMP_NTZ: publication_timeliness.) -#}
{% macro last_day_of_year(date_expr) -%}
    {{ return(adapter.dispatch('last_day_of_year', 'tthc')(date_expr)) }}
{%- endmacro %}

{% macro default__last_day_of_year(date_expr) -%}
    make_date(year({{ date_expr }}), 12, 31)
{%- endmacro %}

{% macro duckdb__last_day_of_year(date_expr) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, dbt.date_trunc('year', date_expr))) }} as date)
{%- endmacro %}

{#- a = b with two nulls equal, as an equality that both engines can hash-join on (the
    portable values_differ of comparisons.sql is a filter, never a join key). -#}
{% macro null_safe_equal(left_expr, right_expr) -%}
    {{ return(adapter.dispatch('null_safe_equal', 'tthc')(left_expr, right_expr)) }}
{%- endmacro %}

{% macro default__null_safe_equal(left_expr, right_expr) -%}
    {{ left_expr }} <=> {{ right_expr }}
{%- endmacro %}

{% macro duckdb__null_safe_equal(left_expr, right_expr) -%}
    {{ left_expr }} is not distinct from {{ right_expr }}
{%- endmacro %}

{#- The ISO week of a date as 'YYYY-Www' (Monday to Sunday; week 1 holds the year's first
    Thursday): the week's Thursday gives both the ISO year and, from its day of the year, the
    week number. Written with add_days and iso_day_of_week, so both engines read it alike. -#}
{% macro iso_week_label(date_expr) -%}
    {%- set thursday = add_days(date_expr, '4 - ' ~ iso_day_of_week(date_expr)) -%}
    cast(extract(year from {{ thursday }}) as {{ dbt.type_string() }})
        || '-W'
        || lpad(cast(cast(floor((extract(doy from {{ thursday }}) - 1) / 7.0) as integer) + 1 as {{ dbt.type_string() }}), 2, '0')
{%- endmacro %}
