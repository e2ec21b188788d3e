"""The Definitions load, and the asset graph is one lineage from landing files to BI."""

import dagster as dg

from orchestration.definitions import defs


def graph():
    return defs.resolve_asset_graph()


def key(path: str) -> dg.AssetKey:
    return dg.AssetKey(path.split("/"))


def upstream_closure(asset: str) -> set[str]:
    asset_graph, seen, todo = graph(), set(), [key(asset)]
    while todo:
        current = todo.pop()
        for parent in asset_graph.get(current).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return {k.to_user_string() for k in seen}


def test_lineage_runs_from_landing_files_to_the_publication():
    lineage = upstream_closure("publish/publication")
    assert {
        "marts/dossiers", "marts/bieu_06", "intermediate/int_dossiers__current_versions",
        "staging/stg_dossier_system__dossier_versions", "raw/dossier_versions",
        "raw/reference", "landing/dossier_system", "landing/reference",
        "raw/portal_766", "landing/dvc_portal", "raw/vneid_counts", "landing/vneid",
    } <= lineage  # fmt: skip


def test_groups_follow_the_layers():
    groups = {
        k.to_user_string(): graph().get(k).group_name for k in graph().get_all_asset_keys()
    }
    assert groups["landing/dossier_system"] == "landing"
    assert groups["raw/dossier_versions"] == "raw"
    assert groups["staging/stg_dossier_system__dossier_versions"] == "staging"
    assert groups["marts/bieu_06"] == "marts"
    assert groups["publish/publication"] == "publish"


def test_raw_assets_are_partitioned_like_their_sources():
    partitions = {
        name: graph().get(key(f"raw/{name}")).partitions_def
        for name in ("dossier_versions", "portal_766", "portal_synced", "vneid_counts")
    }
    assert partitions["dossier_versions"].name == "dossier_days"
    assert partitions["portal_766"].name == partitions["portal_synced"].name == "portal_months"
    assert partitions["vneid_counts"].name == "vneid_snapshots"
    assert graph().get(key("raw/reference")).partitions_def is None


def test_door_checks_and_dbt_tests_are_asset_checks():
    checks = {c.to_user_string() for c in graph().asset_check_keys}
    assert "raw/dossier_versions:quarantine_within_5pct" in checks
    assert "raw/dossier_versions:gx_suite" in checks
    assert "raw/portal_766:total_row_matches" in checks
    assert any(c.startswith("marts/bieu_06:") for c in checks)


def test_the_schedule_and_the_sensor_start_asset_jobs():
    """No job that runs other jobs: every job is an asset job, so a run shows in the UI the
    assets it materialized and the checks it ran."""
    jobs = {job.name for job in defs.resolve_all_job_defs() if job.name != "__ASSET_JOB"}
    assert jobs == {"load_reference", "load_dossier_days", "load_portal_months",
                    "load_vneid_snapshots", "build_marts"}  # fmt: skip
    for name in jobs:
        assert defs.resolve_job_def(name).asset_layer.executable_asset_keys, name
    assert key("publish/publication") in defs.resolve_job_def("build_marts").asset_layer.executable_asset_keys
    schedule = defs.resolve_schedule_def("nightly_0200")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Ho_Chi_Minh"
    assert schedule.job_name == "build_marts"
    sensor = defs.resolve_sensor_def("landing_sensor")
    assert {target.job_name for target in sensor.targets} == jobs


def test_freshness_is_a_warning_check_on_each_partitioned_raw_asset_judged_every_build():
    freshness = {c for c in graph().asset_check_keys if c.name == "freshness"}
    assert {c.to_user_string() for c in freshness} == {
        "raw/dossier_versions:freshness", "raw/portal_766:freshness",
        "raw/portal_synced:freshness", "raw/vneid_counts:freshness",
    }  # fmt: skip
    assert not any(graph().get_check_spec(c).blocking for c in freshness)
    build_marts = defs.resolve_job_def("build_marts")
    assert freshness <= set(build_marts.asset_layer.asset_graph.asset_check_keys)
    # the calendar's coverage is a dbt test of severity error: it blocks publication
    calendar = dg.AssetCheckKey(key("staging/stg_reference__calendar_exceptions"), "assert_every_dossier_year_has_holidays")
    assert graph().get_check_spec(calendar).blocking


def test_the_nightly_tick_asks_for_a_run_of_build_marts():
    schedule = defs.resolve_schedule_def("nightly_0200")
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(instance=instance)
        data = schedule.evaluate_tick(context)
    [request] = data.run_requests
    assert request.tags["tthc/trigger"] == "nightly_0200"
    assert schedule.job_name == "build_marts"


def test_every_dbt_data_test_is_an_asset_check_the_gate_reads():
    """A singular test of several models is only an observation in Dagster unless its
    meta names an asset: the publish gate, which reads checks, would never see it fail."""
    from orchestration.dbt_manifest import load_manifest

    tests = {
        node["name"] for node in load_manifest()["nodes"].values()
        if node["resource_type"] == "test"
    }  # fmt: skip
    checks = {c.name for c in graph().asset_check_keys}
    assert tests and tests <= checks, sorted(tests - checks)
