-- One row per administrative-unit validity row of dvhc.csv.
with

source as (

    select * from {{ source('reference', 'dvhc') }}

),

renamed as (

    select
        cast(ma_dvhc as {{ dbt.type_string() }}) as admin_unit_code,
        cast(ten_dvhc as {{ dbt.type_string() }}) as admin_unit_name,
        cast(cap as {{ dbt.type_string() }}) as admin_unit_level,
        cast(nullif(trim(ma_dvhc_cha), '') as {{ dbt.type_string() }}) as parent_admin_unit_code,
        cast(hieu_luc_tu as date) as valid_from_date,
        cast(hieu_luc_den as date) as valid_to_date,
        cast(nullif(trim(ma_dvhc_ke_thua), '') as {{ dbt.type_string() }}) as successor_admin_unit_code
    from source

),

final as (

    select * from renamed

)

select * from final
