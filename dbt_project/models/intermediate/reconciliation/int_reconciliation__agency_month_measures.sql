-- One row per agency, month whose 766 report is loaded, and measure of kpis.md
-- "Reconciliation with the national portal": the dossier system's count beside the portal's.
-- The system side is not recomputed here: Biểu 06 columns 4, 5, 7, 8, 9, 10 and the fee
-- flags are the per-dossier 0/1 flags of int_figures__dossier_periods (the rows that bieu_06
-- and kpi_values sum), and `synced` is sync_rate_766's numerator (int_figures__agency_month_sync).
-- Agency-months exist where the report has a row for the agency or the system has a non-zero
-- count; every measure then gets a row (decision: the spec's "a row for every agency, month
-- and measure" is read per agency-month, so a reader sees all ten measures side by side).
{%- set measures = [
    ('received', 'received_count'),
    ('received_online', 'received_online_count'),
    ('received_in_person', 'received_in_person_count'),
    ('received_postal', 'received_postal_count'),
    ('resolved', 'resolved_count'),
    ('resolved_on_time', 'resolved_on_time_count'),
    ('resolved_overdue', 'resolved_overdue_count'),
    ('with_fee', 'with_fee_count'),
    ('paid_online', 'paid_online_count'),
    ('synced', 'synced_count'),
] %}
with

dossier_periods as (

    select * from {{ ref('int_figures__dossier_periods') }}

),

dossiers as (

    select * from {{ ref('int_dossiers__enriched') }}

),

agency_month_sync as (

    select * from {{ ref('int_figures__agency_month_sync') }}

),

agency_reports as (

    select * from {{ ref('stg_dvc_portal__agency_reports') }}

),

synced_dossiers as (

    select * from {{ ref('stg_dvc_portal__synced_dossiers') }}

),

list_report_months as (

    select distinct report_month as period
    from agency_reports

),

list_synced_months as (

    select distinct report_month as period
    from synced_dossiers

),

count_system_measures as (

    -- Column 5 (channel 1 or 3) is split by the dossier's channel, so that in person + postal
    -- = col 5 by construction.
    select
        dossier_periods.period,
        dossier_periods.agency_code,
        sum(dossier_periods.received_online + dossier_periods.received_in_person_postal) as received_count,
        sum(dossier_periods.received_online) as received_online_count,
        sum(case when dossiers.channel = {{ code('channel_in_person') }} then dossier_periods.received_in_person_postal else 0 end)
            as received_in_person_count,
        sum(case when dossiers.channel = {{ code('channel_postal') }} then dossier_periods.received_in_person_postal else 0 end)
            as received_postal_count,
        sum(dossier_periods.resolved) as resolved_count,
        sum(dossier_periods.resolved_early + dossier_periods.resolved_on_time) as resolved_on_time_count,
        sum(dossier_periods.resolved_overdue) as resolved_overdue_count,
        sum(dossier_periods.received_with_fee) as with_fee_count,
        sum(dossier_periods.paid_online) as paid_online_count
    from dossier_periods
    inner join list_report_months
        on list_report_months.period = dossier_periods.period
    inner join dossiers
        on dossiers.dossier_code = dossier_periods.dossier_code
    where dossier_periods.period_type = 'month'
    group by dossier_periods.period, dossier_periods.agency_code

),

join_synced_counts as (

    -- A carried-over dossier still in progress gives an agency-month whose counts are all 0:
    -- dropped here, so only agencies with a non-zero count (received > 0 or resolved > 0:
    -- every other measure counts a subset of one of those two) join the report's agencies.
    select
        count_system_measures.*,
        coalesce(agency_month_sync.numerator, 0) as synced_count
    from count_system_measures
    left join agency_month_sync
        on agency_month_sync.period = count_system_measures.period
        and agency_month_sync.agency_code = count_system_measures.agency_code
    where count_system_measures.received_count > 0
        or count_system_measures.resolved_count > 0

),

list_agency_months as (

    select period, agency_code from join_synced_counts
    union
    select report_month as period, agency_code from agency_reports

),

unpivot_measures as (

    {% for measure, count_column in measures %}
    select
        list_agency_months.period,
        list_agency_months.agency_code,
        agency_reports.agency_name as portal_agency_name,
        '{{ measure }}' as measure,
        {{ loop.index }} as measure_order,
        coalesce(join_synced_counts.{{ count_column }}, 0) as system_value,
        agency_reports.{{ count_column }} as portal_value,
        agency_reports.agency_code is not null as has_portal_row,
        join_synced_counts.agency_code is null as is_system_all_zero
    from list_agency_months
    left join join_synced_counts
        on join_synced_counts.period = list_agency_months.period
        and join_synced_counts.agency_code = list_agency_months.agency_code
    left join agency_reports
        on agency_reports.report_month = list_agency_months.period
        and agency_reports.agency_code = list_agency_months.agency_code
    {%- if measure == 'synced' %}
    -- `synced` only for months whose synced list is loaded.
    inner join list_synced_months
        on list_synced_months.period = list_agency_months.period
    {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        period,
        agency_code,
        portal_agency_name,
        measure,
        cast(measure_order as integer) as measure_order,
        cast(system_value as bigint) as system_value,
        cast(portal_value as bigint) as portal_value,
        has_portal_row,
        is_system_all_zero
    from unpivot_measures

)

select * from final
