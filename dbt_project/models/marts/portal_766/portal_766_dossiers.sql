-- One row per month and dossier in the denominator of the portal's indicator 2.1 that month
-- (Biểu 06 column 3): its 2.1 verdict at the month's end with the reason code, and whether it
-- counts in 3.3's and 3.6's numerators (received in the month only): the dossiers behind
-- every lost point (marts.md).
with

verdicts as (

    select * from {{ ref('int_portal_766__dossier_verdicts') }}
    where period_type = 'month'

),

final as (

    select
        period_type,
        period,
        period_start,
        period_end,
        dossier_code,
        agency_code,
        is_on_time,
        reason,
        is_online_counted,
        is_paid_online_counted
    from verdicts

)

select * from final
