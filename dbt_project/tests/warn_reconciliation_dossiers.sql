-- Warning, never blocking: each failing row is a dossier on which the synced list of the
-- national portal and the dossier system disagree (missing on one side, status, channel,
-- payment or timestamps). Published in `reconciliation_dossiers`; counted here for the UI.
{{ config(severity='warn', tags=['reconciliation']) }}

with

reconciliation_dossiers as (

    select * from {{ ref('reconciliation_dossiers') }}

),

final as (

    select period, unit_code, dossier_code, issue
    from reconciliation_dossiers

)

select * from final
