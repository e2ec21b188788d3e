-- One row per agency validity row of don_vi.csv (a code may have several rows).
with

source as (

    select * from {{ with_optional_columns(
        source('reference', 'don_vi'), {'ma_don_vi_ke_thua': dbt.type_string()}
    ) }}

),

renamed as (

    select
        cast(ma_don_vi as {{ dbt.type_string() }}) as agency_code,
        cast(ten_don_vi as {{ dbt.type_string() }}) as agency_name,
        cast(cap as {{ dbt.type_string() }}) as agency_level,
        cast(ma_dvhc as {{ dbt.type_string() }}) as admin_unit_code,
        cast(nullif(trim(ma_don_vi_cha), '') as {{ dbt.type_string() }}) as parent_agency_code,
        cast(hieu_luc_tu as date) as valid_from_date,
        cast(hieu_luc_den as date) as valid_to_date,
        cast(nullif(trim(ma_don_vi_ke_thua), '') as {{ dbt.type_string() }}) as successor_agency_code
    from source

),

final as (

    select * from renamed

)

select * from final
