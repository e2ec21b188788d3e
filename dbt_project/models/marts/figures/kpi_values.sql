-- One row per period, level, unit and KPI of kpis.md with a non-zero denominator
-- (marts.md `kpi_values`; zero-denominator rows, whose value would be null, are omitted).
-- Longer periods and higher levels sum the dossiers' counts, never average rates.
{%- set count_columns = bieu_06_count_columns() + kpi_count_columns() + event_count_columns() %}
{%- set kpis = [
    ('on_time_rate', 'resolved_early + resolved_on_time', 'resolved'),
    ('progress_766', 'resolved_early + resolved_on_time + in_progress_within_deadline', 'total'),
    ('online_rate', 'online_counted', 'received_online + received_in_person_postal'),
    ('online_payment_rate', 'paid_online', 'received_with_fee'),
    ('digitization_rate', 'digitized', 'received_online + received_in_person_postal'),
    ('e_result_rate', 'resolved_electronic_result', 'resolved_paper_result'),
    ('reuse_rate', 'reused', 'received_online + received_in_person_postal'),
    ('satisfaction_766', 'resolved_satisfied', 'resolved'),
    ('supplement_rate', 'supplemented', 'received_online + received_in_person_postal'),
    ('refusal_rate', 'refused', 'received_online + received_in_person_postal + refused'),
    ('vneid_auth_rate', 'online_vneid_authenticated', 'received_online'),
    ('appointment_inflation_rate', 'appointment_inflated', 'received_online + received_in_person_postal'),
    ('avg_processing_wd', 'processing_working_days', 'resolved_processed'),
    ('avg_postal_return_wd', 'postal_return_working_days', 'postal_returned'),
] %}
{%- set lower_is_better = ['supplement_rate', 'refusal_rate', 'appointment_inflation_rate',
    'avg_processing_wd', 'avg_postal_return_wd'] %}
with

unit_period_counts as (

    select * from {{ ref('int_figures__unit_period_counts') }}

),

agency_month_sync as (

    select * from {{ ref('int_figures__agency_month_sync') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

report_units as (

    select * from {{ ref('int_units__report_units') }}

),

kpi_targets as (

    select * from {{ ref('stg_reference__kpi_targets') }}

),

find_province as (

    select max(unit_code) as province_code
    from report_units
    where level = 'province'

),

roll_up_counts as (

    {% for level, unit_column in [('agency', 'agency_code'), ('district', 'district_code'), ('province', 'find_province.province_code')] %}
    select
        unit_period_counts.period_type,
        unit_period_counts.period,
        '{{ level }}' as level,
        {{ unit_column }} as unit_code,
        {% for column in count_columns -%}
        sum(unit_period_counts.{{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from unit_period_counts
    cross join find_province
    {% if level == 'district' %}where unit_period_counts.district_code is not null{% endif %}
    group by unit_period_counts.period_type, unit_period_counts.period, {{ unit_column }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

unpivot_kpis as (

    {% for kpi_code, numerator, denominator in kpis %}
    select
        period_type,
        period,
        level,
        unit_code,
        '{{ kpi_code }}' as kpi_code,
        {{ numerator }} as numerator,
        {{ denominator }} as denominator
    from roll_up_counts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

assign_sync_periods as (

    -- An agency-month counts in every period (month, quarter, half, year) that contains it.
    select
        periods.period_type,
        periods.period,
        agency_month_sync.agency_code,
        agency_month_sync.district_code,
        agency_month_sync.numerator,
        agency_month_sync.denominator
    from agency_month_sync
    inner join periods as months
        on months.period_type = 'month'
        and months.period = agency_month_sync.period
    inner join periods
        on periods.period_start <= months.period_start
        and periods.period_end >= months.period_start

),

roll_up_sync as (

    {% for level, unit_column in [('agency', 'agency_code'), ('district', 'district_code'), ('province', 'find_province.province_code')] %}
    select
        assign_sync_periods.period_type,
        assign_sync_periods.period,
        '{{ level }}' as level,
        {{ unit_column }} as unit_code,
        'sync_rate_766' as kpi_code,
        sum(assign_sync_periods.numerator) as numerator,
        sum(assign_sync_periods.denominator) as denominator
    from assign_sync_periods
    cross join find_province
    {% if level == 'district' %}where assign_sync_periods.district_code is not null{% endif %}
    group by assign_sync_periods.period_type, assign_sync_periods.period, {{ unit_column }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

stack_kpis as (

    select * from unpivot_kpis
    union all
    select * from roll_up_sync

),

compute_values as (

    select
        stack_kpis.period_type,
        stack_kpis.period,
        stack_kpis.level,
        stack_kpis.unit_code,
        report_units.unit_name,
        stack_kpis.kpi_code,
        cast(stack_kpis.numerator as bigint) as numerator,
        cast(stack_kpis.denominator as bigint) as denominator,
        cast(stack_kpis.numerator as double) / stack_kpis.denominator as value,
        kpi_targets.target_value as target
    from stack_kpis
    inner join periods
        on periods.period_type = stack_kpis.period_type
        and periods.period = stack_kpis.period
    left join report_units
        on report_units.level = stack_kpis.level
        and report_units.unit_code = stack_kpis.unit_code
    left join kpi_targets
        on kpi_targets.kpi_code = stack_kpis.kpi_code
        and kpi_targets.target_year = cast(extract(year from periods.period_start) as integer)
    where stack_kpis.denominator > 0

),

judge_targets as (

    select
        compute_values.*,
        case
            when target is null or value is null then null
            when kpi_code in ('{{ lower_is_better | join("', '") }}') then value <= target
            else value >= target
        end as meets_target
    from compute_values

),

final as (

    select
        period_type,
        period,
        level,
        unit_code,
        unit_name,
        kpi_code,
        numerator,
        denominator,
        value,
        target,
        meets_target
    from judge_targets

)

select * from final
