{#- The count columns that the figures models carry and sum, in one place. -#}
{% macro bieu_06_count_columns() -%}
    {{ return([
        'received_online', 'received_in_person_postal', 'carried_over', 'total', 'resolved',
        'resolved_early', 'resolved_on_time', 'resolved_overdue', 'in_progress',
        'in_progress_within_deadline', 'in_progress_overdue'
    ]) }}
{%- endmacro %}

{% macro kpi_count_columns() -%}
    {{ return([
        'online_counted', 'received_with_fee', 'paid_online', 'digitized', 'reused',
        'supplemented', 'appointment_inflated', 'online_vneid_authenticated',
        'resolved_paper_result', 'resolved_electronic_result', 'resolved_satisfied',
        'resolved_processed', 'processing_working_days', 'received_elsewhere'
    ]) }}
{%- endmacro %}

{% macro event_count_columns() -%}
    {{ return(['refused', 'postal_returned', 'postal_return_working_days']) }}
{%- endmacro %}
