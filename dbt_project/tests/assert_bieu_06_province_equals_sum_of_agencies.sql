-- A failure means the province rows of Biểu 06 do not count exactly the dossiers of its
-- agencies, or its tier rows not exactly those of its provinces (reorganisation.md: the
-- province rows of a period sum to its agency rows, the tier rows to its province rows): a
-- dossier was lost or counted twice between the roll-ups, or a dossier has an agency without a
-- province (its agency's ma_dvhc reaches no `tinh` up dvhc.csv on its date).
{%- set columns = bieu_06_count_columns() %}
with

bieu_06 as (

    select * from {{ ref('bieu_06') }}

),

sum_levels as (

    select
        period_type,
        period,
        level,
        {% for column in columns -%}
        sum({{ column }}) as {{ column }}{% if not loop.last %},
        {% endif %}{% endfor %}
    from bieu_06
    where level in ('agency', 'tier', 'province')
    group by period_type, period, level

),

final as (

    select
        agency_sums.period_type,
        agency_sums.period,
        other_sums.level
    from sum_levels as agency_sums
    cross join (select 'tier' as level union all select 'province' as level) as other_levels
    left join sum_levels as other_sums
        on other_sums.period_type = agency_sums.period_type
        and other_sums.period = agency_sums.period
        and other_sums.level = other_levels.level
    where agency_sums.level = 'agency'
        and (other_sums.level is null
        {%- for column in columns %}
            or other_sums.{{ column }} <> agency_sums.{{ column }}
        {%- endfor %})

)

select * from final
