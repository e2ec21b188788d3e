-- One row per procedure of tthc.csv.
with

source as (

    select * from {{ source('reference', 'tthc') }}

),

renamed as (

    select
        cast(ma_tthc as {{ dbt.type_string() }}) as procedure_code,
        cast(ten_tthc as {{ dbt.type_string() }}) as procedure_name,
        cast(ma_linh_vuc as {{ dbt.type_string() }}) as field_code,
        cast(ten_linh_vuc as {{ dbt.type_string() }}) as field_name,
        cast(cap_thuc_hien as {{ dbt.type_string() }}) as procedure_level,
        cast(muc_do_dvc as {{ dbt.type_string() }}) as online_service_level,
        coalesce(co_phi = 1, false) as has_fee,
        cast(thoi_han as integer) as time_limit,
        cast(don_vi_thoi_han as {{ dbt.type_string() }}) as time_limit_unit,
        coalesce(yeu_cau_ket_qua_giay = 1, false) as requires_paper_result,
        cast(ma_co_quan_cong_bo as {{ dbt.type_string() }}) as publishing_agency_code
    from source

),

final as (

    select * from renamed

)

select * from final
