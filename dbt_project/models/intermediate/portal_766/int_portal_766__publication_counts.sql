-- One row per period (month, quarter, year) and province with a provincial publication
-- decision (cong_bo.csv ngay_qd_tinh) in the period: indicators 1.1 (published on time) and
-- 1.2 (made public on time), kpis.md's publication rules counted over the period's decisions
-- instead of the year's (portal_766.md). A procedure counts once per province and period, late
-- if any of its decisions is late; "due to be made public" is judged at the period's last day
-- (kpis.md judges it at the year's). The province is the publishing agency's (dvhc chain) on
-- the decision date. A period without a decision has no row (null rate).
with

procedure_publications as (

    select * from {{ ref('stg_reference__procedure_publications') }}
    where provincial_decision_date is not null

),

agency_districts as (

    select * from {{ ref('int_units__agency_districts') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}
    where period_type in ('month', 'quarter', 'year')

),

compute_deadlines as (

    select
        procedure_publications.procedure_code,
        procedure_publications.publishing_agency_code,
        procedure_publications.provincial_decision_date,
        procedure_publications.made_public_date,
        publication_due_day.calendar_date as publication_due_date,
        made_public_due_day.calendar_date as made_public_due_date
    from procedure_publications
    {{ join_calendar('effective_day', 'procedure_publications.legal_basis_effective_date') }}
    {{ join_wd_sub('publication_due_day', 'effective_day', 5) }}
    {{ join_calendar('decision_day', 'procedure_publications.provincial_decision_date') }}
    {{ join_wd_add('made_public_due_day', 'decision_day', 5) }}

),

locate_provinces as (

    select
        compute_deadlines.*,
        agency_districts.province_code
    from compute_deadlines
    inner join agency_districts
        on agency_districts.agency_code = compute_deadlines.publishing_agency_code
        and compute_deadlines.provincial_decision_date >= agency_districts.valid_from_date
        and (agency_districts.valid_to_date is null
            or compute_deadlines.provincial_decision_date <= agency_districts.valid_to_date)
    where agency_districts.province_code is not null

),

judge_decisions as (

    -- As publication_timeliness: a decision without the legal basis' effective date cannot
    -- be published late.
    select
        periods.period_type,
        periods.period,
        locate_provinces.province_code,
        locate_provinces.procedure_code,
        case
            when locate_provinces.publication_due_date is not null
                and locate_provinces.provincial_decision_date > locate_provinces.publication_due_date
                then 1 else 0
        end as is_published_late,
        case
            when locate_provinces.made_public_date is not null
                or locate_provinces.made_public_due_date <= periods.period_end
                then 1 else 0
        end as is_made_public_due,
        case
            when (locate_provinces.made_public_date is not null
                or locate_provinces.made_public_due_date <= periods.period_end)
                and not coalesce(
                    locate_provinces.made_public_date <= locate_provinces.made_public_due_date, false
                )
                then 1 else 0
        end as is_made_public_late
    from locate_provinces
    inner join periods
        on locate_provinces.provincial_decision_date >= periods.period_start
        and locate_provinces.provincial_decision_date <= periods.period_end

),

count_per_procedure as (

    select
        period_type,
        period,
        province_code,
        procedure_code,
        max(is_published_late) as is_published_late,
        max(is_made_public_due) as is_made_public_due,
        max(is_made_public_late) as is_made_public_late
    from judge_decisions
    group by period_type, period, province_code, procedure_code

),

count_indicators as (

    select period_type, period, province_code, '1.1' as indicator_code,
        sum(1 - is_published_late) as numerator, count(*) as denominator
    from count_per_procedure
    group by period_type, period, province_code
    union all
    select period_type, period, province_code, '1.2' as indicator_code,
        sum(case when is_made_public_due = 1 and is_made_public_late = 0 then 1 else 0 end) as numerator,
        sum(is_made_public_due) as denominator
    from count_per_procedure
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
