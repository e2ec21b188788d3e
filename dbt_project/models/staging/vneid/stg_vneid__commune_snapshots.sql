-- One row per commune of a weekly VNeID snapshot.
with

source as (

    select * from {{ source('raw', 'vneid_counts') }}

),

renamed as (

    select
        cast(_snapshot_date as date) as snapshot_date,
        cast(ma_dvhc as {{ dbt.type_string() }}) as admin_unit_code,
        cast(ten_dvhc as {{ dbt.type_string() }}) as admin_unit_name,
        cast(ngay_so_lieu as date) as data_date,
        cast(cong_dan_du_dieu_kien as bigint) as eligible_count,
        cast(da_cap_muc_1 as bigint) as level_1_count,
        cast(da_cap_muc_2 as bigint) as level_2_count,
        cast(da_kich_hoat as bigint) as activated_count,
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as line_number
    from source

),

final as (

    select * from renamed

)

select * from final
