-- One row per dossier extract (source file) in which some dossier versions name a receiving
-- desk (MaDonViTiepNhan) that don_vi.csv does not know, in any validity period (the door's
-- rule for MaCoQuan). Not a door rule: such a dossier loads (reorganisation.md), and this
-- model, rebuilt from the current reference at every build, is the warning
-- unknown_receiving_agency (tests/unknown_receiving_agency.sql; per file in data_quality).
-- A desk equal to MaCoQuan, or absent, is the handling agency, which the door checked.
with

dossier_versions as (

    select * from {{ ref('stg_dossier_system__dossier_versions') }}

),

agencies as (

    select * from {{ ref('stg_reference__agencies') }}

),

list_agency_codes as (

    select distinct agency_code from agencies

),

find_unknown_desks as (

    select
        dossier_versions.source_file,
        dossier_versions.receiving_agency_code
    from dossier_versions
    left join list_agency_codes
        on list_agency_codes.agency_code = dossier_versions.receiving_agency_code
    where dossier_versions.receiving_agency_code <> dossier_versions.agency_code
        and list_agency_codes.agency_code is null

),

count_versions as (

    select
        source_file,
        count(*) as dossier_versions
    from find_unknown_desks
    group by source_file

),

list_codes as (

    select
        source_file,
        -- in code order on DuckDB; dbt-spark's listagg takes no order (it warns)
        {{ dbt.listagg(
            'receiving_agency_code', "', '",
            none if target.type == 'spark' else 'order by receiving_agency_code'
        ) }} as unknown_codes
    from (select distinct source_file, receiving_agency_code from find_unknown_desks) as distinct_desks
    group by source_file

),

final as (

    select
        count_versions.source_file,
        cast(count_versions.dossier_versions as bigint) as dossier_versions,
        list_codes.unknown_codes
    from count_versions
    inner join list_codes
        on list_codes.source_file = count_versions.source_file

)

select * from final
