{#- The columns of a roll-up position (int_units__rollup), which every counted row carries. -#}
{% macro rollup_position_columns() -%}
    {{ return(['district_code', 'tier_code', 'province_code']) }}
{%- endmacro %}

{#- True when a counted row sits at a roll-up position of int_units__rollup (the position's
    columns, compared null-safely: a row without a district matches the position "none").
    With int_units__rollup, the one place that says which report units a counted row counts
    toward. -#}
{% macro at_rollup_position(rollup_alias, counted_alias) -%}
    {%- for column in rollup_position_columns() %}
    {% if not loop.first %}and {% endif %}{{ null_safe_equal(rollup_alias ~ '.' ~ column, counted_alias ~ '.' ~ column) }}
    {%- endfor %}
{%- endmacro %}

{#- The report unit a counted row is summed into at a roll-up position: its own unit at the
    own-unit position (`own_unit_column`, the agency or the commune), else the position's unit
    (its district, the province). -#}
{% macro rollup_unit_code(rollup_alias, counted_alias, own_unit_column='agency_code') -%}
    case when {{ rollup_alias }}.is_own_unit then {{ counted_alias }}.{{ own_unit_column }} else {{ rollup_alias }}.unit_code end
{%- endmacro %}
