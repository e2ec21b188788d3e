{#- Reference rows in force, one rule for don_vi.csv and dvhc.csv (kpis.md "district of an
    agency on a date", reorganisation.md "Where a dossier belongs").

    The interval technique of int_units__agency_districts and int_units__admin_unit_positions:
    cut time at every row's first day and at the day after its last day, so that within one
    interval no row of any code starts or ends, and resolve every chain once per interval.

    validity_boundaries(rows): the boundary dates of a CTE of rows with valid_from_date and
    valid_to_date (to `union` with other lists).
    intervals_from(boundaries): each boundary with the next one (null after the last).
    rank_rows_in_force(rows, code_column, columns, intervals): each code's rows ranked per
    interval; row_rank = 1 is the row in force on the interval's first day: the row valid then,
    else the row of the code that ended last before it (decision: a ceased code still named by
    another row keeps its last position, so its dossiers keep a district and a province). A
    code has no row before its first valid_from_date. -#}

{% macro validity_boundaries(rows) -%}
    select valid_from_date as boundary_date from {{ rows }}
    union
    select {{ add_days('valid_to_date', 1) }} as boundary_date from {{ rows }}
    where valid_to_date is not null
{%- endmacro %}

{% macro intervals_from(boundaries) -%}
    select
        boundary_date as interval_start_date,
        lead(boundary_date) over (order by boundary_date) as next_interval_start_date
    from {{ boundaries }}
{%- endmacro %}

{% macro rank_rows_in_force(rows, code_column, columns, intervals) -%}
    select
        {%- for column in columns %}
        {{ rows }}.{{ column }},
        {%- endfor %}
        {{ intervals }}.interval_start_date,
        {{ intervals }}.next_interval_start_date,
        ({{ rows }}.valid_to_date is null
            or {{ rows }}.valid_to_date >= {{ intervals }}.interval_start_date) as is_valid,
        row_number() over (
            partition by {{ rows }}.{{ code_column }}, {{ intervals }}.interval_start_date
            order by
                case
                    when {{ rows }}.valid_to_date is null
                        or {{ rows }}.valid_to_date >= {{ intervals }}.interval_start_date
                        then 0
                    else 1
                end,
                {{ rows }}.valid_to_date desc,
                {{ rows }}.valid_from_date desc
        ) as row_rank
    from {{ rows }}
    inner join {{ intervals }}
        on {{ rows }}.valid_from_date <= {{ intervals }}.interval_start_date
{%- endmacro %}

{#- walk_successors(carried_columns, move_when, steps): the CTEs walk_1 … walk_<steps> that
    follow ma_don_vi_ke_thua from walk_0 (columns: the carried columns and current_code) over
    list_codes (agency_code, successor_agency_code and what move_when reads): one succession a
    step while move_when holds for the current code (current_codes.*, walk.*) and it names a
    successor; a successor unknown to don_vi.csv has no list_codes row, so the walk stops
    there. Plain joins, not a recursive CTE, which Spark SQL lacks; 8 steps are more than the
    2025 mergers need (1 to 3), and a chain on a cycle (the blocking successor_cycle check)
    stops where it is after them. Used by int_units__restated_agencies (at data_through) and
    int_portal_766__period_agencies (at each period's end). Ends with a comma: the next CTE
    follows. -#}
{% macro walk_successors(carried_columns, move_when, steps=8) -%}
{% for step in range(1, steps + 1) %}
walk_{{ step }} as (

    select
        {%- for column in carried_columns %}
        walk.{{ column }},
        {%- endfor %}
        case
            when ({{ move_when }})
                and current_codes.successor_agency_code is not null
                then current_codes.successor_agency_code
            else walk.current_code
        end as current_code
    from walk_{{ step - 1 }} as walk
    left join list_codes as current_codes
        on current_codes.agency_code = walk.current_code

),
{% endfor %}
{%- endmacro %}
