-- The lookup of every coded field of the published marts (marts.md "Lookup tables for BI"):
-- dossiers.status, channel, return_method, the payment code, timeliness, the reconciliation
-- issues and the portal's 2.1 reasons, each with its Vietnamese and English label. The codes
-- are written once, in seeds/codes.csv.
with

codes as (

    select * from {{ ref('codes') }}

),

final as (

    select
        cast(code_type as {{ dbt.type_string() }}) as code_type,
        cast(code as {{ dbt.type_string() }}) as code,
        cast(label_vi as {{ dbt.type_string() }}) as label_vi,
        cast(label_en as {{ dbt.type_string() }}) as label_en
    from codes

)

select * from final
