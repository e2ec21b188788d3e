-- One row per monthly 766 report with a Tổng cộng row: the province's published scores.
with

source as (

    select * from {{ source('raw', 'portal_766_totals') }}

),

renamed as (

    select
        cast(_report_month as {{ dbt.type_string() }}) as report_month,
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
