-- One row per procedure of tthc.csv, with its field (lĩnh vực) and the attributes the figures
-- depend on (marts.md "Lookup tables for BI"): BI joins it to dossiers.procedure_code.
with

procedures as (

    select * from {{ ref('stg_reference__procedures') }}

),

final as (

    select
        procedure_code,
        procedure_name,
        field_code,
        field_name,
        procedure_level as level,
        online_service_level as online_level,
        has_fee,
        time_limit as statutory_days,
        time_limit_unit as statutory_unit,
        requires_paper_result as paper_result_required
    from procedures

)

select * from final
