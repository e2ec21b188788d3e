-- One row per period (month, quarter, year), level (agency, province), unit and
-- dossier-based indicator of portal_766.md (2.1, 3.3, 3.6, 4.1–4.5, 5.4): the numerator and
-- the denominator counted from int_portal_766__dossier_verdicts. 3.3's published rate also
-- needs the sync rate (portal_766_indicators applies it). A unit-period with a zero
-- denominator has no row for that indicator.
-- Agencies: a dossier counts under the agency the portal counts it under at the period's end
-- (int_portal_766__period_agencies): its MaCoQuan, or, when that agency ended before the
-- period's end, the successor that carries its dossiers on then. So an open dossier of a
-- district office that ended on 30 June 2025 counts under the office itself in June (and Q2)
-- and under its successor in July (Q3, the year), as the portal's 766 report counts it.
-- Provinces: the dossier's province at reception, whatever its agency became (unchanged).
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

period_agencies as (

    select * from {{ ref('int_portal_766__period_agencies') }}

),

attribute_to_portal_agencies as (

    -- a code unknown to don_vi.csv has no row there: it stays as delivered
    select
        verdicts.*,
        coalesce(period_agencies.portal_agency_code, verdicts.agency_code) as portal_agency_code
    from verdicts
    left join period_agencies
        on period_agencies.period_type = verdicts.period_type
        and period_agencies.period = verdicts.period
        and period_agencies.agency_code = verdicts.agency_code

),

place_in_units as (

    -- An agency's row counts the dossiers the portal counts under it at the period's end; a
    -- province's row the dossiers whose province (dvhc chain at reception,
    -- int_dossiers__enriched) it is.
    select attribute_to_portal_agencies.*, 'agency' as level, portal_agency_code as unit_code
    from attribute_to_portal_agencies
    union all
    select attribute_to_portal_agencies.*, 'province' as level, province_code as unit_code
    from attribute_to_portal_agencies
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
