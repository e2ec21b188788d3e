-- One row per period (month, quarter, year) and agency code of don_vi.csv: the agency the
-- national portal counts the code's dossiers under in that period (portal_agency_code). The
-- portal drills its 766 report down to the agencies in force at the period's end, so the
-- dossiers of an agency that ended before that day (a department merged on 1 March 2025, a
-- district office abolished on 1 July 2025) count under the agency that took them over.
-- Rule (decision; portal_766.md does not name the agency): from the dossier's agency
-- (MaCoQuan), while the current code has ENDED before the period's end (its last row's
-- hieu_luc_den < period_end, so no row is valid then), move to the ma_don_vi_ke_thua of its
-- last row; stop at the first code that has not ended by period_end, or at a code without a
-- successor (the dossiers stay under it). period_end is the period's last day, or
-- data_through in the period that holds it (int_calendar__periods), as for every rule here.
-- It is the restated agency of int_units__restated_agencies taken at each period's end
-- instead of data_through, with one difference: a code that has not started yet at the
-- period's end (its first row begins later) is not "no longer valid" and stays itself.
-- Chains are walked with plain joins, as int_units__restated_agencies (macros/rows_in_force.sql
-- walk_successors, 8 steps).
{%- set steps = 8 %}
with

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}
    where period_type in ('month', 'quarter', 'year')

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

summarise_validity as (

    -- the day the code's last row ends; null while a row is open (hieu_luc_den empty)
    select
        agency_code,
        case
            when max(case when valid_to_date is null then 1 else 0 end) = 1 then null
            else max(valid_to_date)
        end as last_valid_to_date
    from agencies
    group by agency_code

),

list_codes as (

    -- each code, the end of its last row and the successor that row names
    select
        rank_last_rows.agency_code,
        rank_last_rows.successor_agency_code,
        summarise_validity.last_valid_to_date
    from rank_last_rows
    inner join summarise_validity
        on summarise_validity.agency_code = rank_last_rows.agency_code
    where rank_last_rows.row_rank = 1

),

walk_0 as (

    select
        periods.period_type,
        periods.period,
        periods.period_end,
        list_codes.agency_code,
        list_codes.agency_code as current_code
    from periods
    cross join list_codes

),
-- one succession a step, while the current code ended before the period's end and names a
-- successor (a successor unknown to don_vi.csv ends the walk there)
{{ walk_successors(['period_type', 'period', 'period_end', 'agency_code'],
                   'current_codes.last_valid_to_date < walk.period_end', steps) }}
final as (

    select
        period_type,
        period,
        period_end,
        agency_code,
        current_code as portal_agency_code
    from walk_{{ steps }}

)

select * from final
