"""The two dbt tests of the reorganisation contract as the publish gate reads them: asset
checks of the models they test, successor_cycle blocking, unknown_receiving_agency a warning.
(Needs dbt_project/target/manifest.json: `make manifest`.)"""

import dagster as dg

PUBLICATION = dg.AssetKey(["publish", "publication"])


def test_successor_cycle_blocks_and_unknown_receiving_agency_warns():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    checks = {c.to_user_string(): c for c in graph.asset_check_keys}
    cycle = checks["staging/stg_reference__agencies:successor_cycle"]
    desk = checks["staging/stg_dossier_system__dossier_versions:unknown_receiving_agency"]
    assert graph.get_check_spec(cycle).blocking
    assert not graph.get_check_spec(desk).blocking
    # both are read by the gate: their assets are upstream of the publication
    upstream = graph.get_ancestor_asset_keys(PUBLICATION)
    assert {cycle.asset_key, desk.asset_key} <= upstream
