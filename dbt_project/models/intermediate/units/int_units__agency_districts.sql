-- One row per agency code and elementary validity interval of don_vi.csv and dvhc.csv: the
-- agency's row in force during the interval and the position a dossier of that agency takes
-- on a date of the interval (reorganisation.md "Where a dossier belongs"): its district
-- (kpis.md "district of an agency on a date"), its tier (the row's cap) and its province (up
-- the dvhc chain from the row's ma_dvhc to the `tinh`).
-- The interval boundaries are every row's first day and the day after its last day, over all
-- codes of both files, so within an interval no row of any code starts or ends: the chains
-- resolved on the interval's first day hold for every day of it. (Both files change on a few
-- days: the 2025 reform adds one boundary, 1 July, to a province's history.)
with

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

admin_units as (

    select * from {{ ref('stg_reference__admin_units') }}

),

list_boundaries as (

    select valid_from_date as boundary_date from agencies
    union
    select {{ add_days('valid_to_date', 1) }} as boundary_date from agencies
    where valid_to_date is not null
    union
    select valid_from_date as boundary_date from admin_units
    union
    select {{ add_days('valid_to_date', 1) }} as boundary_date from admin_units
    where valid_to_date is not null

),

build_intervals as (

    select
        boundary_date as interval_start_date,
        lead(boundary_date) over (order by boundary_date) as next_interval_start_date
    from list_boundaries

),

rank_rows_in_force as (

    -- The row valid on the interval's first day; for a code not valid then, its row that
    -- ended last before it. A code has no row before its first hieu_luc_tu (then: no district).
    select
        agencies.agency_code,
        agencies.agency_name,
        agencies.agency_level,
        agencies.admin_unit_code,
        agencies.parent_agency_code,
        build_intervals.interval_start_date,
        build_intervals.next_interval_start_date,
        (agencies.valid_to_date is null
            or agencies.valid_to_date >= build_intervals.interval_start_date) as is_valid,
        row_number() over (
            partition by agencies.agency_code, build_intervals.interval_start_date
            order by
                case
                    when agencies.valid_to_date is null
                        or agencies.valid_to_date >= build_intervals.interval_start_date
                        then 0
                    else 1
                end,
                agencies.valid_to_date desc,
                agencies.valid_from_date desc
        ) as row_rank
    from agencies
    inner join build_intervals
        on agencies.valid_from_date <= build_intervals.interval_start_date

),

keep_rows_in_force as (

    select * from rank_rows_in_force
    where row_rank = 1

),

rank_admin_unit_rows_in_force as (

    -- The dvhc row of each code on the interval's first day, by the rule used for agencies
    -- (decision, reorganisation.md says "rows valid on that date": a ceased code still named
    -- by an agency row keeps its last parent, so its dossiers keep a province).
    select
        admin_units.admin_unit_code,
        admin_units.admin_unit_level,
        admin_units.parent_admin_unit_code,
        build_intervals.interval_start_date,
        row_number() over (
            partition by admin_units.admin_unit_code, build_intervals.interval_start_date
            order by
                case
                    when admin_units.valid_to_date is null
                        or admin_units.valid_to_date >= build_intervals.interval_start_date
                        then 0
                    else 1
                end,
                admin_units.valid_to_date desc,
                admin_units.valid_from_date desc
        ) as row_rank
    from admin_units
    inner join build_intervals
        on admin_units.valid_from_date <= build_intervals.interval_start_date

),

keep_admin_unit_rows_in_force as (

    select * from rank_admin_unit_rows_in_force
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

walk_admin_unit_chains as (

    -- From the agency row's ma_dvhc up ma_dvhc_cha: xã → huyện → tỉnh is 2 steps; 3 allowed.
    select
        walk_parent_chains.agency_code,
        walk_parent_chains.interval_start_date,
        case
            when unit_0.admin_unit_level = 'tinh' then unit_0.admin_unit_code
            when unit_1.admin_unit_level = 'tinh' then unit_1.admin_unit_code
            when unit_2.admin_unit_level = 'tinh' then unit_2.admin_unit_code
            when unit_3.admin_unit_level = 'tinh' then unit_3.admin_unit_code
        end as province_code
    from walk_parent_chains
    left join keep_admin_unit_rows_in_force as unit_0
        on unit_0.admin_unit_code = walk_parent_chains.admin_unit_code
        and unit_0.interval_start_date = walk_parent_chains.interval_start_date
    left join keep_admin_unit_rows_in_force as unit_1
        on unit_1.admin_unit_code = unit_0.parent_admin_unit_code
        and unit_1.interval_start_date = walk_parent_chains.interval_start_date
    left join keep_admin_unit_rows_in_force as unit_2
        on unit_2.admin_unit_code = unit_1.parent_admin_unit_code
        and unit_2.interval_start_date = walk_parent_chains.interval_start_date
    left join keep_admin_unit_rows_in_force as unit_3
        on unit_3.admin_unit_code = unit_2.parent_admin_unit_code
        and unit_3.interval_start_date = walk_parent_chains.interval_start_date

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
        walk_admin_unit_chains.province_code,
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
    inner join walk_admin_unit_chains
        on walk_admin_unit_chains.agency_code = walk_parent_chains.agency_code
        and walk_admin_unit_chains.interval_start_date = walk_parent_chains.interval_start_date

),

final as (

    select * from pick_positions

)

select * from final
