-- One row per KPI and year of chi_tieu.csv.
with

source as (

    select * from {{ source('reference', 'chi_tieu') }}

),

renamed as (

    select
        cast(ma_chi_tieu as varchar) as kpi_code,
        cast(nam as integer) as target_year,
        cast(gia_tri as double) as target_value,
        cast(nguon as varchar) as target_source
    from source

),

final as (

    select * from renamed

)

select * from final
