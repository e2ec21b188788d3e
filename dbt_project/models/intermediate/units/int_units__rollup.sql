-- One row per roll-up position and report unit that a counted row at that position counts
-- toward (kpis.md Biểu 06: "an agency's row counts the dossiers whose MaCoQuan is that
-- agency, a district's row the dossiers whose district it is, the province's row all
-- dossiers"; marts.md vneid_coverage: commune, district, province). Every mart that sums
-- counts to its levels joins its rows here (bieu_06, bieu_06_fields, kpi_values,
-- vneid_coverage) instead of repeating the levels: an inner join on the member level and
-- the macro at_rollup_position (macros/report_units.sql) gives each counted row one row per
-- unit it counts toward; its unit_code is the counted row's own code where is_own_unit,
-- else unit_code here.
-- A position is what a counted row carries about where it belongs: its member level (the
-- level of its own code: a dossier's agency, a VNeID snapshot's commune) and its district,
-- fixed on the row's date (a dossier's at reception, int_dossiers__enriched.locate_districts;
-- an agency-month's on its first valid day, int_figures__agency_month_sync; a commune's on
-- the snapshot date, vneid_coverage.locate_districts); null = none (a provincial agency, a
-- commune under no huyện).
-- The member's own code is not part of the position, so a code that is not in don_vi.csv
-- or dvhc.csv (a synced list's MaCoQuan, a commune reported by VNeID only) still counts in
-- its own row and the province's.
-- reorganisation.md (issue 16): the tier and the province of a dossier's date become
-- position columns beside district_code (listed here, matched in macros/report_units.sql,
-- carried by the counted rows like district_code), with a `tier` level and the province of
-- each position; the marts' joins and sums stay as they are.
with

agency_districts as (

    select * from {{ ref('int_units__agency_districts') }}

),

admin_units as (

    select * from {{ ref('stg_reference__admin_units') }}

),

report_units as (

    select * from {{ ref('int_units__report_units') }}

),

find_province as (

    -- the one province of the warehouse (int_units__report_units.rank_provinces)
    select max(unit_code) as province_code
    from report_units
    where level = 'province'

),

list_positions as (

    -- every district a counted row can carry, and none
    select distinct
        'agency' as member_level,
        district_code
    from agency_districts
    where district_code is not null
    union all
    select distinct
        'commune' as member_level,
        admin_unit_code as district_code
    from admin_units
    where admin_unit_level = 'huyen'
    union all
    select 'agency' as member_level, cast(null as {{ dbt.type_string() }}) as district_code
    union all
    select 'commune' as member_level, cast(null as {{ dbt.type_string() }}) as district_code

),

roll_up_members as (

    select
        member_level,
        district_code,
        member_level as level,
        true as is_own_unit,
        cast(null as {{ dbt.type_string() }}) as unit_code
    from list_positions

),

roll_up_districts as (

    select
        member_level,
        district_code,
        'district' as level,
        false as is_own_unit,
        district_code as unit_code
    from list_positions
    where district_code is not null

),

roll_up_province as (

    select
        list_positions.member_level,
        list_positions.district_code,
        'province' as level,
        false as is_own_unit,
        find_province.province_code as unit_code
    from list_positions
    cross join find_province

),

final as (

    select * from roll_up_members
    union all
    select * from roll_up_districts
    union all
    select * from roll_up_province

)

select * from final
