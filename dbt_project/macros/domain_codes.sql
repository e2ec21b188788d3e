{#- The code sets of the dossier system (sources.md §1), once: every model names a set by
    its meaning instead of repeating its codes. A set renders as a plain SQL list, which both
    engines read: `status in {{ codes('status_ended') }}` → `status in (7, 8, 9, 10)`;
    a one-code set also as a value: `status = {{ code('status_withdrawn') }}` → `status = 7`.

    | set                       | codes       | field, sources.md §1                                  |
    |---------------------------|-------------|-------------------------------------------------------|
    | status_not_received       | 1, 3        | TrangThaiHoSo, class "not received"                   |
    | status_in_progress        | 2, 4, 5, 6  | TrangThaiHoSo, class "in progress"                    |
    | status_paused             | 5, 6        | TrangThaiHoSo, class "in progress, paused"            |
    | status_ended              | 7, 8, 9, 10 | TrangThaiHoSo, class "ended"                          |
    | status_processed          | 9, 10       | TrangThaiHoSo 9 processed, 10 result handed over      |
    |                           |             | (kpis.md "resolved in status 9 or 10")                |
    | status_refused            | 3           | TrangThaiHoSo 3, refused at reception                 |
    | status_withdrawn          | 7           | TrangThaiHoSo 7, withdrawn by the applicant           |
    | status_result_returned    | 10          | TrangThaiHoSo 10, result handed over                  |
    | channel_online            | 2           | KenhThucHien 2 (Biểu 06 col 4)                        |
    | channel_in_person         | 1           | KenhThucHien 1                                        |
    | channel_postal            | 3           | KenhThucHien 3, public postal service (BCCI)          |
    | channel_in_person_postal  | 1, 3        | KenhThucHien 1 or 3 (Biểu 06 col 5)                   |
    | channel_all               | 1, 2, 3     | every KenhThucHien (col 4 + col 5)                    |
    | payment_online            | 1, 2        | DuocThanhToanTrucTuyen 1 national portal, 2 provincial |
    |                           |             | payment gateway (0 = not paid online)                 |
    | result_delivery_post      | 2           | HinhThucNhanKetQua 2, result returned by post (BCCI)  |
    | rating_dissatisfied       | -1          | DanhGia -1 (1 satisfied, 0 neutral, null unrated)     |
-#}
{% macro domain_code_sets() -%}
    {{ return({
        'status_not_received': [1, 3],
        'status_in_progress': [2, 4, 5, 6],
        'status_paused': [5, 6],
        'status_ended': [7, 8, 9, 10],
        'status_processed': [9, 10],
        'status_refused': [3],
        'status_withdrawn': [7],
        'status_result_returned': [10],
        'channel_online': [2],
        'channel_in_person': [1],
        'channel_postal': [3],
        'channel_in_person_postal': [1, 3],
        'channel_all': [1, 2, 3],
        'payment_online': [1, 2],
        'result_delivery_post': [2],
        'rating_dissatisfied': [-1],
    }) }}
{%- endmacro %}

{#- A code set as a SQL list: `(7, 8, 9, 10)`. -#}
{% macro codes(set_name) -%}
    {%- set sets = domain_code_sets() -%}
    {%- if set_name not in sets -%}
        {{ exceptions.raise_compiler_error("unknown code set '" ~ set_name ~ "' (macros/domain_codes.sql)") }}
    {%- endif -%}
    ({{ sets[set_name] | join(', ') }})
{%- endmacro %}

{#- The code of a one-code set: `7`. -#}
{% macro code(set_name) -%}
    {%- set sets = domain_code_sets() -%}
    {%- if set_name not in sets or sets[set_name] | length != 1 -%}
        {{ exceptions.raise_compiler_error("'" ~ set_name ~ "' is not a one-code set (macros/domain_codes.sql)") }}
    {%- endif -%}
    {{ sets[set_name][0] }}
{%- endmacro %}
