-- A failure means ngay_nghi.csv lists no `nghi` day in a year in which dossiers were received
-- (each failing row: the year and its dossiers): the calendar of that year was never
-- delivered, so Tết and the public holidays count as working days, and every deadline and
-- processing time in working days (wd_*) of those dossiers is wrong (sources.md, "Freshness").
-- The year is the received year: the deadlines count working days from received_at.
{{ config(meta={'dagster': {'ref': {'name': 'stg_reference__calendar_exceptions'}}}) }}

with

calendar_exceptions as (

    select * from {{ ref('stg_reference__calendar_exceptions') }}

),

current_versions as (

    select * from {{ ref('int_dossiers__current_versions') }}

),

count_dossiers_by_year as (

    select
        extract(year from received_at) as received_year,
        count(*) as dossiers
    from current_versions
    where received_at is not null
    group by extract(year from received_at)

),

list_holiday_years as (

    select distinct extract(year from calendar_date) as holiday_year
    from calendar_exceptions
    where exception_type = 'nghi'

),

final as (

    select
        count_dossiers_by_year.received_year,
        count_dossiers_by_year.dossiers
    from count_dossiers_by_year
    left join list_holiday_years
        on list_holiday_years.holiday_year = count_dossiers_by_year.received_year
    where list_holiday_years.holiday_year is null

)

select * from final
