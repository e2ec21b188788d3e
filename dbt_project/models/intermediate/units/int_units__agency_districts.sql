-- One row per agency code and elementary validity interval of don_vi.csv and dvhc.csv: the
-- agency's row in force during the interval and the position a dossier of that agency takes
-- on a date of the interval (reorganisation.md "Where a dossier belongs"): its district
-- (kpis.md "district of an agency on a date"), its tier (the row's cap) and its province (the
-- province of the row's ma_dvhc then, int_units__admin_unit_positions).
-- The interval boundaries are every row's first day and the day after its last day, over all
-- codes of both files (those of dvhc.csv are the starts of the intervals of
-- int_units__admin_unit_positions), so within an interval no row of any code starts or ends:
-- the chains resolved on the interval's first day hold for every day of it. (Both files
-- change on a few days: the 2025 reform adds one boundary, 1 July, to a province's history.)
with

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

admin_unit_positions as (

    select * from {{ ref('int_units__admin_unit_positions') }}

),

list_boundaries as (

    -- those of dvhc.csv are the starts of int_units__admin_unit_positions' intervals
    {{ validity_boundaries('agencies') }}
    union
    select valid_from_date as boundary_date from admin_unit_positions

),

build_intervals as (

    {{ intervals_from('list_boundaries') }}

),

rank_rows_in_force as (

    -- the agency's row on the interval's first day (macros/rows_in_force.sql); a code has no
    -- row before its first hieu_luc_tu (then: no district)
    {{ rank_rows_in_force(
        'agencies', 'agency_code',
        ['agency_code', 'agency_name', 'agency_level', 'admin_unit_code', 'parent_agency_code'],
        'build_intervals',
    ) }}

),

keep_rows_in_force as (

    select * from rank_rows_in_force
    where row_rank = 1

),

walk_parent_chains as (

    -- Four parents up is deeper than any chain of the province (xã → huyện → tỉnh).
    select
        level_0.agency_code,
        level_0.interval_start_date,
        level_0.next_interval_start_date,
        level_0.agency_name,
        level_0.agency_level,
        level_0.admin_unit_code,
        level_0.parent_agency_code,
        level_0.is_valid,
        level_0.agency_level as level_0_cap,
        level_0.admin_unit_code as level_0_unit,
        level_1.agency_level as level_1_cap,
        level_1.admin_unit_code as level_1_unit,
        level_2.agency_level as level_2_cap,
        level_2.admin_unit_code as level_2_unit,
        level_3.agency_level as level_3_cap,
        level_3.admin_unit_code as level_3_unit,
        level_4.agency_level as level_4_cap,
        level_4.admin_unit_code as level_4_unit
    from keep_rows_in_force as level_0
    left join keep_rows_in_force as level_1
        on level_1.agency_code = level_0.parent_agency_code
        and level_1.interval_start_date = level_0.interval_start_date
    left join keep_rows_in_force as level_2
        on level_2.agency_code = level_1.parent_agency_code
        and level_2.interval_start_date = level_0.interval_start_date
    left join keep_rows_in_force as level_3
        on level_3.agency_code = level_2.parent_agency_code
        and level_3.interval_start_date = level_0.interval_start_date
    left join keep_rows_in_force as level_4
        on level_4.agency_code = level_3.parent_agency_code
        and level_4.interval_start_date = level_0.interval_start_date

),

pick_positions as (

    -- District: the first `huyen` on the chain, itself included; a `tinh` agency before it
    -- means a provincial agency, which belongs to no district. After 1 July 2025 no chain has
    -- a `huyen`, so dossiers received from then on have none. Tier: the row's own cap.
    select
        walk_parent_chains.agency_code,
        walk_parent_chains.interval_start_date as valid_from_date,
        {{ add_days('walk_parent_chains.next_interval_start_date', -1) }} as valid_to_date,
        walk_parent_chains.agency_name,
        walk_parent_chains.agency_level,
        walk_parent_chains.admin_unit_code,
        walk_parent_chains.parent_agency_code,
        walk_parent_chains.is_valid,
        walk_parent_chains.agency_level as tier_code,
        admin_unit_positions.province_code,
        case
            when level_0_cap = 'huyen' then level_0_unit
            when level_0_cap = 'tinh' then null
            when level_1_cap = 'huyen' then level_1_unit
            when level_1_cap = 'tinh' then null
            when level_2_cap = 'huyen' then level_2_unit
            when level_2_cap = 'tinh' then null
            when level_3_cap = 'huyen' then level_3_unit
            when level_3_cap = 'tinh' then null
            when level_4_cap = 'huyen' then level_4_unit
        end as district_code
    from walk_parent_chains
    left join admin_unit_positions
        on admin_unit_positions.admin_unit_code = walk_parent_chains.admin_unit_code
        and admin_unit_positions.valid_from_date <= walk_parent_chains.interval_start_date
        and (admin_unit_positions.valid_to_date is null
            or admin_unit_positions.valid_to_date >= walk_parent_chains.interval_start_date)

),

final as (

    select * from pick_positions

)

select * from final
