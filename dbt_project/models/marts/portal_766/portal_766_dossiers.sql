-- One row per month and dossier in the denominator of the portal's indicator 2.1 that month
-- (Biểu 06 column 3): its 2.1 verdict at the month's end with the reason code, and whether it
-- counts in 3.3's and 3.6's numerators (received in the month only): the dossiers behind
-- every lost point (marts.md).
-- agency_code is the agency the portal counts the dossier under at the month's end, the
-- unit_code of its agency rows in portal_766_indicators and portal_766_scores: the dossier's
-- MaCoQuan, or, when that agency ended before the month's end, its successor
-- (int_portal_766__period_agencies). An open dossier of a district office that ended on
-- 30 June 2025 is under the office in June and under its successor from July.
with

verdicts as (

    select * from {{ ref('int_portal_766__dossier_verdicts') }}
    where period_type = 'month'

),

period_agencies as (

    select * from {{ ref('int_portal_766__period_agencies') }}
    where period_type = 'month'

),

final as (

    select
        verdicts.period_type,
        verdicts.period,
        verdicts.period_start,
        verdicts.period_end,
        verdicts.dossier_code,
        -- a code unknown to don_vi.csv has no row there: it stays as delivered
        coalesce(period_agencies.portal_agency_code, verdicts.agency_code) as agency_code,
        verdicts.is_on_time,
        verdicts.reason,
        verdicts.is_online_counted,
        verdicts.is_paid_online_counted
    from verdicts
    left join period_agencies
        on period_agencies.period = verdicts.period
        and period_agencies.agency_code = verdicts.agency_code

)

select * from final
