-- One row per administrative-unit code and elementary validity interval of dvhc.csv: the
-- code's row in force during the interval and where the unit sits in the dvhc tree on a date
-- of the interval: its district (the first `huyen` up ma_dvhc_cha, itself included) and its
-- province (the first `tinh`) (reorganisation.md "Where a dossier belongs": "up the dvhc
-- parent chain, rows valid on that date"). The one walk of the dvhc chain: agencies
-- (int_units__agency_districts), VNeID communes (vneid_coverage) and the dvhc rows of
-- dim_units join here by code and date instead of walking it again.
-- The interval boundaries are every row's first day and the day after its last day, over all
-- codes, so within an interval no row of any code starts or ends: the chains resolved on the
-- interval's first day hold for every day of it. A code has no row before its first
-- hieu_luc_tu.
with

admin_units as (

    select * from {{ ref('stg_reference__admin_units') }}

),

list_boundaries as (

    {{ validity_boundaries('admin_units') }}

),

build_intervals as (

    {{ intervals_from('list_boundaries') }}

),

rank_rows_in_force as (

    -- the code's row on the interval's first day (macros/rows_in_force.sql: the agencies'
    -- rule, reorganisation.md says "rows valid on that date")
    {{ rank_rows_in_force(
        'admin_units', 'admin_unit_code',
        ['admin_unit_code', 'admin_unit_name', 'admin_unit_level', 'parent_admin_unit_code'],
        'build_intervals',
    ) }}

),

keep_rows_in_force as (

    select * from rank_rows_in_force
    where row_rank = 1

),

walk_parent_chains as (

    -- Up ma_dvhc_cha among the rows in force: xã → huyện → tỉnh is 2 steps; 3 allowed.
    select
        unit_0.admin_unit_code,
        unit_0.interval_start_date,
        unit_0.next_interval_start_date,
        unit_0.admin_unit_name,
        unit_0.admin_unit_level,
        unit_0.parent_admin_unit_code,
        unit_0.is_valid,
        unit_1.admin_unit_code as unit_1_code,
        unit_1.admin_unit_level as unit_1_level,
        unit_2.admin_unit_code as unit_2_code,
        unit_2.admin_unit_level as unit_2_level,
        unit_3.admin_unit_code as unit_3_code,
        unit_3.admin_unit_level as unit_3_level
    from keep_rows_in_force as unit_0
    left join keep_rows_in_force as unit_1
        on unit_1.admin_unit_code = unit_0.parent_admin_unit_code
        and unit_1.interval_start_date = unit_0.interval_start_date
    left join keep_rows_in_force as unit_2
        on unit_2.admin_unit_code = unit_1.parent_admin_unit_code
        and unit_2.interval_start_date = unit_0.interval_start_date
    left join keep_rows_in_force as unit_3
        on unit_3.admin_unit_code = unit_2.parent_admin_unit_code
        and unit_3.interval_start_date = unit_0.interval_start_date

),

pick_positions as (

    -- District: the first `huyen` on the chain, the unit itself included; a `tinh` before it
    -- means a provincial unit, in no district. After 1 July 2025 no chain has a `huyen`.
    -- Province: the first `tinh`; null when the chain reaches none.
    select
        admin_unit_code,
        interval_start_date as valid_from_date,
        {{ add_days('next_interval_start_date', -1) }} as valid_to_date,
        admin_unit_name,
        admin_unit_level,
        parent_admin_unit_code,
        is_valid,
        case
            when admin_unit_level = 'huyen' then admin_unit_code
            when admin_unit_level = 'tinh' then null
            when unit_1_level = 'huyen' then unit_1_code
            when unit_1_level = 'tinh' then null
            when unit_2_level = 'huyen' then unit_2_code
            when unit_2_level = 'tinh' then null
            when unit_3_level = 'huyen' then unit_3_code
        end as district_code,
        case
            when admin_unit_level = 'tinh' then admin_unit_code
            when unit_1_level = 'tinh' then unit_1_code
            when unit_2_level = 'tinh' then unit_2_code
            when unit_3_level = 'tinh' then unit_3_code
        end as province_code
    from walk_parent_chains

),

final as (

    select * from pick_positions

)

select * from final
