{#- Fails with the combinations of the given columns that occur more than once: the model's
    grain is broken (a join fanned out, or a source delivered a duplicate). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

count_combinations as (

    select
        {{ combination_of_columns | join(', ') }},
        count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}

),

final as (

    select * from count_combinations
    where row_count > 1

)

select * from final

{% endtest %}
