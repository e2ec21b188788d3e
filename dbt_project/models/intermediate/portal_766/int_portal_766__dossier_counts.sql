-- One row per period (month, quarter, year), level (agency, province), unit and
-- dossier-based indicator of portal_766.md (2.1, 3.3, 3.6, 4.1–4.5, 5.4): the numerator and
-- the denominator counted from int_portal_766__dossier_verdicts. 3.3's published rate also
-- needs the sync rate (portal_766_indicators applies it). A unit-period with a zero
-- denominator has no row for that indicator.
{%- set indicators = [
    ('2.1', 'is_on_time', 'true'),
    ('3.3', 'is_online_counted', 'is_received_in_period'),
    ('3.6', 'is_paid_online_counted', 'is_fee_counted'),
    ('4.1', 'has_e_result_counted', 'is_paper_result_received'),
    ('4.2', 'is_digitized_counted', 'is_received_in_period'),
    ('4.3', 'is_reused_counted', 'is_received_in_period'),
    ('4.4', 'uses_document_store_counted', 'is_received_in_period'),
    ('4.5', 'uses_population_data_counted', 'is_received_in_period'),
    ('5.4', 'not is_satisfaction_lost', 'true'),
] %}
with

verdicts as (

    select * from {{ ref('int_portal_766__dossier_verdicts') }}

),

place_in_units as (

    -- An agency's row counts its dossiers (MaCoQuan); a province's row the dossiers whose
    -- province (dvhc chain at reception, int_dossiers__enriched) it is.
    select verdicts.*, 'agency' as level, agency_code as unit_code
    from verdicts
    union all
    select verdicts.*, 'province' as level, province_code as unit_code
    from verdicts
    where province_code is not null

),

count_indicators as (

    {% for indicator_code, numerator_flag, denominator_flag in indicators %}
    select
        period_type,
        period,
        level,
        unit_code,
        '{{ indicator_code }}' as indicator_code,
        cast(sum(case when {{ denominator_flag }} and {{ numerator_flag }} then 1 else 0 end) as bigint)
            as numerator,
        cast(sum(case when {{ denominator_flag }} then 1 else 0 end) as bigint) as denominator
    from place_in_units
    group by period_type, period, level, unit_code
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select * from count_indicators
    where denominator > 0

)

select * from final
