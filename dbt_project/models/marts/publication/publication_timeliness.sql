-- One row per publishing agency and year of the provincial decision (ngay_qd_tinh):
-- 766 indicators 1.1 and 1.2 (kpis.md "Publication of procedure lists").
with

procedure_publications as (

    select * from {{ ref('stg_reference__procedure_publications') }}

),

report_units as (

    select * from {{ ref('int_units__report_units') }}

),

compute_deadlines as (

    select
        procedure_publications.publishing_agency_code,
        procedure_publications.procedure_code,
        cast(extract(year from procedure_publications.provincial_decision_date) as integer) as decision_year,
        procedure_publications.provincial_decision_date,
        procedure_publications.made_public_date,
        {{ last_day_of_year('procedure_publications.provincial_decision_date') }} as year_end_date,
        publication_due_day.calendar_date as publication_due_date,
        made_public_due_day.calendar_date as made_public_due_date
    from procedure_publications
    {{ join_calendar('effective_day', 'procedure_publications.legal_basis_effective_date') }}
    {{ join_wd_sub('publication_due_day', 'effective_day', 5) }}
    {{ join_calendar('decision_day', 'procedure_publications.provincial_decision_date') }}
    {{ join_wd_add('made_public_due_day', 'decision_day', 5) }}
    where procedure_publications.provincial_decision_date is not null

),

judge_decisions as (

    -- Decision (spec silent): a decision without the legal basis' effective date cannot be
    -- late. A decision is due for "made public" when it was made public or its deadline is
    -- on or before 31/12 of its year; a due decision is on time when made public by then.
    select
        publishing_agency_code,
        procedure_code,
        decision_year,
        case
            when publication_due_date is not null and provincial_decision_date > publication_due_date
                then 1 else 0
        end as is_published_late,
        case
            when made_public_date is not null
                or made_public_due_date <= year_end_date
                then 1 else 0
        end as is_made_public_due,
        case
            when (made_public_date is not null
                or made_public_due_date <= year_end_date)
                and not coalesce(made_public_date <= made_public_due_date, false)
                then 1 else 0
        end as is_made_public_late
    from compute_deadlines

),

count_per_procedure as (

    -- A procedure counts once per agency and year; late if any of its decisions is late.
    select
        publishing_agency_code,
        decision_year,
        procedure_code,
        max(is_published_late) as is_published_late,
        max(is_made_public_due) as is_made_public_due,
        max(is_made_public_late) as is_made_public_late
    from judge_decisions
    group by publishing_agency_code, decision_year, procedure_code

),

count_per_agency as (

    select
        decision_year,
        publishing_agency_code,
        count(*) as procedures_published,
        sum(1 - is_published_late) as published_on_time,
        sum(is_made_public_due) as made_public_due,
        sum(case when is_made_public_due = 1 and is_made_public_late = 0 then 1 else 0 end) as made_public_on_time
    from count_per_procedure
    group by decision_year, publishing_agency_code

),

final as (

    select
        count_per_agency.decision_year as year,
        count_per_agency.publishing_agency_code as agency_code,
        report_units.unit_name as agency_name,
        cast(count_per_agency.procedures_published as bigint) as procedures_published,
        cast(count_per_agency.published_on_time as bigint) as published_on_time,
        cast(count_per_agency.made_public_due as bigint) as made_public_due,
        cast(count_per_agency.made_public_on_time as bigint) as made_public_on_time,
        case
            when count_per_agency.procedures_published > 0
                then cast(count_per_agency.published_on_time as double) / count_per_agency.procedures_published
        end as publication_on_time_rate,
        case
            when count_per_agency.made_public_due > 0
                then cast(count_per_agency.made_public_on_time as double) / count_per_agency.made_public_due
        end as made_public_on_time_rate,
        case
            when count_per_agency.procedures_published > 0
                then 6 * cast(count_per_agency.published_on_time as double) / count_per_agency.procedures_published
        end as publication_score,
        case
            when count_per_agency.made_public_due > 0
                then 4 * cast(count_per_agency.made_public_on_time as double) / count_per_agency.made_public_due
        end as made_public_score
    from count_per_agency
    left join report_units
        on report_units.level = 'agency'
        and report_units.unit_code = count_per_agency.publishing_agency_code

)

select * from final
