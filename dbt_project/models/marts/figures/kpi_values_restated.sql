-- One row per period, level, unit and KPI of kpis.md with a non-zero denominator, on the
-- restated basis (reorganisation.md "Two bases"): each dossier's counts, and each agency-month's
-- sync_rate_766 terms, under the agency that carries its agency's work on at data_through
-- (int_units__restated_agencies). The SQL is kpi_values' (macros/figure_marts.sql).
{{ kpi_values_mart('restated') }}
