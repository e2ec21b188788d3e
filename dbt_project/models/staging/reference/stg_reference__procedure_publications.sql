-- One row per procedure per provincial publication decision (cong_bo.csv).
with

source as (

    select * from {{ source('reference', 'cong_bo') }}

),

renamed as (

    select
        cast(ma_tthc as {{ dbt.type_string() }}) as procedure_code,
        cast(ma_co_quan_cong_bo as {{ dbt.type_string() }}) as publishing_agency_code,
        cast(so_qd_bo as {{ dbt.type_string() }}) as ministry_decision_number,
        cast(ngay_hieu_luc_van_ban as date) as legal_basis_effective_date,
        cast(so_qd_tinh as {{ dbt.type_string() }}) as provincial_decision_number,
        cast(ngay_qd_tinh as date) as provincial_decision_date,
        cast(ngay_cong_khai as date) as made_public_date,
        cast(_line_number as bigint) as line_number
    from source

),

final as (

    select * from renamed

)

select * from final
