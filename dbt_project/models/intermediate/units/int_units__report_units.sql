-- One row per reporting unit (agency, tier, district, province) with the name the marts
-- show: the name of the unit's latest row (decision, spec silent: a renamed unit shows its
-- latest name in every period; a province's name in a period is int_units__period_names').
-- Every `tinh` of dvhc.csv is a province (reorganisation.md: one row per province code that
-- dossiers of the period belong to; a merged province's system lists both).
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
        admin_unit_code as unit_code,
        admin_unit_name as unit_name
    from rank_admin_unit_rows
    where row_rank = 1 and admin_unit_level = 'tinh'

),

list_tier_units as (

    -- the tiers of don_vi.csv's `cap` (decision, spec silent on their names)
    select 'tier' as level, 'tinh' as unit_code, 'Cấp tỉnh' as unit_name
    union all
    select 'tier' as level, 'huyen' as unit_code, 'Cấp huyện' as unit_name
    union all
    select 'tier' as level, 'xa' as unit_code, 'Cấp xã' as unit_name

),

final as (

    select * from list_agency_units
    union all
    select * from list_district_units
    union all
    select * from list_province_units
    union all
    select * from list_tier_units

)

select * from final
