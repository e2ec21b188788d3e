-- One row per month, level (agency, province), unit and group of the portal's 766 index
-- (the six groups and `total`): the recomputed points against the portal's published
-- `Điểm …` cells (portal_766.md "Scores and their reconciliation"). A unit-month exists when
-- it has an indicator row that month or a row in the month's 766 report: an agency row for
-- an agency, the `Tổng cộng` row for the province. The province's portal scores are that
-- row's `Điểm …` cells (sources.md 2a: the province's own scores, not sums), kept by the
-- ingest in raw/portal_766_totals and given their province in int_portal_766__province_reports.
-- An agency's recomputed points count the dossiers the portal counts under it at the month's
-- end (int_portal_766__period_agencies, through portal_766_indicators): the dossiers of an
-- agency that ended before the month's end are its successor's, as in the report's rows, so
-- an ended agency has no unit-month of its own after its end.
{%- set portal_columns = [
    ('cong_khai', 'publicity_score'),
    ('tien_do', 'progress_score'),
    ('dvctt', 'online_service_score'),
    ('thanh_toan', 'payment_score'),
    ('so_hoa', 'digitization_score'),
    ('hai_long', 'satisfaction_score'),
    ('total', 'total_score'),
] %}
with

indicators as (

    select * from {{ ref('portal_766_indicators') }}
    where period_type = 'month'

),

period_rules as (

    select * from {{ ref('int_portal_766__period_rules') }}
    where period_type = 'month'

),

agency_reports as (

    select * from {{ ref('stg_dvc_portal__agency_reports') }}

),

province_reports as (

    -- a report whose province is not known (province_code null) reaches no province row
    select * from {{ ref('int_portal_766__province_reports') }}
    where province_code is not null

),

period_names as (

    select * from {{ ref('int_units__period_names') }}
    where period_type = 'month'

),

list_unit_months as (

    select distinct period, level, unit_code
    from indicators
    union
    select agency_reports.report_month as period, 'agency' as level, agency_reports.agency_code as unit_code
    from agency_reports
    inner join (select distinct period from period_rules) as scored_months
        on scored_months.period = agency_reports.report_month
    union
    select province_reports.report_month as period, 'province' as level, province_reports.province_code as unit_code
    from province_reports
    inner join (select distinct period from period_rules) as scored_months
        on scored_months.period = province_reports.report_month

),

list_rule_groups as (

    -- The groups of the rule set in force, with the number of indicators each has.
    select
        period,
        max(rule_set) as rule_set,
        group_code,
        count(*) as rule_indicator_count
    from period_rules
    group by period, group_code

),

sum_groups as (

    -- A group is recomputed when every indicator of it has points at this level; otherwise
    -- it shows the sum of those that have (null when none has).
    select
        list_unit_months.period,
        list_unit_months.level,
        list_unit_months.unit_code,
        list_rule_groups.rule_set,
        list_rule_groups.group_code,
        -- summed as decimals: a sum of doubles depends on the order DuckDB's threads add them
        -- in, and the same inputs must give the same mart, byte for byte
        cast(sum(cast(indicators.points as decimal(38, 12))) as double) as recomputed_points,
        count(indicators.points) = max(list_rule_groups.rule_indicator_count) as is_recomputed
    from list_unit_months
    inner join list_rule_groups
        on list_rule_groups.period = list_unit_months.period
    left join indicators
        on indicators.period = list_unit_months.period
        and indicators.level = list_unit_months.level
        and indicators.unit_code = list_unit_months.unit_code
        and indicators.group_code = list_rule_groups.group_code
    group by
        list_unit_months.period,
        list_unit_months.level,
        list_unit_months.unit_code,
        list_rule_groups.rule_set,
        list_rule_groups.group_code

),

