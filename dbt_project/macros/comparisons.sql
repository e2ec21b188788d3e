{#- True when two values differ, a null differing from a non-null and two nulls being equal
    (IS DISTINCT FROM, written so that every engine reads it the same way). -#}
{% macro values_differ(left_expr, right_expr) -%}
    coalesce(
        {{ left_expr }} <> {{ right_expr }},
        ({{ left_expr }} is null) <> ({{ right_expr }} is null)
    )
{%- endmacro %}

{#- A timestamp truncated to the second, as a string 'YYYY-MM-DD HH:MM:SS' (null stays null):
    the portal's files carry whole seconds, so a fraction is not a difference. -#}
{% macro timestamp_to_second_string(timestamp_expr) -%}
    cast({{ dbt.date_trunc('second', timestamp_expr) }} as {{ dbt.type_string() }})
{%- endmacro %}
