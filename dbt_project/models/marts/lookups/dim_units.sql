-- One row per validity row of don_vi.csv (unit_type agency) and dvhc.csv (unit_type dvhc), with
-- its parent, tier (cap), successor, and the district and province it belongs to on its first
-- valid day (marts.md "Lookup tables for BI"): BI joins the marts' agency and unit codes here,
-- on the row valid on the date it needs.
-- An agency's district and province are those a dossier of the agency takes on that day
-- (int_units__agency_districts: up the agency chain to the huyện, up the dvhc chain to the
-- tỉnh); an administrative unit's are those of its code on that day
-- (int_units__admin_unit_positions: up its own dvhc chain).
with

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

admin_units as (

    select * from {{ ref('stg_reference__admin_units') }}

),

agency_positions as (

    select * from {{ ref('int_units__agency_districts') }}

),

admin_unit_positions as (

    select * from {{ ref('int_units__admin_unit_positions') }}

),

locate_agencies as (

    select
        cast('agency' as {{ dbt.type_string() }}) as unit_type,
        agencies.agency_code as unit_code,
        agencies.agency_name as unit_name,
        agencies.agency_level as cap,
        agencies.parent_agency_code as parent_code,
        agencies.valid_from_date as valid_from,
        agencies.valid_to_date as valid_to,
        agencies.successor_agency_code as successor_code,
        agency_positions.district_code,
        agency_positions.province_code
    from agencies
    left join agency_positions
        on agency_positions.agency_code = agencies.agency_code
        and agency_positions.valid_from_date <= agencies.valid_from_date
        and (agency_positions.valid_to_date is null or agency_positions.valid_to_date >= agencies.valid_from_date)

),

locate_admin_units as (

    -- The position of the row's code on the row's first day: a parent that had ended by then
    -- counts by its last row (the agencies' rule, int_units__admin_unit_positions).
    select
        cast('dvhc' as {{ dbt.type_string() }}) as unit_type,
        admin_units.admin_unit_code as unit_code,
        admin_units.admin_unit_name as unit_name,
        admin_units.admin_unit_level as cap,
        admin_units.parent_admin_unit_code as parent_code,
        admin_units.valid_from_date as valid_from,
        admin_units.valid_to_date as valid_to,
        admin_units.successor_admin_unit_code as successor_code,
        admin_unit_positions.district_code,
        admin_unit_positions.province_code
    from admin_units
    left join admin_unit_positions
        on admin_unit_positions.admin_unit_code = admin_units.admin_unit_code
        and admin_unit_positions.valid_from_date <= admin_units.valid_from_date
        and (admin_unit_positions.valid_to_date is null
            or admin_unit_positions.valid_to_date >= admin_units.valid_from_date)

),

final as (

    select * from locate_agencies
    union all
    select * from locate_admin_units

)

select * from final
