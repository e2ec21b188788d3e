{#- A raw relation with the columns that the raw contract (ingest/raw_layer.py) added after
    some of its files were written: MaDonViTiepNhan of the dossier extracts, ma_don_vi_ke_thua
    of don_vi. DuckDB reads the raw layer with union_by_name, which gives a missing column to
    the files that lack it only when some file has it: a warehouse whose partitions were all
    written before (and whose _schema.parquet is older, until the next load rewrites it)
    would fail to bind the column. Spark creates each raw table with the contract's column
    list (macros/raw_spark_schemas.sql), so it has them already.
    `columns`: {name: type}. -#}
{% macro with_optional_columns(relation, columns) -%}
    {{ return(adapter.dispatch('with_optional_columns', 'tthc')(relation, columns)) }}
{%- endmacro %}

{% macro default__with_optional_columns(relation, columns) -%}
    {{ relation }}
{%- endmacro %}

{% macro duckdb__with_optional_columns(relation, columns) -%}
    (
        select * from {{ relation }}
        union all by name
        select
            {%- for name, type in columns.items() %}
            cast(null as {{ type }}) as {{ name }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        where false
    )
{%- endmacro %}
