-- One row per period (month, quarter, year), level (agency, province), unit and computable
-- indicator of the portal's 766 rules (marts.md, portal_766.md): numerator, denominator,
-- rate, and the points of the rule set valid on the period's last day. Agencies carry 1.4,
-- 2.1, 3.3, 3.6, 4.1–4.5 and 5.4; the province also 1.1, 1.2, 3.1, 3.2, 3.5 and 3.7. 1.3,
-- 5.2 and 5.3 have no source here (no content fields, no feedback source): never a row.
-- Agency rows hold the dossiers the portal counts under the agency at the period's end (a
-- successor those of the agencies that ended before it: int_portal_766__period_agencies);
-- province rows every dossier of the province, whatever its agency became.
with

dossier_counts as (

    select * from {{ ref('int_portal_766__dossier_counts') }}

),

procedure_counts as (

    select * from {{ ref('int_portal_766__procedure_counts') }}

),

publication_counts as (

    select * from {{ ref('int_portal_766__publication_counts') }}

),

sync_counts as (

    select * from {{ ref('int_portal_766__sync_counts') }}

),

period_rules as (

    select * from {{ ref('int_portal_766__period_rules') }}

),

period_names as (

    select * from {{ ref('int_units__period_names') }}

),

combine_counts as (

    select period_type, period, level, unit_code, indicator_code, numerator, denominator from dossier_counts
    union all
    select period_type, period, level, unit_code, indicator_code, numerator, denominator from procedure_counts
    union all
    select period_type, period, level, unit_code, indicator_code, numerator, denominator from publication_counts
    union all
    select period_type, period, level, unit_code, indicator_code, numerator, denominator from sync_counts

),

compute_rates as (

    -- 3.3's published rate is numerator / denominator × the unit's sync_rate_766 of the same
    -- period (portal_766.md), null without a loaded synced list; every other rate is
    -- numerator / denominator.
    select
        combine_counts.*,
        case
            when combine_counts.indicator_code = '3.3'
                then cast(combine_counts.numerator as double) / combine_counts.denominator
                    * (cast(sync_counts.numerator as double) / sync_counts.denominator)
            else cast(combine_counts.numerator as double) / combine_counts.denominator
        end as rate
    from combine_counts
    left join sync_counts
        on combine_counts.indicator_code = '3.3'
        and sync_counts.period_type = combine_counts.period_type
        and sync_counts.period = combine_counts.period
        and sync_counts.level = combine_counts.level
        and sync_counts.unit_code = combine_counts.unit_code

),

score_points as (

    -- points = max_points × min(1, rate / full_at), not rounded; formula names any other
    -- shape (none yet: an unknown formula scores nothing rather than a wrong number). A null
    -- rate has no points: least() skips nulls on both engines, so it is tested first.
    select
        period_rules.period_type,
        period_rules.period,
        period_rules.period_start,
        period_rules.period_end,
        compute_rates.level,
        compute_rates.unit_code,
        period_rules.rule_set,
        compute_rates.indicator_code,
        period_rules.group_code,
        compute_rates.numerator,
        compute_rates.denominator,
        compute_rates.rate,
        period_rules.max_points,
        case
            when compute_rates.rate is null then null
            when period_rules.formula = 'linear'
                then period_rules.max_points * least(1.0, compute_rates.rate / period_rules.full_at)
        end as points
    from compute_rates
    inner join period_rules
        on period_rules.period_type = compute_rates.period_type
        and period_rules.period = compute_rates.period
        and period_rules.indicator_code = compute_rates.indicator_code

),

name_units as (

    select
        score_points.period_type,
        score_points.period,
        score_points.period_start,
        score_points.period_end,
        score_points.level,
        score_points.unit_code,
        period_names.unit_name,
        score_points.rule_set,
        score_points.indicator_code,
        score_points.group_code,
        score_points.numerator,
        score_points.denominator,
        cast(score_points.rate as double) as rate,
        cast(score_points.max_points as double) as max_points,
        cast(score_points.points as double) as points,
        cast(score_points.max_points - score_points.points as double) as points_lost
    from score_points
    left join period_names
        on period_names.period_type = score_points.period_type
        and period_names.period = score_points.period
        and period_names.level = score_points.level
        and period_names.unit_code = score_points.unit_code

),

final as (

    select * from name_units

)

select * from final
