-- One row per dossier having a version in the days loaded since the last build. The build
-- step (orchestration/dbt_increment.py) lists those days in a CSV file whose path is in
-- TTHC_DBT_CHANGED_DAYS_FILE; the per-dossier incremental models recompute exactly these
-- dossiers, from all their versions (macros/incremental_dossiers.sql). Empty without the
-- file, and on engines where those models are rebuilt whole.
{%- set days_file = changed_days_file() %}
with

dossier_versions as (

    select * from {{ ref('stg_dossier_system__dossier_versions') }}

),

final as (

    select distinct dossier_code
    from dossier_versions
    {%- if days_file and target.type == 'duckdb' %}
    where file_date in (
        select day from read_csv('{{ days_file }}', header = true, columns = {'day': 'DATE'})
    )
    {%- else %}
    where 1 = 0
    {%- endif %}

)

select * from final
