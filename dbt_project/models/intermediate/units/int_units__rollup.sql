-- One row per roll-up position and report unit that a counted row at that position counts
-- toward (kpis.md Biểu 06: "an agency's row counts the dossiers whose MaCoQuan is that
-- agency, a district's row the dossiers whose district it is"; reorganisation.md: a tier's
-- row the dossiers of its cap, a province's row the dossiers whose province it is;
-- marts.md vneid_coverage: commune, district, province). Every mart that sums
-- counts to its levels joins its rows here (bieu_06, bieu_06_fields, kpi_values,
-- vneid_coverage) instead of repeating the levels: an inner join on the member level and
-- the macro at_rollup_position (macros/report_units.sql) gives each counted row one row per
-- unit it counts toward; its unit_code is the counted row's own code where is_own_unit,
-- else unit_code here.
-- A position is what a counted row carries about where it belongs: its member level (the
-- level of its own code: a dossier's agency, a VNeID snapshot's commune) and its district,
-- tier and province, fixed on the row's date (a dossier's at reception,
-- int_dossiers__enriched.locate_districts; an agency-month's on its first valid day,
-- int_figures__agency_month_sync; a commune's on the snapshot date,
-- vneid_coverage.locate_districts; on the restated basis, the restated agency's at
-- data_through, int_units__restated_agencies); null = none (a provincial agency has no
-- district, a dossier received from 1 July 2025 neither, a commune has no tier).
-- The member's own code is not part of the position, so a code that is not in don_vi.csv
-- or dvhc.csv (a synced list's MaCoQuan, a commune reported by VNeID only) still counts in
-- its own row (and in no other, having no position: decision, with several provinces there is
-- no province to put it in).
-- The positions of agencies are the distinct ones of int_units__agency_districts (every
-- position a counted row of an agency takes comes from there) and none; those of communes
-- every district and province of dvhc.csv (and none) crossed, a few hundred rows.
with

agency_districts as (

    select * from {{ ref('int_units__agency_districts') }}

),

admin_units as (

    select * from {{ ref('stg_reference__admin_units') }}

),

list_commune_districts as (

    select distinct admin_unit_code as district_code
    from admin_units
    where admin_unit_level = 'huyen'
    union all
    select cast(null as {{ dbt.type_string() }}) as district_code

),

list_commune_provinces as (

    select distinct admin_unit_code as province_code
    from admin_units
    where admin_unit_level = 'tinh'
    union all
    select cast(null as {{ dbt.type_string() }}) as province_code

),

list_positions as (

    select distinct
        'agency' as member_level,
        district_code,
        tier_code,
        province_code
    from agency_districts
    union
    select
        'agency' as member_level,
        cast(null as {{ dbt.type_string() }}) as district_code,
        cast(null as {{ dbt.type_string() }}) as tier_code,
        cast(null as {{ dbt.type_string() }}) as province_code
    union all
    select
        'commune' as member_level,
        list_commune_districts.district_code,
        cast(null as {{ dbt.type_string() }}) as tier_code,
        list_commune_provinces.province_code
    from list_commune_districts
    cross join list_commune_provinces

),

roll_up_members as (

    select
        member_level,
        district_code,
        tier_code,
        province_code,
        member_level as level,
        true as is_own_unit,
        cast(null as {{ dbt.type_string() }}) as unit_code
    from list_positions

),

roll_up_districts as (

    select
        member_level,
        district_code,
        tier_code,
        province_code,
        'district' as level,
        false as is_own_unit,
        district_code as unit_code
    from list_positions
    where district_code is not null

),

roll_up_tiers as (

    -- tinh / huyen / xa (reorganisation.md: the tier rows of a period sum to its province rows)
    select
        member_level,
        district_code,
        tier_code,
        province_code,
        'tier' as level,
        false as is_own_unit,
        tier_code as unit_code
    from list_positions
    where tier_code is not null

),

roll_up_provinces as (

    select
        member_level,
        district_code,
        tier_code,
        province_code,
        'province' as level,
        false as is_own_unit,
        province_code as unit_code
    from list_positions
    where province_code is not null

),

final as (

    select * from roll_up_members
    union all
    select * from roll_up_districts
    union all
    select * from roll_up_tiers
    union all
    select * from roll_up_provinces

)

select * from final
