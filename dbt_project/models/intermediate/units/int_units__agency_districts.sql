-- One row per agency code and elementary validity interval of don_vi.csv: the agency's row in
-- force during the interval and its district (kpis.md "district of an agency on a date").
-- The interval boundaries are every row's first day and the day after its last day, over all
-- codes, so within an interval no row of any code starts or ends: the parent chain resolved
-- on the interval's first day holds for every day of it.
with

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

list_boundaries as (

    select valid_from_date as boundary_date from agencies
    union
    select {{ add_days('valid_to_date', 1) }} as boundary_date from agencies
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

pick_districts as (

    -- The first `huyen` on the chain, itself included; a `tinh` agency before it means a
    -- provincial agency, which belongs to no district.
    select
        agency_code,
        interval_start_date as valid_from_date,
        {{ add_days('next_interval_start_date', -1) }} as valid_to_date,
        agency_name,
        agency_level,
        admin_unit_code,
        parent_agency_code,
        is_valid,
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

),

final as (

    select * from pick_districts

)

select * from final
