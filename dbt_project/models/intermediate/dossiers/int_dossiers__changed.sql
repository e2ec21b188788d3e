-- One row per dossier having a version in the days loaded since the last build (the var
-- changed_dossier_days, set by the build step: orchestration/dbt_increment.py). The
-- per-dossier incremental models recompute exactly these dossiers, from all their
-- versions (macros/incremental_dossiers.sql). Empty when the var is not set.
{%- set changed_days = var('changed_dossier_days', none) %}
with

dossier_versions as (

    select * from {{ ref('stg_dossier_system__dossier_versions') }}

),

final as (

    select distinct dossier_code
    from dossier_versions
    {%- if changed_days %}
    where file_date in (
        {%- for day in changed_days %}
        cast('{{ day }}' as date){% if not loop.last %},{% endif %}
        {%- endfor %}
    )
    {%- else %}
    where 1 = 0
    {%- endif %}

)

select * from final
