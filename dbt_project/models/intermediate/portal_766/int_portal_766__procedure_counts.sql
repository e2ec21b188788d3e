-- One row per period (month, quarter, year), province and procedure-level indicator of
-- portal_766.md (3.1, 3.2, 3.5, 3.7): procedures of tthc.csv (every row: the file lists the
-- procedures in force) against the province's dossiers received in the period. A province
-- has rows in the periods it has dossiers in (decision: tthc.csv names no province, so every
-- province is scored on the whole list). There is no payment date: "paid online in the
-- period" is received in it and paid online.
with

procedures as (

    select * from {{ ref('stg_reference__procedures') }}

),

verdicts as (

    select * from {{ ref('int_portal_766__dossier_verdicts') }}
    where province_code is not null

),

list_province_periods as (

    select distinct period_type, period, province_code
    from verdicts

),

summarise_procedure_dossiers as (

    select
        period_type,
        period,
        province_code,
        procedure_code,
        max(case when is_received_online then 1 else 0 end) as has_online_dossier,
        max(case when is_paid_online_received then 1 else 0 end) as has_paid_online_dossier,
        max(case when has_fee_amount then 1 else 0 end) as has_fee_amount_dossier
    from verdicts
    where is_received_in_period
    group by period_type, period, province_code, procedure_code

),

flag_procedures as (

    select
        list_province_periods.period_type,
        list_province_periods.period,
        list_province_periods.province_code,
        case
            when procedures.online_service_level in ('toan_trinh', 'mot_phan') then 1 else 0
        end as is_online_service,
        case when procedures.has_fee then 1 else 0 end as is_fee_charging,
        coalesce(summarise_procedure_dossiers.has_online_dossier, 0) as has_online_dossier,
        coalesce(summarise_procedure_dossiers.has_paid_online_dossier, 0) as has_paid_online_dossier,
        coalesce(summarise_procedure_dossiers.has_fee_amount_dossier, 0) as has_fee_amount_dossier
    from list_province_periods
    cross join procedures
    left join summarise_procedure_dossiers
        on summarise_procedure_dossiers.period_type = list_province_periods.period_type
        and summarise_procedure_dossiers.period = list_province_periods.period
        and summarise_procedure_dossiers.province_code = list_province_periods.province_code
        and summarise_procedure_dossiers.procedure_code = procedures.procedure_code

),

count_indicators as (

    select period_type, period, province_code, '3.1' as indicator_code,
        sum(is_online_service) as numerator, count(*) as denominator
    from flag_procedures
    group by period_type, period, province_code
    union all
    select period_type, period, province_code, '3.2' as indicator_code,
        sum(is_online_service * has_online_dossier) as numerator, sum(is_online_service) as denominator
    from flag_procedures
    group by period_type, period, province_code
    union all
    select period_type, period, province_code, '3.5' as indicator_code,
        sum(is_fee_charging * has_paid_online_dossier) as numerator, sum(is_fee_charging) as denominator
    from flag_procedures
    group by period_type, period, province_code
    union all
    select period_type, period, province_code, '3.7' as indicator_code,
        sum(is_fee_charging * has_fee_amount_dossier) as numerator, sum(is_fee_charging) as denominator
    from flag_procedures
    group by period_type, period, province_code

),

final as (

    select
        period_type,
        period,
        'province' as level,
        province_code as unit_code,
        indicator_code,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator
    from count_indicators
    where denominator > 0

)

select * from final
