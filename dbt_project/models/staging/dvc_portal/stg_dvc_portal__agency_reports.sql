-- One row per agency row of a monthly 766 report of the national portal.
with

source as (

    select * from {{ source('raw', 'portal_766') }}

),

renamed as (

    select
        cast(_report_month as {{ dbt.type_string() }}) as report_month,
        cast(ma_don_vi as {{ dbt.type_string() }}) as agency_code,
        cast(ten_don_vi as {{ dbt.type_string() }}) as agency_name,
        cast(tiep_nhan as bigint) as received_count,
        cast(truc_tuyen as bigint) as received_online_count,
        cast(truc_tiep as bigint) as received_in_person_count,
        cast(bcci as bigint) as received_postal_count,
        cast(da_xu_ly as bigint) as resolved_count,
        cast(dung_han as bigint) as resolved_on_time_count,
        cast(qua_han as bigint) as resolved_overdue_count,
        cast(co_phi as bigint) as with_fee_count,
        cast(thanh_toan_truc_tuyen as bigint) as paid_online_count,
        cast(dong_bo as bigint) as synced_count,
        cast(diem_cong_khai as double) as publicity_score,
        cast(diem_tien_do as double) as progress_score,
        cast(diem_dvctt as double) as online_service_score,
        cast(diem_thanh_toan as double) as payment_score,
        cast(diem_so_hoa as double) as digitization_score,
        cast(diem_hai_long as double) as satisfaction_score,
        cast(tong_diem as double) as total_score,
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as line_number
    from source

),

final as (

    select * from renamed

)

select * from final
