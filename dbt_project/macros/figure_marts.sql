{#- The SQL of the Biểu 06 and KPI marts, once for both bases (macros/figure_bases.sql):
    bieu_06 / kpi_values are `as_was`, bieu_06_restated / kpi_values_restated `restated`. -#}

{#- One row per period, level and unit with dossiers to handle: Biểu 06/VPCP/KSTT. -#}
{% macro bieu_06_mart(basis) -%}
{%- set count_columns = bieu_06_count_columns() %}
with

unit_period_counts as (

    select * from {{ ref('int_figures__unit_period_counts') }}

),

periods as (

    select * from {{ ref('int_calendar__periods') }}

),

unit_names as (

    -- the name of each unit in each period (a province's: valid at the period's end)
    select * from {{ ref('int_units__period_names') }}

),

unit_rollup as (

    select * from {{ ref('int_units__rollup') }}
    where member_level = 'agency'

),
{{ basis_imports(basis) }}

place_counts_on_basis as (

    -- each count row under its agency and position on the basis ({{ basis }})
    {{ place_on_basis(basis, 'unit_period_counts', ['period_type', 'period'] + count_columns) }}

),

roll_up_units as (

    -- each count row once per unit it counts toward: its agency, district, tier, province
    select
        place_counts_on_basis.period_type,
        place_counts_on_basis.period,
        unit_rollup.level,
        {{ rollup_unit_code('unit_rollup', 'place_counts_on_basis') }} as unit_code,
        {% for column in count_columns -%}
        place_counts_on_basis.{{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from place_counts_on_basis
    inner join unit_rollup
        on {{ at_rollup_position('unit_rollup', 'place_counts_on_basis') }}

),

sum_units as (

    select
        period_type,
        period,
        level,
        unit_code,
        {% for column in count_columns -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from roll_up_units
    group by period_type, period, level, unit_code

),

final as (

    -- Rows whose counts are all zero (units with only refusals or postal returns) are omitted.
    select
        sum_units.period_type,
        sum_units.period,
        periods.period_start,
        periods.period_end,
        sum_units.level,
        sum_units.unit_code,
        unit_names.unit_name,
        {% for column in count_columns -%}
        cast(sum_units.{{ column }} as bigint) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from sum_units
    inner join periods
        on periods.period_type = sum_units.period_type
        and periods.period = sum_units.period
    left join unit_names
        on unit_names.period_type = sum_units.period_type
        and unit_names.period = sum_units.period
        and unit_names.level = sum_units.level
        and unit_names.unit_code = sum_units.unit_code
    where sum_units.total > 0

)

select * from final
{%- endmacro %}


{#- One row per period, level, unit and KPI of kpis.md with a non-zero denominator. Longer
    periods and higher levels sum the dossiers' counts, never average rates. -#}
{% macro kpi_values_mart(basis) -%}
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
    ('received_elsewhere_rate', 'received_elsewhere', 'received_online + received_in_person_postal'),
] %}
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

unit_names as (

    -- the names bieu_06 shows: the province's valid at the period's end (reorganisation.md)
    select * from {{ ref('int_units__period_names') }}

),

kpi_targets as (

    select * from {{ ref('stg_reference__kpi_targets') }}

),

kpi_definitions as (

    -- each KPI's direction (seeds/kpi_definitions.csv, which the reports read too)
    select * from {{ ref('kpi_definitions') }}

),

unit_rollup as (

    select * from {{ ref('int_units__rollup') }}
    where member_level = 'agency'

),
{{ basis_imports(basis) }}

place_counts_on_basis as (

    -- each count row under its agency and position on the basis ({{ basis }})
    {{ place_on_basis(basis, 'unit_period_counts', ['period_type', 'period'] + count_columns) }}

),

roll_up_counts as (

    -- each count row once per unit it counts toward (agency, district, tier, province), summed
    select
        place_counts_on_basis.period_type,
        place_counts_on_basis.period,
        unit_rollup.level,
        {{ rollup_unit_code('unit_rollup', 'place_counts_on_basis') }} as unit_code,
        {% for column in count_columns -%}
        sum(place_counts_on_basis.{{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from place_counts_on_basis
    inner join unit_rollup
        on {{ at_rollup_position('unit_rollup', 'place_counts_on_basis') }}
    group by
        place_counts_on_basis.period_type,
        place_counts_on_basis.period,
        unit_rollup.level,
        {{ rollup_unit_code('unit_rollup', 'place_counts_on_basis') }}

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

    -- An agency-month counts in every period (month, quarter, half, year) that contains it;
    -- weeks do not nest in months, so sync_rate_766 has no week rows (marts.md).
    select
        periods.period_type,
        periods.period,
        agency_month_sync.agency_code,
        {% for column in rollup_position_columns() -%}
        agency_month_sync.{{ column }},
        {% endfor -%}
        agency_month_sync.numerator,
        agency_month_sync.denominator
    from agency_month_sync
    inner join periods as months
        on months.period_type = 'month'
        and months.period = agency_month_sync.period
    inner join periods
        on periods.period_start <= months.period_start
        and periods.period_end >= months.period_start
        and periods.period_type <> 'week'

),

place_sync_on_basis as (

    -- restated: the as-was agency-month terms, summed under the restated agency
    {{ place_on_basis(basis, 'assign_sync_periods', ['period_type', 'period', 'numerator', 'denominator']) }}

),

roll_up_sync as (

    select
        place_sync_on_basis.period_type,
        place_sync_on_basis.period,
        unit_rollup.level,
        {{ rollup_unit_code('unit_rollup', 'place_sync_on_basis') }} as unit_code,
        'sync_rate_766' as kpi_code,
        sum(place_sync_on_basis.numerator) as numerator,
        sum(place_sync_on_basis.denominator) as denominator
    from place_sync_on_basis
    inner join unit_rollup
        on {{ at_rollup_position('unit_rollup', 'place_sync_on_basis') }}
    group by
        place_sync_on_basis.period_type,
        place_sync_on_basis.period,
        unit_rollup.level,
        {{ rollup_unit_code('unit_rollup', 'place_sync_on_basis') }}

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
        periods.period_start,
        periods.period_end,
        stack_kpis.level,
        stack_kpis.unit_code,
        unit_names.unit_name,
        stack_kpis.kpi_code,
        cast(stack_kpis.numerator as bigint) as numerator,
        cast(stack_kpis.denominator as bigint) as denominator,
        cast(stack_kpis.numerator as double) / stack_kpis.denominator as value,
        kpi_targets.target_value as target
    from stack_kpis
    inner join periods
        on periods.period_type = stack_kpis.period_type
        and periods.period = stack_kpis.period
    left join unit_names
        on unit_names.period_type = stack_kpis.period_type
        and unit_names.period = stack_kpis.period
        and unit_names.level = stack_kpis.level
        and unit_names.unit_code = stack_kpis.unit_code
    -- marts.md: the target of the year of period_end (a week may start in the year before)
    left join kpi_targets
        on kpi_targets.kpi_code = stack_kpis.kpi_code
        and kpi_targets.target_year = cast(extract(year from periods.period_end) as integer)
    where stack_kpis.denominator > 0

),

judge_targets as (

    select
        compute_values.*,
        -- lower_is_better null: a KPI without a direction (received_elsewhere_rate,
        -- reorganisation.md), whose meets_target stays null even where a target is given
        case
            when compute_values.target is null or compute_values.value is null then null
            when kpi_definitions.lower_is_better is null then null
            when kpi_definitions.lower_is_better then compute_values.value <= compute_values.target
            else compute_values.value >= compute_values.target
        end as meets_target
    from compute_values
    left join kpi_definitions
        on kpi_definitions.kpi_code = compute_values.kpi_code

),

final as (

    select
        period_type,
        period,
        period_start,
        period_end,
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
{%- endmacro %}
