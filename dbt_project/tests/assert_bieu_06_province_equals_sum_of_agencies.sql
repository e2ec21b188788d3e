-- A failure means the province row of Biểu 06 does not count exactly the dossiers of its
-- agencies: a dossier was lost or counted twice between the agency and province roll-ups.
with

bieu_06 as (

    select * from {{ ref('bieu_06') }}

),

sum_agencies as (

    select
        period_type,
        period,
        sum(total) as total,
        sum(resolved) as resolved,
        sum(in_progress_overdue) as in_progress_overdue
    from bieu_06
    where level = 'agency'
    group by period_type, period

),

final as (

    select
        sum_agencies.period_type,
        sum_agencies.period
    from sum_agencies
    left join bieu_06 as province_rows
        on province_rows.level = 'province'
        and province_rows.period_type = sum_agencies.period_type
        and province_rows.period = sum_agencies.period
    where province_rows.total is null
        or province_rows.total <> sum_agencies.total
        or province_rows.resolved <> sum_agencies.resolved
        or province_rows.in_progress_overdue <> sum_agencies.in_progress_overdue

)

select * from final
