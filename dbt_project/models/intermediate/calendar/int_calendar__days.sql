-- One row per date of the calendar spine, with the working-day flag and the working-day
-- ordinal that the wd_* macros join on (macros/working_days.sql).
with

calendar_exceptions as (

    select * from {{ ref('stg_reference__calendar_exceptions') }}

),

spine as (

    {{ date_spine_days(var('calendar_start_date'), var('calendar_end_date')) }}

),

flag_working_days as (

    -- kpis.md: Monday to Friday not listed as `nghi`, or any date listed as `lam_bu`.
    select
        spine.calendar_date,
        {{ iso_day_of_week('spine.calendar_date') }} as iso_day_of_week,
        case
            when calendar_exceptions.exception_type = 'lam_bu' then true
            when calendar_exceptions.exception_type = 'nghi' then false
            else {{ iso_day_of_week('spine.calendar_date') }} <= 5
        end as is_working_day
    from spine
    left join calendar_exceptions
        on calendar_exceptions.calendar_date = spine.calendar_date

),

number_working_days as (

    -- ordinal(d) = working days on or before d since the spine start; a non-working day
    -- carries the ordinal of the working day before it.
    select
        calendar_date,
        iso_day_of_week,
        is_working_day,
        cast(sum(case when is_working_day then 1 else 0 end) over (
            order by calendar_date
            rows between unbounded preceding and current row
        ) as bigint) as working_day_ordinal
    from flag_working_days

),

final as (

    select * from number_working_days

)

select * from final
