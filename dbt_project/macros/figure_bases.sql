{#- The two bases of the figures (reorganisation.md "Two bases"): `as_was` counts a row under
    its own agency and the position it carries (its date's district, tier, province);
    `restated` under the agency that carries that agency's work on at data_through and that
    agency's position then (int_units__restated_agencies). The marts of both bases are the
    same SQL (macros bieu_06_mart, kpi_values_mart) reading the counted rows through
    place_on_basis, so a rule of Biểu 06 or a KPI is written once. -#}

{#- The import CTE the restated basis needs (nothing on the as-was basis); goes after `with`. -#}
{% macro basis_imports(basis) -%}
    {%- if basis == 'restated' %}
restated_agencies as (

    select * from {{ ref('int_units__restated_agencies') }}

),
    {%- elif basis != 'as_was' -%}
        {{ exceptions.raise_compiler_error("unknown basis " ~ basis) }}
    {%- endif %}
{%- endmacro %}

{#- A select of the counted rows of CTE `counted` with their agency_code and position columns
    on the basis; `columns` are the other columns kept as they are. A code unknown to
    don_vi.csv (a synced list's MaCoQuan) has no successor: it stays where it is. -#}
{% macro place_on_basis(basis, counted, columns) -%}
    select
        {% for column in columns -%}
        {{ counted }}.{{ column }},
        {% endfor -%}
        {%- if basis == 'restated' -%}
        coalesce(restated_agencies.restated_agency_code, {{ counted }}.agency_code) as agency_code,
        {% for column in rollup_position_columns() -%}
        case
            when restated_agencies.agency_code is null then {{ counted }}.{{ column }}
            else restated_agencies.{{ column }}
        end as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from {{ counted }}
    left join restated_agencies
        on restated_agencies.agency_code = {{ counted }}.agency_code
        {%- else -%}
        {{ counted }}.agency_code,
        {% for column in rollup_position_columns() -%}
        {{ counted }}.{{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from {{ counted }}
        {%- endif %}
{%- endmacro %}
