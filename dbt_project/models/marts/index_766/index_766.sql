-- One row per month, unit and recomputable 766 score (marts.md `index_766`, kpis.md "766
-- scores"). A unit-month exists when it has any KPI row that month; a score whose rate is
-- null (zero denominator) is null.
{%- set scores = [
    ('progress', 20, 'progress_766', '20 * rate'),
    ('online_payment_dossiers', 6, 'online_payment_rate', '6 * rate'),
    ('satisfaction_dossiers', 6, 'satisfaction_766', 'least(6.0, 6 * rate / 0.9)'),
    ('reuse', 2, 'reuse_rate', 'least(2.0, 2 * rate / 0.8)'),
    ('digitization', 4, 'digitization_rate', 'least(4.0, 4 * rate)'),
    ('sync', 6, 'sync_rate_766', '6 * rate'),
] %}
with

kpi_values as (

    select * from {{ ref('kpi_values') }}

),

agency_reports as (

    select * from {{ ref('stg_dvc_portal__agency_reports') }}

),

list_unit_months as (

    select distinct
        period,
        period_start,
        period_end,
        level,
        unit_code
    from kpi_values
    -- marts.md: agency, district, province (the tier rows of kpi_values are not scored)
    where period_type = 'month' and level <> 'tier'

),

score_units as (

    {% for score_code, max_score, kpi_code, formula in scores %}
    select
        list_unit_months.period,
        list_unit_months.period_start,
        list_unit_months.period_end,
        list_unit_months.level,
        list_unit_months.unit_code,
        '{{ score_code }}' as score_code,
        cast({{ formula | replace('rate', 'kpi_values.value') }} as double) as score,
        cast({{ max_score }} as double) as max_score
    from list_unit_months
    left join kpi_values
        on kpi_values.period_type = 'month'
        and kpi_values.period = list_unit_months.period
        and kpi_values.level = list_unit_months.level
        and kpi_values.unit_code = list_unit_months.unit_code
        and kpi_values.kpi_code = '{{ kpi_code }}'
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

compare_portal_scores as (

    -- The portal publishes the progress score per agency (Điểm Tiến độ).
    select
        score_units.period,
        score_units.period_start,
        score_units.period_end,
        score_units.level,
        score_units.unit_code,
        score_units.score_code,
        score_units.score,
        score_units.max_score,
        cast(agency_reports.progress_score as double) as portal_score,
        cast(score_units.score - agency_reports.progress_score as double) as score_diff
    from score_units
    left join agency_reports
        on score_units.score_code = 'progress'
        and score_units.level = 'agency'
        and agency_reports.report_month = score_units.period
        and agency_reports.agency_code = score_units.unit_code

),

final as (

    select * from compare_portal_scores

)

select * from final
