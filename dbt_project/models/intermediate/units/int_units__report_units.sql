-- One row per reporting unit (agency, district, province) with the name the marts show:
-- the name of the unit's latest row (decision, spec silent: a renamed unit shows its
-- latest name in every period).
with

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

admin_units as (

    select * from {{ ref('stg_reference__admin_units') }}

),

rank_agency_rows as (

    select
        agency_code,
        agency_name,
        row_number() over (partition by agency_code order by valid_from_date desc) as row_rank
    from agencies

),

rank_admin_unit_rows as (

    select
        admin_unit_code,
        admin_unit_name,
        admin_unit_level,
        row_number() over (partition by admin_unit_code order by valid_from_date desc) as row_rank
    from admin_units

),

rank_provinces as (

    -- The province of this warehouse: the `tinh` unit that existed first (decision: dvhc.csv
    -- may also list the province it merged into in 2025, which came later or has a greater
    -- code on the same day).
    select
        admin_unit_code,
        row_number() over (order by valid_from_date, admin_unit_code) as province_rank
    from admin_units
    where admin_unit_level = 'tinh'

),

list_agency_units as (

    select
        'agency' as level,
        agency_code as unit_code,
        agency_name as unit_name
    from rank_agency_rows
    where row_rank = 1

),

list_district_units as (

    select
        'district' as level,
        admin_unit_code as unit_code,
        admin_unit_name as unit_name
    from rank_admin_unit_rows
    where row_rank = 1 and admin_unit_level = 'huyen'

),

list_province_units as (

    select
        'province' as level,
        rank_admin_unit_rows.admin_unit_code as unit_code,
        rank_admin_unit_rows.admin_unit_name as unit_name
    from rank_admin_unit_rows
    inner join rank_provinces
        on rank_provinces.admin_unit_code = rank_admin_unit_rows.admin_unit_code
        and rank_provinces.province_rank = 1
    where rank_admin_unit_rows.row_rank = 1

),

final as (

    select * from list_agency_units
    union all
    select * from list_district_units
    union all
    select * from list_province_units

)

select * from final
