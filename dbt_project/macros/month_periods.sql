{#- The first and last day of a month written `YYYY-MM` (a monthly mart's `period`): the
    fallback of period_start / period_end for a month outside int_calendar__periods (a portal
    month with no reception in the system). Inside it, the calendar's own bounds are used, so
    that the month holding data_through ends on that day in every mart. -#}
{% macro month_first_day(period_column) -%}
    cast({{ period_column }} || '-01' as date)
{%- endmacro %}

{% macro month_last_day(period_column) -%}
    {{ dbt.last_day(month_first_day(period_column), 'month') }}
{%- endmacro %}
