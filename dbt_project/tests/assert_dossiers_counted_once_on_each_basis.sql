-- A failure means a dossier is not counted exactly once on one of the two bases
-- (reorganisation.md "Two bases"): in a month, the agency rows of bieu_06 or of
-- bieu_06_restated do not total the dossiers to handle (int_figures__dossier_periods has one
-- row per dossier and month), or in a longer period the restated agency rows do not total the
-- as-was ones. Each failing row: the period, the dossiers to handle and the two totals.
-- An asset check of bieu_06_restated (meta.dagster.ref), so that the publish gate reads it.
{{ config(meta={'dagster': {'ref': {'name': 'bieu_06_restated'}}}) }}
with

dossier_periods as (

    select * from {{ ref('int_figures__dossier_periods') }}

),

bieu_06 as (

    select * from {{ ref('bieu_06') }}

),

bieu_06_restated as (

    select * from {{ ref('bieu_06_restated') }}

),

count_dossiers as (

    select
        period_type,
        period,
        count(*) as dossiers
    from dossier_periods
    group by period_type, period

),

sum_as_was_agencies as (

    select period_type, period, sum(total) as total
    from bieu_06
    where level = 'agency'
    group by period_type, period

),

sum_restated_agencies as (

    select period_type, period, sum(total) as total
    from bieu_06_restated
    where level = 'agency'
    group by period_type, period

),

final as (

    select
        coalesce(as_was.period_type, restated.period_type) as period_type,
        coalesce(as_was.period, restated.period) as period,
        count_dossiers.dossiers,
        as_was.total as as_was_total,
        restated.total as restated_total
    from sum_as_was_agencies as as_was
    full outer join sum_restated_agencies as restated
        on restated.period_type = as_was.period_type
        and restated.period = as_was.period
    left join count_dossiers
        on count_dossiers.period_type = coalesce(as_was.period_type, restated.period_type)
        and count_dossiers.period = coalesce(as_was.period, restated.period)
    where {{ values_differ('as_was.total', 'restated.total') }}
        or (count_dossiers.period is not null
            and {{ values_differ('count_dossiers.dossiers', 'as_was.total') }})

)

select * from final