unpivot_portal_scores as (

    -- Agency rows of the report, and its Tổng cộng row for the province; `total` is Tổng điểm.
    {% for group_code, column in portal_columns %}
    select
        report_month as period,
        'agency' as level,
        agency_code as unit_code,
        '{{ group_code }}' as group_code,
        {{ column }} as portal_points
    from agency_reports
    union all
    select
        report_month as period,
        'province' as level,
        province_code as unit_code,
        '{{ group_code }}' as group_code,
        {{ column }} as portal_points
    from province_reports
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

attach_portal_scores as (

    select
        sum_groups.*,
        unpivot_portal_scores.portal_points,
        unpivot_portal_scores.unit_code is not null as has_portal_row
    from sum_groups
    left join unpivot_portal_scores
        on unpivot_portal_scores.period = sum_groups.period
        and unpivot_portal_scores.level = sum_groups.level
        and unpivot_portal_scores.unit_code = sum_groups.unit_code
        and unpivot_portal_scores.group_code = sum_groups.group_code

),

estimate_totals as (

    -- total = the recomputed groups + the portal's score of every other group; null when a
    -- portal score it needs is missing (no row, or a blank cell).
    select
        attach_portal_scores.period,
        attach_portal_scores.level,
        attach_portal_scores.unit_code,
        max(attach_portal_scores.rule_set) as rule_set,
        'total' as group_code,
        case
            when min(case
                when attach_portal_scores.is_recomputed
                    or attach_portal_scores.portal_points is not null
                    then 1 else 0
            end) = 1
                then cast(sum(cast(case
                    when attach_portal_scores.is_recomputed then attach_portal_scores.recomputed_points
                    else attach_portal_scores.portal_points
                end as decimal(38, 12))) as double)
        end as recomputed_points,
        min(case when attach_portal_scores.is_recomputed then 1 else 0 end) = 1 as is_recomputed,
        max(case when attach_portal_scores.has_portal_row then 1 else 0 end) = 1 as has_portal_row
    from attach_portal_scores
    group by attach_portal_scores.period, attach_portal_scores.level, attach_portal_scores.unit_code

),

attach_portal_totals as (

    select
        estimate_totals.period,
        estimate_totals.level,
        estimate_totals.unit_code,
        estimate_totals.rule_set,
        estimate_totals.group_code,
        estimate_totals.recomputed_points,
        estimate_totals.is_recomputed,
        unpivot_portal_scores.portal_points,
        estimate_totals.has_portal_row
    from estimate_totals
    left join unpivot_portal_scores
        on unpivot_portal_scores.period = estimate_totals.period
        and unpivot_portal_scores.level = estimate_totals.level
        and unpivot_portal_scores.unit_code = estimate_totals.unit_code
        and unpivot_portal_scores.group_code = 'total'

),

combine_rows as (

    select period, level, unit_code, rule_set, group_code, recomputed_points, is_recomputed,
        portal_points, has_portal_row, false as is_total
    from attach_portal_scores
    union all
    select period, level, unit_code, rule_set, group_code, recomputed_points, is_recomputed,
        portal_points, has_portal_row, true as is_total
    from attach_portal_totals

),

classify_rows as (

    -- A group: not_recomputed (partial points, never compared), no_portal_row,
    -- no_portal_value, then match (|diff| ≤ 0.015: the portal publishes two decimals) or
    -- mismatch. The total: no_portal_row or no_portal_value when a portal score it needs is
    -- missing, estimated when any group came from the portal, else as a group.
    select
        combine_rows.*,
        case
            when is_total and not is_recomputed and recomputed_points is null and not has_portal_row
                then 'no_portal_row'
            when is_total and not is_recomputed and recomputed_points is null then 'no_portal_value'
            when is_total and not is_recomputed then 'estimated'
            when not is_recomputed then 'not_recomputed'
            when not has_portal_row then 'no_portal_row'
            when portal_points is null then 'no_portal_value'
            when abs(recomputed_points - portal_points) <= 0.015 then 'match'
            else 'mismatch'
        end as status
    from combine_rows

),

month_bounds as (

    -- period_start / period_end as every mart with a period carries them (marts.md)
    select distinct period, period_start, period_end
    from period_rules

),

final as (

    select
        classify_rows.period,
        coalesce(month_bounds.period_start, {{ month_first_day('classify_rows.period') }}) as period_start,
        coalesce(month_bounds.period_end, {{ month_last_day('classify_rows.period') }}) as period_end,
        classify_rows.level,
        classify_rows.unit_code,
        period_names.unit_name,
        classify_rows.rule_set,
        classify_rows.group_code,
        cast(classify_rows.recomputed_points as double) as recomputed_points,
        cast(classify_rows.portal_points as double) as portal_points,
        cast(case
            when classify_rows.status in ('match', 'mismatch', 'estimated')
                then classify_rows.recomputed_points - classify_rows.portal_points
        end as double) as diff,
        classify_rows.status
    from classify_rows
    left join period_names
        on period_names.period = classify_rows.period
        and period_names.level = classify_rows.level
        and period_names.unit_code = classify_rows.unit_code
    left join month_bounds
        on month_bounds.period = classify_rows.period

)

select * from final
