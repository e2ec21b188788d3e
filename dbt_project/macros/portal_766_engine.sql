{#- Engine-specific SQL of the portal's 766 rules (portal_766.md), beside macros/engine.sql
    and dispatched the same way: `default__` for Spark SQL, `duckdb__` for DuckDB. -#}

{#- Whole seconds from timestamp a to timestamp b (b − a; negative when b is before a). The
    portal's supplement time is an exact duration (portal_766.md), not working days. -#}
{% macro seconds_between(from_expr, to_expr) -%}
    {{ return(adapter.dispatch('seconds_between', 'tthc')(from_expr, to_expr)) }}
{%- endmacro %}

{% macro default__seconds_between(from_expr, to_expr) -%}
    timestampdiff(SECOND, {{ from_expr }}, {{ to_expr }})
{%- endmacro %}

{% macro duckdb__seconds_between(from_expr, to_expr) -%}
    date_diff('second', {{ from_expr }}, {{ to_expr }})
{%- endmacro %}
