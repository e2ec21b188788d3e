{#- Nightly increments (issue 8): the per-dossier models and dossier_periods recompute only
    the dossiers that have a version in the days loaded since the last build, instead of
    the whole history.

    The build step (orchestration/dbt_increment.py) writes the days loaded since the last
    successful build to a CSV file and passes its path as the var `changed_days_file` (the
    path never changes, so dbt keeps its partial parse). It passes `--full-refresh` instead
    whenever old rows may have changed: a day loaded before was reloaded, the reference
    files or this project changed, or there is no record of a previous build. Without the
    file (dbt run by hand, with neither the var nor TTHC_DBT_CHANGED_DAYS_FILE), an
    incremental model recomputes every dossier: slower, never wrong.

    A dossier in a new day is recomputed from ALL its versions (old days included), so the
    result equals a full rebuild: that is asserted by tests/figures/test_incremental.py.

    DuckDB only: on Spark (national scale, docs/spark.md) these models stay tables rebuilt
    whole; Parquet tables there have no DELETE (the design for insert_overwrite is in
    benchmarks/results.md). -#}

{#- 'incremental' on DuckDB, 'table' elsewhere. -#}
{% macro per_dossier_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- The path of the changed days (a CSV file with a `day` column), or ''. -#}
{% macro changed_days_file() -%}
    {{ return(var('changed_days_file', env_var('TTHC_DBT_CHANGED_DAYS_FILE', ''))) }}
{%- endmacro %}

{#- True when this run updates the model in place for the changed dossiers only. -#}
{% macro dossier_increment_active() -%}
    {{ return(is_incremental() and changed_days_file() != '') }}
{%- endmacro %}

{#- A SQL condition on `column` (a dossier code): in the changed dossiers when the model is
    updated in place, else true. The model must also carry
    `-- depends_on: {{ ref('int_dossiers__changed') }}` (the ref is conditional here). -#}
{% macro is_changed_dossier(column) -%}
    {%- if dossier_increment_active() -%}
        {{ column }} in (select dossier_code from {{ ref('int_dossiers__changed') }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of a per-dossier incremental model: drop the rows about to be recomputed (all
    of them when the changed days are unknown). The model then appends: a dossier whose new
    version has fewer fees or documents loses the old rows too (delete+insert on a unique
    key would keep them). -#}
{% macro delete_changed_dossiers() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        {%- if changed_days_file() %}
        where dossier_code in (select dossier_code from {{ ref('int_dossiers__changed') }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of int_figures__dossier_periods: drop the rows of the changed dossiers and of
    every month or week whose bounds are no longer those of int_calendar__periods (the month
    and the week that hold data_through end on it, so they move every night; one may also
    vanish). The model then recomputes every period without rows, for all dossiers. -#}
{% macro delete_changed_dossier_periods() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        {%- if changed_days_file() %}
        where dossier_code in (select dossier_code from {{ ref('int_dossiers__changed') }})
            or not exists (
                select 1
                from {{ ref('int_calendar__periods') }} as periods
                where periods.period_type in ('month', 'week')
                    and periods.period_type = {{ this }}.period_type
                    and periods.period = {{ this }}.period
                    and periods.period_start_at = {{ this }}.period_start_at
                    and periods.period_end_at = {{ this }}.period_end_at
            )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
