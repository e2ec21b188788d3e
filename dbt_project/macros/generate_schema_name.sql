{#- Layers get plain schema names (staging, intermediate, marts), not dbt's default
    "<target schema>_<custom schema>": the publish step and BI read `marts` by that name. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
