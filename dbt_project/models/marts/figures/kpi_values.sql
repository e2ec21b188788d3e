-- One row per period, level, unit and KPI of kpis.md with a non-zero denominator
-- (marts.md `kpi_values`; zero-denominator rows, whose value would be null, are omitted).
-- Longer periods and higher levels sum the dossiers' counts, never average rates.
-- As was (reorganisation.md "Two bases"); the SQL is macros/figure_marts.sql, shared with
-- kpi_values_restated.
{{ kpi_values_mart('as_was') }}
