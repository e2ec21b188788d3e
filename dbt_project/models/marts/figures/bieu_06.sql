-- One row per period, level and unit with dossiers to handle: Biểu 06/VPCP/KSTT (marts.md),
-- as was (reorganisation.md "Two bases"): agencies count the dossiers of their MaCoQuan,
-- districts, tiers and provinces the dossiers whose district, tier, province (on the
-- reception date, int_dossiers__enriched.locate_districts) they are (int_units__rollup).
-- The SQL is macros/figure_marts.sql, shared with bieu_06_restated.
{{ bieu_06_mart('as_was') }}
