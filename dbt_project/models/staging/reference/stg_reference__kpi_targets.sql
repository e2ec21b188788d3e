-- One row per KPI and year of chi_tieu.csv.
with

source as (

    select * from {{ source('reference', 'chi_tieu') }}

),

renamed as (

    select
        cast(ma_chi_tieu as {{ dbt.type_string() }}) as kpi_code,
        cast(nam as integer) as target_year,
        cast(gia_tri as double) as target_value,
        cast(nguon as {{ dbt.type_string() }}) as target_source
    from source

),

final as (

    select * from renamed

)

select * from final
