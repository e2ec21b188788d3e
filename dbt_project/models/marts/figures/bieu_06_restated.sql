-- One row per period, level and unit with dossiers to handle: Biểu 06/VPCP/KSTT on the
-- restated basis (reorganisation.md "Two bases"): each dossier under the agency that carries
-- its agency's work on at data_through (int_units__restated_agencies), and at that agency's
-- district, tier and province then. The SQL is bieu_06's (macros/figure_marts.sql).
{{ bieu_06_mart('restated') }}
