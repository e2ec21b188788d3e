{#- Fails with the rows whose value lies outside [min_value, max_value]: a rate above 1 or a
    negative count means a numerator is not a subset of its denominator. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}

with

check_range as (

    select *
    from {{ model }}
    where {{ column_name }} is not null
      and (
        1 = 0
        {% if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
        {% if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %}
      )

),

final as (

    select * from check_range

)

select * from final

{% endtest %}
