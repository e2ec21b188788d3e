{#- Fails with the rows where `column_name` differs from the sum of `summands`: a Biểu 06
    identity (3 = 4+5+6 = 7+11, 7 = 8+9+10, 11 = 12+13) is broken, so some dossier is
    counted in one column of the form and missing from another. -#}
{% test sum_equals(model, column_name, summands) %}

with

compare_sums as (

    select *
    from {{ model }}
    where coalesce({{ column_name }}, 0) <> {% for summand in summands -%}
        coalesce({{ summand }}, 0){% if not loop.last %} + {% endif %}
    {%- endfor %}

),

final as (

    select * from compare_sums

)

select * from final

{% endtest %}
