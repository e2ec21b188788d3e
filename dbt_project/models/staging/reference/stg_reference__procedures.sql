-- One row per procedure of tthc.csv.
with

source as (

    select * from {{ source('reference', 'tthc') }}

),

renamed as (

    select
        cast(ma_tthc as varchar) as procedure_code,
        cast(ten_tthc as varchar) as procedure_name,
        cast(ma_linh_vuc as varchar) as field_code,
        cast(ten_linh_vuc as varchar) as field_name,
        cast(cap_thuc_hien as varchar) as procedure_level,
        cast(muc_do_dvc as varchar) as online_service_level,
        coalesce(co_phi = 1, false) as has_fee,
        cast(thoi_han as integer) as time_limit,
        cast(don_vi_thoi_han as varchar) as time_limit_unit,
        coalesce(yeu_cau_ket_qua_giay = 1, false) as requires_paper_result,
        cast(ma_co_quan_cong_bo as varchar) as publishing_agency_code
    from source

),

final as (

    select * from renamed

)

select * from final
