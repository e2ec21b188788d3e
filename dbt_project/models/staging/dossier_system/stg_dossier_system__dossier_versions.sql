-- One row per dossier version: a line of a daily extract that passed the door.
-- Renames the source's field names to business names and casts; nothing else.
with

source as (

    select * from {{ with_optional_columns(
        source('raw', 'dossier_versions'), {'MaDonViTiepNhan': dbt.type_string()}
    ) }}

),

renamed as (

    select
        cast(MaHoSo as {{ dbt.type_string() }}) as dossier_code,
        cast(MaTTHC as {{ dbt.type_string() }}) as procedure_code,
        cast(MaCoQuan as {{ dbt.type_string() }}) as agency_code,
        -- the one-stop desk that received it: absent or empty = the handling agency
        -- (reorganisation.md); a code unknown to don_vi.csv is kept as delivered
        cast(coalesce(nullif(trim(MaDonViTiepNhan), ''), MaCoQuan) as {{ dbt.type_string() }}) as receiving_agency_code,
        cast(KenhThucHien as integer) as channel,
        cast(applicant_key as {{ dbt.type_string() }}) as applicant_key,
        coalesce(TaiKhoanDuocXacThucVoiVNeID = 1, false) as is_vneid_authenticated,
        cast(NgayNopHoSo as timestamp) as submitted_at,
        cast(NgayTiepNhan as timestamp) as received_at,
        cast(NgayHenTra as timestamp) as appointment_at,
        cast(TrangThaiHoSo as integer) as status,
        cast(NgayKetThucXuLy as timestamp) as processing_ended_at,
        cast(NgayTra as timestamp) as returned_at,
        cast(NgayTuChoi as timestamp) as refused_at,
        cast(HinhThucNhanKetQua as integer) as result_delivery_method,
        cast(DuocThanhToanTrucTuyen as integer) as online_payment_method,
        coalesce(HoSoCoThanhPhanSoHoa = 1, false) as has_digitized_components,
        DanhSachLePhi as fees,
        DanhSachHoSoBoSung as supplement_requests,
        DanhSachGiayToKetQua as result_documents,
        TaiLieuNop as submitted_documents,
        cast(DanhGia as integer) as rating,
        cast(NgayCapNhat as timestamp) as updated_at,
        cast(_file_date as date) as file_date,
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_line_number as bigint) as line_number
    from source

),

final as (

    select * from renamed

)

select * from final
