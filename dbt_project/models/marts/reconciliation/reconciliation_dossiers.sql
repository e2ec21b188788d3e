-- One row per month whose synced-dossier list is loaded, dossier and issue: the dossiers
-- behind the differences between the dossier system (current state) and the national
-- portal's synced list (marts.md `reconciliation_dossiers`, kpis.md "Per dossier, for each
-- month's synced list"). Decisions (spec silent), also in docs/figures.md:
-- * A system dossier belongs to the month of its received_at (kpis.md "received", current
--   state); a list row to the month of its list, whatever NgayTiepNhan it carries.
-- * missing_on_portal: received in month M, absent from M's list (also when it sits in another
--   month's list). unit_code = the system's agency; system_value = received_at, portal_value null.
-- * missing_in_system: in M's list, with no version at all in the dossier system.
--   unit_code = the list's MaCoQuan; system_value null, portal_value = the list's NgayTiepNhan.
-- * The field comparisons cover every dossier of M's list that the system knows, whatever
--   its state or reception month there, one issue per field that differs. They compare the
--   fields as both sides record them (the list carries the sync payload's fields): status,
--   channel, DuocThanhToanTrucTuyen, NgayTiepNhan and NgayKetThucXuLy of the current version.
--   unit_code = the system's agency; system_value / portal_value = the two fields as strings
--   (codes as digits, timestamps 'YYYY-MM-DD HH:MM:SS', null when empty).
-- * payment_mismatch: paid online (1 or 2) on one side only; the codes are shown as they are.
-- * A code listed twice in one month's list: its last line is the portal's state.
with

current_versions as (

    select * from {{ ref('int_dossiers__current_versions') }}

),

dossiers as (

    select * from {{ ref('int_dossiers__enriched') }}

),

synced_dossiers as (

    select * from {{ ref('stg_dvc_portal__synced_dossiers') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

list_synced_months as (

    select distinct
        periods.period,
        periods.period_start_at,
        periods.period_end_at
    from periods
    inner join synced_dossiers
        on synced_dossiers.report_month = periods.period
    where periods.period_type = 'month'

),

rank_list_lines as (

    select
        synced_dossiers.*,
        row_number() over (
            partition by synced_dossiers.report_month, synced_dossiers.dossier_code
            order by synced_dossiers.line_number desc
        ) as line_rank
    from synced_dossiers

),

keep_last_list_lines as (

    select * from rank_list_lines
    where line_rank = 1

),

find_receptions as (

    -- The same months and reception rule as sync_rate_766's numerator
    -- (int_figures__agency_month_sync.count_received).
    select
        list_synced_months.period,
        dossiers.agency_code,
        dossiers.dossier_code,
        dossiers.received_at
    from dossiers
    inner join list_synced_months
        on dossiers.received_at >= list_synced_months.period_start_at
        and dossiers.received_at <= list_synced_months.period_end_at
    where dossiers.is_received

),

find_missing_on_portal as (

    select
        find_receptions.period,
        find_receptions.agency_code as unit_code,
        find_receptions.dossier_code,
        'missing_on_portal' as issue,
        {{ timestamp_to_second_string('find_receptions.received_at') }} as system_value,
        cast(null as {{ dbt.type_string() }}) as portal_value
    from find_receptions
    left join keep_last_list_lines
        on keep_last_list_lines.report_month = find_receptions.period
        and keep_last_list_lines.dossier_code = find_receptions.dossier_code
    where keep_last_list_lines.dossier_code is null

),

find_missing_in_system as (

    select
        keep_last_list_lines.report_month as period,
        keep_last_list_lines.agency_code as unit_code,
        keep_last_list_lines.dossier_code,
        'missing_in_system' as issue,
        cast(null as {{ dbt.type_string() }}) as system_value,
        {{ timestamp_to_second_string('keep_last_list_lines.received_at') }} as portal_value
    from keep_last_list_lines
    left join current_versions
        on current_versions.dossier_code = keep_last_list_lines.dossier_code
    where current_versions.dossier_code is null

),

pair_dossiers as (

    select
        keep_last_list_lines.report_month as period,
        current_versions.agency_code as unit_code,
        keep_last_list_lines.dossier_code,
        current_versions.status as system_status,
        keep_last_list_lines.status as portal_status,
        current_versions.channel as system_channel,
        keep_last_list_lines.channel as portal_channel,
        current_versions.online_payment_method as system_payment_method,
        keep_last_list_lines.online_payment_method as portal_payment_method,
        {{ timestamp_to_second_string('current_versions.received_at') }} as system_received_at,
        {{ timestamp_to_second_string('keep_last_list_lines.received_at') }} as portal_received_at,
        {{ timestamp_to_second_string('current_versions.processing_ended_at') }} as system_ended_at,
        {{ timestamp_to_second_string('keep_last_list_lines.processing_ended_at') }} as portal_ended_at
    from keep_last_list_lines
    inner join current_versions
        on current_versions.dossier_code = keep_last_list_lines.dossier_code

),

compare_fields as (

    {%- set comparisons = [
        ('status_mismatch', 'status', values_differ('system_status', 'portal_status')),
        ('channel_mismatch', 'channel', values_differ('system_channel', 'portal_channel')),
        ('payment_mismatch', 'payment_method',
            values_differ('coalesce(system_payment_method in ' ~ codes('payment_online') ~ ', false)',
                'coalesce(portal_payment_method in ' ~ codes('payment_online') ~ ', false)')),
        ('received_at_mismatch', 'received_at', values_differ('system_received_at', 'portal_received_at')),
        ('ended_at_mismatch', 'ended_at', values_differ('system_ended_at', 'portal_ended_at')),
    ] %}
    {% for issue, field, differs in comparisons %}
    select
        period,
        unit_code,
        dossier_code,
        '{{ issue }}' as issue,
        cast(system_{{ field }} as {{ dbt.type_string() }}) as system_value,
        cast(portal_{{ field }} as {{ dbt.type_string() }}) as portal_value
    from pair_dossiers
    where {{ differs }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

stack_issues as (

    select * from find_missing_on_portal
    union all
    select * from find_missing_in_system
    union all
    select * from compare_fields

),

month_periods as (

    -- period_start / period_end as every mart with a period carries them (marts.md)
    select period, period_start, period_end
    from {{ ref('int_calendar__periods') }}
    where period_type = 'month'

),

final as (

    select
        cast(stack_issues.period as {{ dbt.type_string() }}) as period,
        coalesce(month_periods.period_start, {{ month_first_day('stack_issues.period') }}) as period_start,
        coalesce(month_periods.period_end, {{ month_last_day('stack_issues.period') }}) as period_end,
        cast(stack_issues.unit_code as {{ dbt.type_string() }}) as unit_code,
        cast(stack_issues.dossier_code as {{ dbt.type_string() }}) as dossier_code,
        cast(stack_issues.issue as {{ dbt.type_string() }}) as issue,
        cast(stack_issues.system_value as {{ dbt.type_string() }}) as system_value,
        cast(stack_issues.portal_value as {{ dbt.type_string() }}) as portal_value
    from stack_issues
    left join month_periods
        on month_periods.period = stack_issues.period

)

select * from final
