-- One row per dossier and period in which an event outside Biểu 06 col 3 happens: a refusal
-- at reception (status 3, refused_at in the period) or a result handed over by post
-- (status 10, result by post, returned_at in the period).
with

dossiers as (

    select * from {{ ref('int_dossiers__enriched') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

match_refusals as (

    select
        periods.period_type,
        periods.period,
        dossiers.dossier_code,
        dossiers.agency_code,
        dossiers.district_code,
        dossiers.tier_code,
        dossiers.province_code,
        dossiers.field_code,
        dossiers.field_name,
        1 as refused,
        0 as postal_returned,
        0 as postal_return_working_days
    from dossiers
    inner join periods
        on dossiers.refused_at >= periods.period_start_at
        and dossiers.refused_at <= periods.period_end_at
    where dossiers.status = {{ code('status_refused') }}

),

match_postal_returns as (

    select
        periods.period_type,
        periods.period,
        dossiers.dossier_code,
        dossiers.agency_code,
        dossiers.district_code,
        dossiers.tier_code,
        dossiers.province_code,
        dossiers.field_code,
        dossiers.field_name,
        0 as refused,
        1 as postal_returned,
        dossiers.postal_return_working_days
    from dossiers
    inner join periods
        on dossiers.returned_at >= periods.period_start_at
        and dossiers.returned_at <= periods.period_end_at
    where dossiers.status = {{ code('status_result_returned') }}
        and dossiers.result_delivery_method = {{ code('result_delivery_post') }}

),

final as (

    select * from match_refusals
    union all
    select * from match_postal_returns

)

select * from final
