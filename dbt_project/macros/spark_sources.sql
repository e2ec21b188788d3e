{#- The raw layer as Spark tables (on-run-start hook of dbt_project.yml).

    On DuckDB the sources are read in place through dbt-duckdb's `meta.external_location`
    (read_parquet over the raw folders). Spark has no such thing, so on the spark target this
    hook (re)creates, before any model runs, one external Parquet table per source table:
    `<source schema>.<table>` (raw.dossier_versions, reference.don_vi, ...) over the folder of
    `meta.spark_location`, with the explicit column list of raw_spark_schemas() (generated
    from ingest/raw_layer.py). `source('raw', 'x')` then resolves to raw.x on both engines.
    Dropping an external table leaves its files alone; Spark skips the `_schema.parquet` and
    `.tmp` files of the folders (names starting with `_` or `.`), and reads a column that an
    older file lacks as null, as union_by_name does on DuckDB. -#}
{% macro register_raw_sources() -%}
    {%- if not execute or target.type != 'spark' -%}{{ return('') }}{%- endif -%}
    {%- set schemas = raw_spark_schemas() -%}
    {%- set created_schemas = [] -%}
    {%- for node in graph.sources.values() if node.package_name == project_name -%}
        {%- set location = node.meta.get('spark_location') -%}
        {%- if location -%}
            {%- set columns = schemas[node.source_name][node.name] -%}
            {%- if node.schema not in created_schemas -%}
                {%- do run_query('create schema if not exists ' ~ node.schema) -%}
                {%- do created_schemas.append(node.schema) -%}
            {%- endif -%}
            {%- set relation = node.schema ~ '.' ~ node.identifier -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query(
                'create table ' ~ relation ~ ' (' ~ columns ~ ') using parquet location '
                ~ "'" ~ (location | replace('{name}', node.name) | replace("'", "\\'")) ~ "'"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}
