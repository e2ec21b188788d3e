-- One row per snapshot date, level and unit: VNeID coverage (marts.md `vneid_coverage`).
-- Communes roll up to the district that is their parent on the snapshot date; a commune valid
-- on that date and absent from the snapshot is missing (a row with null counts at commune
-- level, counted in communes_missing above); a commune that had ceased is not. Province
-- rows: one per province that the communes' parent chains reach on the snapshot date.
with

commune_snapshots as (

    select * from {{ ref('stg_vneid__commune_snapshots') }}

),

admin_unit_positions as (

    select * from {{ ref('int_units__admin_unit_positions') }}

),

report_units as (

    select * from {{ ref('int_units__report_units') }}

),

unit_rollup as (

    select * from {{ ref('int_units__rollup') }}
    where member_level = 'commune'

),

list_snapshot_dates as (

    select distinct snapshot_date
    from commune_snapshots

),

locate_unit_rows as (

    -- Each unit's row on the snapshot date and its district and province then
    -- (int_units__admin_unit_positions: the row valid then, else the row that ended last
    -- before it, the rule kpis.md gives for agencies).
    select
        list_snapshot_dates.snapshot_date,
        admin_unit_positions.admin_unit_code,
        admin_unit_positions.admin_unit_name,
        admin_unit_positions.admin_unit_level,
        admin_unit_positions.is_valid,
        admin_unit_positions.district_code,
        admin_unit_positions.province_code
    from list_snapshot_dates
    inner join admin_unit_positions
        on admin_unit_positions.valid_from_date <= list_snapshot_dates.snapshot_date
        and (admin_unit_positions.valid_to_date is null
            or admin_unit_positions.valid_to_date >= list_snapshot_dates.snapshot_date)

),

list_expected_communes as (

    select
        snapshot_date,
        admin_unit_code
    from locate_unit_rows
    where admin_unit_level = 'xa' and is_valid

),

combine_communes as (

    select
        coalesce(commune_snapshots.snapshot_date, list_expected_communes.snapshot_date) as snapshot_date,
        coalesce(commune_snapshots.admin_unit_code, list_expected_communes.admin_unit_code) as unit_code,
        commune_snapshots.admin_unit_name as reported_name,
        commune_snapshots.eligible_count,
        commune_snapshots.level_1_count,
        commune_snapshots.level_2_count,
        commune_snapshots.activated_count,
        case when commune_snapshots.admin_unit_code is null then 1 else 0 end as communes_missing
    from commune_snapshots
    full outer join list_expected_communes
        on list_expected_communes.snapshot_date = commune_snapshots.snapshot_date
        and list_expected_communes.admin_unit_code = commune_snapshots.admin_unit_code

),

find_sole_provinces as (

    -- the province of a snapshot date when dvhc.csv has one `tinh` valid then: where a
    -- commune unknown to dvhc.csv counts (decision: with several, it counts in none)
    select
        snapshot_date,
        max(admin_unit_code) as province_code
    from locate_unit_rows
    where admin_unit_level = 'tinh' and is_valid
    group by snapshot_date
    having count(*) = 1

),

locate_districts as (

    -- District: the `huyen` the commune hangs from on the snapshot date (none after mid-2025:
    -- communes then hang from the province). Province: the `tinh` up its parent chain then.
    select
        combine_communes.*,
        coalesce(locate_unit_rows.admin_unit_name, combine_communes.reported_name) as unit_name,
        locate_unit_rows.district_code,
        cast(null as {{ dbt.type_string() }}) as tier_code,
        case
            when locate_unit_rows.admin_unit_code is null then find_sole_provinces.province_code
            else locate_unit_rows.province_code
        end as province_code
    from combine_communes
    left join locate_unit_rows
        on locate_unit_rows.snapshot_date = combine_communes.snapshot_date
        and locate_unit_rows.admin_unit_code = combine_communes.unit_code
    left join find_sole_provinces
        on find_sole_provinces.snapshot_date = combine_communes.snapshot_date

),

roll_up_units as (

    -- each commune row once per unit it counts toward: the commune, its district, the province
    select
        locate_districts.snapshot_date,
        unit_rollup.level,
        {{ rollup_unit_code('unit_rollup', 'locate_districts', 'unit_code') }} as unit_code,
        case when unit_rollup.is_own_unit then locate_districts.unit_name end as commune_name,
        locate_districts.eligible_count,
        locate_districts.level_1_count,
        locate_districts.level_2_count,
        locate_districts.activated_count,
        locate_districts.communes_missing
    from locate_districts
    inner join unit_rollup
        on {{ at_rollup_position('unit_rollup', 'locate_districts') }}

),

sum_units as (

    select
        snapshot_date,
        level,
        unit_code,
        max(commune_name) as commune_name,
        sum(eligible_count) as eligible_count,
        sum(level_1_count) as level_1_count,
        sum(level_2_count) as level_2_count,
        sum(activated_count) as activated_count,
        sum(communes_missing) as communes_missing
    from roll_up_units
    group by snapshot_date, level, unit_code

),

name_units as (

    -- names: a commune's as located above, a district's of its row on the snapshot date, a
    -- province's latest
    select
        sum_units.snapshot_date,
        sum_units.level,
        sum_units.unit_code,
        case sum_units.level
            when 'commune' then sum_units.commune_name
            when 'district' then district_rows.admin_unit_name
            else report_units.unit_name
        end as unit_name,
        sum_units.eligible_count,
        sum_units.level_1_count,
        sum_units.level_2_count,
        sum_units.activated_count,
        sum_units.communes_missing
    from sum_units
    left join locate_unit_rows as district_rows
        on sum_units.level = 'district'
        and district_rows.snapshot_date = sum_units.snapshot_date
        and district_rows.admin_unit_code = sum_units.unit_code
    left join report_units
        on sum_units.level = 'province'
        and report_units.level = 'province'
        and report_units.unit_code = sum_units.unit_code

),

compute_rates as (

    select
        snapshot_date,
        level,
        unit_code,
        unit_name,
        cast(eligible_count as bigint) as eligible,
        cast(level_1_count as bigint) as level_1,
        cast(level_2_count as bigint) as level_2,
        cast(activated_count as bigint) as activated,
        cast(eligible_count - level_1_count - level_2_count as bigint) as without_account,
        case
            when eligible_count > 0
                then cast(level_1_count + level_2_count as double) / eligible_count
        end as coverage_rate,
        case
            when level_1_count + level_2_count > 0
                then cast(activated_count as double) / (level_1_count + level_2_count)
        end as activation_rate,
        cast(communes_missing as bigint) as communes_missing
    from name_units

),

final as (

    select * from compute_rates

)

select * from final
