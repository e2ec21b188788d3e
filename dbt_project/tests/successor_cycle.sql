-- A failure means the successors of don_vi.csv (ma_don_vi_ke_thua) form a cycle: following
-- them from an agency comes back to a code it passed, so the restated basis
-- (reorganisation.md), which follows successors until an agency still valid, has none to stop
-- at. Each failing row is a succession on a cycle (agency_code → successor_agency_code), so
-- the rows name every code of every cycle; a code whose chain only leads into a cycle is not
-- listed. Chains without a cycle (A → B → C) pass. Named as reorganisation.md names the check.
--
-- Each code walks its chain for 16 steps with plain joins: no recursive CTE, which Spark SQL
-- lacks, and no CTE read twice per step (Spark inlines CTEs: doubling would read the first
-- one 2^n times). A cycle of more than 16 codes would go unseen; the mergers of 2025 chain
-- 1 to 3 codes.
{%- set steps = 16 %}
with

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

list_successions as (

    select distinct
        agency_code as from_code,
        successor_agency_code as to_code
    from agencies
    where successor_agency_code is not null

),

walk_0 as (

    select distinct
        from_code as start_code,
        from_code as current_code,
        false as has_returned
    from list_successions

),
{% for step in range(1, steps + 1) %}
walk_{{ step }} as (

    -- one succession further; the end of a chain stays where it is
    select distinct
        walk.start_code,
        coalesce(successions.to_code, walk.current_code) as current_code,
        walk.has_returned or coalesce(successions.to_code = walk.start_code, false) as has_returned
    from walk_{{ step - 1 }} as walk
    left join list_successions as successions
        on successions.from_code = walk.current_code

),
{% endfor %}
list_codes_on_cycles as (

    select distinct start_code as agency_code
    from walk_{{ steps }}
    where has_returned

),

final as (

    select
        list_successions.from_code as agency_code,
        list_successions.to_code as successor_agency_code
    from list_successions
    inner join list_codes_on_cycles as from_cycle
        on from_cycle.agency_code = list_successions.from_code
    inner join list_codes_on_cycles as to_cycle
        on to_cycle.agency_code = list_successions.to_code

)

select * from final
