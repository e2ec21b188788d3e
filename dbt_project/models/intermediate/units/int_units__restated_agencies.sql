-- One row per agency code of don_vi.csv: the agency that carries its work on at data_through
-- (reorganisation.md "Two bases", restated) and that agency's position then, which the
-- restated marts count the code's dossiers and agency-months under.
-- While the current code has no row valid at data_through, move to the ma_don_vi_ke_thua of
-- its last row; stop at the first code valid at data_through, or at a code without a
-- successor (its dossiers stay under it). The restated agency depends on the code alone, not
-- on a dossier's date, so one row per code serves every dossier (and every agency-month), and
-- the per-dossier models, incremental on DuckDB, do not carry it: it moves with data_through.
-- Chains are walked with plain joins (macros/rows_in_force.sql walk_successors, 8 steps).
{%- set steps = 8 %}
with

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

agency_districts as (

    select * from {{ ref('int_units__agency_districts') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

find_data_through as (

    select max(period_end) as data_through_date
    from periods

),

rank_last_rows as (

    select
        agency_code,
        successor_agency_code,
        row_number() over (
            partition by agency_code
            order by valid_from_date desc, valid_to_date desc
        ) as row_rank
    from agencies

),

flag_codes_valid_at_data_through as (

    select
        agencies.agency_code,
        max(case
            when agencies.valid_from_date <= find_data_through.data_through_date
                and (agencies.valid_to_date is null
                    or agencies.valid_to_date >= find_data_through.data_through_date)
                then 1
            else 0
        end) = 1 as is_valid_at_data_through
    from agencies
    cross join find_data_through
    group by agencies.agency_code

),

list_codes as (

    -- each code, whether it is valid at data_through, and the successor of its last row
    select
        rank_last_rows.agency_code,
        rank_last_rows.successor_agency_code,
        flag_codes_valid_at_data_through.is_valid_at_data_through
    from rank_last_rows
    inner join flag_codes_valid_at_data_through
        on flag_codes_valid_at_data_through.agency_code = rank_last_rows.agency_code
    where rank_last_rows.row_rank = 1

),

walk_0 as (

    select
        agency_code,
        agency_code as current_code
    from list_codes

),
-- one succession a step, unless the current code is valid at data_through or has no successor
{{ walk_successors(['agency_code'], 'not current_codes.is_valid_at_data_through', steps) }}
rank_restated_positions as (

    -- The restated agency's position: its row valid at data_through, else its last row
    -- (the interval of int_units__agency_districts that holds data_through, else its last).
    -- A successor unknown to don_vi.csv has no position (its own row only).
    select
        walk_{{ steps }}.agency_code,
        walk_{{ steps }}.current_code as restated_agency_code,
        agency_districts.district_code,
        agency_districts.tier_code,
        agency_districts.province_code,
        row_number() over (
            partition by walk_{{ steps }}.agency_code
            order by
                case
                    when agency_districts.valid_from_date <= find_data_through.data_through_date
                        and (agency_districts.valid_to_date is null
                            or agency_districts.valid_to_date >= find_data_through.data_through_date)
                        then 0
                    else 1
                end,
                agency_districts.valid_from_date desc
        ) as position_rank
    from walk_{{ steps }}
    cross join find_data_through
    left join agency_districts
        on agency_districts.agency_code = walk_{{ steps }}.current_code

),

final as (

    select
        agency_code,
        restated_agency_code,
        district_code,
        tier_code,
        province_code
    from rank_restated_positions
    where position_rank = 1

)

select * from final
