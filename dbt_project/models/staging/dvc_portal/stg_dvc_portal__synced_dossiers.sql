-- One row per dossier of a monthly synced-dossier list of the national portal.
with

source as (

    select * from {{ source('raw', 'portal_synced') }}

),

renamed as (

    select
        cast(_report_month as {{ dbt.type_string() }}) as report_month,
        cast(MaHoSo as {{ dbt.type_string() }}) as dossier_code,
        cast(MaCoQuan as {{ dbt.type_string() }}) as agency_code,
        cast(TrangThaiHoSo as integer) as status,
        cast(KenhThucHien as integer) as channel,
        cast(NgayTiepNhan as timestamp) as received_at,
        cast(NgayKetThucXuLy as timestamp) as processing_ended_at,
        cast(DuocThanhToanTrucTuyen as integer) as online_payment_method,
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as line_number
    from source

),

final as (

    select * from renamed

)

select * from final
