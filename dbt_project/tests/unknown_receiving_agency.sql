-- Warning, never blocking (reorganisation.md): each failing row is a dossier extract whose
-- dossiers name a receiving desk (MaDonViTiepNhan) that don_vi.csv does not know. Those
-- dossiers are loaded and counted under their handling agency (MaCoQuan); only
-- received_elsewhere_rate and the receiving desk of the drill-down lists read the code.
-- The count is the dossier versions (fail_calc), not the files; data_quality carries it per
-- file. Evaluated at every build from the current don_vi.csv: a corrected reference clears
-- it without reloading an extract. Named as reorganisation.md names the check.
-- The check sits on the dossier versions' staging view (meta.dagster.ref), where the field
-- lands and which the publication depends on, so that the publish step reads it; the
-- intermediate model it reads feeds no mart.
{{ config(
    severity='warn',
    fail_calc='coalesce(sum(dossier_versions), 0)',
    meta={'dagster': {'ref': {'name': 'stg_dossier_system__dossier_versions'}}},
) }}
-- dagster-dbt attaches a test only to a model it depends on:
-- depends_on: {{ ref('stg_dossier_system__dossier_versions') }}

with

unknown_receiving_agencies as (

    select * from {{ ref('int_dossiers__unknown_receiving_agencies') }}

),

final as (

    select source_file, dossier_versions, unknown_codes
    from unknown_receiving_agencies

)

select * from final
