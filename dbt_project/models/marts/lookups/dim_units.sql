-- One row per validity row of don_vi.csv (unit_type agency) and dvhc.csv (unit_type dvhc), with
-- its parent, tier (cap), successor, and the district and province it belongs to on its first
-- valid day (marts.md "Lookup tables for BI"): BI joins the marts' agency and unit codes here,
-- on the row valid on the date it needs.
-- An agency's district and province are those a dossier of the agency takes on that day
-- (int_units__agency_districts: up the agency chain to the huyện, up the dvhc chain to the
-- tỉnh); an administrative unit's are found the same way up its own dvhc chain.
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

    -- Up the parent chain among the rows valid on the row's first day: xã → huyện → tỉnh.
    select
        cast('dvhc' as {{ dbt.type_string() }}) as unit_type,
        unit_0.admin_unit_code as unit_code,
        unit_0.admin_unit_name as unit_name,
        unit_0.admin_unit_level as cap,
        unit_0.parent_admin_unit_code as parent_code,
        unit_0.valid_from_date as valid_from,
        unit_0.valid_to_date as valid_to,
        unit_0.successor_admin_unit_code as successor_code,
        case
            when unit_0.admin_unit_level = 'huyen' then unit_0.admin_unit_code
            when unit_1.admin_unit_level = 'huyen' then unit_1.admin_unit_code
        end as district_code,
        case
            when unit_0.admin_unit_level = 'tinh' then unit_0.admin_unit_code
            when unit_1.admin_unit_level = 'tinh' then unit_1.admin_unit_code
            when unit_2.admin_unit_level = 'tinh' then unit_2.admin_unit_code
        end as province_code
    from admin_units as unit_0
    left join admin_units as unit_1
        on unit_1.admin_unit_code = unit_0.parent_admin_unit_code
        and unit_1.valid_from_date <= unit_0.valid_from_date
        and (unit_1.valid_to_date is null or unit_1.valid_to_date >= unit_0.valid_from_date)
    left join admin_units as unit_2
        on unit_2.admin_unit_code = unit_1.parent_admin_unit_code
        and unit_2.valid_from_date <= unit_0.valid_from_date
        and (unit_2.valid_to_date is null or unit_2.valid_to_date >= unit_0.valid_from_date)

),

final as (

    select * from locate_agencies
    union all
    select * from locate_admin_units

)

select * from final
