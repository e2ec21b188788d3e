-- One row per date of ngay_nghi.csv: a weekday off (nghi) or a weekend day worked (lam_bu).
with

source as (

    select * from {{ source('reference', 'ngay_nghi') }}

),

renamed as (

    select
        cast(ngay as date) as calendar_date,
        cast(loai as {{ dbt.type_string() }}) as exception_type,
        cast(ten as {{ dbt.type_string() }}) as exception_name
    from source

),

final as (

    select * from renamed

)

select * from final
