{#- True when a counted row sits at a roll-up position of int_units__rollup (the position's
    columns, compared null-safely: a row without a district matches the position "none").
    With int_units__rollup, the one place that says which report units a counted row counts
    toward. -#}
{% macro at_rollup_position(rollup_alias, counted_alias) -%}
    {{ null_safe_equal(rollup_alias ~ '.district_code', counted_alias ~ '.district_code') }}
{%- endmacro %}
