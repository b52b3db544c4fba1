"""The Definitions the UI, the daemon and `sdmi build` load."""

from dagster import AssetKey, in_process_executor

from sdmi_pipeline.contracts.contract import contracts
from sdmi_pipeline.definitions import REFRESH_JOB, build_definitions, defs
from sdmi_pipeline.release.asset import RELEASE_KEY
from sdmi_pipeline.warehouse.resource import PUBLISHED_KEY
from sdmi_pipeline.warehouse.sql_assets import referenced_tables, sql_files


def test_definitions_load_with_every_sql_table_as_an_asset():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    for table in sql_files():
        assert table.replace(".", "/") in keys
    assert {"staging/kp2mi_placements", "reference/countries", "published_warehouse"} <= keys


def test_every_asset_has_group_kinds_description_and_owner():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        groups = {
            "raw",
            "reference",
            "staging",
            "core",
            "indicators",
            "meta",
            "report",
            "publish",
            "dissemination",
        }
        assert node.group_name in groups, key
        assert node.description, key
        assert node.kinds, key
        assert node.owners == ["team:sdmi-data-engineering"], key


def test_dependencies_come_from_the_sql():
    graph = defs.resolve_asset_graph()
    core = graph.get(AssetKey(["core", "pmi_placements"]))
    assert core.parent_keys == {
        AssetKey(["staging", "kp2mi_placements"]),
        AssetKey(["reference", "age_groups"]),
    }
    observations = graph.get(AssetKey(["indicators", "observations"]))
    assert observations.parent_keys == {
        AssetKey(["indicators", "observations_pmi"]),
        AssetKey(["indicators", "observations_pmi_published"]),
        AssetKey(["indicators", "observations_tka"]),
        AssetKey(["indicators", "observations_refugees"]),
        AssetKey(["indicators", "observations_coverage"]),
        AssetKey(["indicators", "observations_remittances"]),
    }
    destination = graph.get(AssetKey(["report", "pmi_placed_by_destination"]))
    assert destination.parent_keys == {
        AssetKey(["indicators", "observations"]),
        AssetKey(["indicators", "catalogue"]),
        AssetKey(["indicators", "figures"]),  # the period's label: a year to date names its months
        AssetKey(["reference", "countries"]),
        AssetKey(["reference", "codes"]),
    }
    assert referenced_tables("WITH x AS (SELECT * FROM core.a) SELECT * FROM x JOIN meta.b USING (k)") == {
        "core.a",
        "meta.b",
    }


def test_publish_waits_for_every_table():
    graph = defs.resolve_asset_graph()
    tables = {
        key
        for key in graph.get_all_asset_keys()
        if key not in (PUBLISHED_KEY, RELEASE_KEY) and key.path[0] != "raw"
    }
    assert graph.get(PUBLISHED_KEY).parent_keys == tables


def test_the_release_is_written_after_publishing():
    graph = defs.resolve_asset_graph()
    assert graph.get(RELEASE_KEY).parent_keys == {PUBLISHED_KEY}
    assert graph.get(RELEASE_KEY).group_name == "dissemination"
    assert "release" in defs.resolve_job_def(REFRESH_JOB).graph.node_names()


def test_every_table_has_a_contract_and_a_blocking_contract_check():
    graph = defs.resolve_asset_graph()
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    for table in [*sql_files(), "reference.countries", "reference.provinces"]:
        assert table in contracts()
        assert (table.replace(".", "/"), "meets_contract") in checks
    assert ("indicators/observations", "totals_add_up") in checks
    blocking = {key.name for key in graph.asset_check_keys if graph.get_check_spec(key).blocking}
    assert blocking == {"meets_contract", "totals_add_up"}


def test_refresh_job_selects_everything():
    job = build_definitions().resolve_job_def(REFRESH_JOB)
    assert "published_warehouse" in job.graph.node_names()


def test_folders_resolve_at_run_time_not_when_definitions_load(monkeypatch, tmp_path):
    warehouse = defs.resources["warehouse"]  # built at import, before the variables below
    monkeypatch.setenv("SDMI_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    assert warehouse.raw_root == tmp_path / "raw"
    assert warehouse.published_path == tmp_path / "warehouse" / "sdmi.duckdb"


def test_every_step_that_opens_the_build_file_is_in_the_warehouse_pool():
    job = defs.resolve_job_def(REFRESH_JOB)
    pools = {node.name: node.definition.pool for node in job.graph.nodes}
    # One step per asset, but for the report views and the reference tables, which share one step
    # each; every check runs in its asset's step (sdmi_pipeline/warehouse/checked_asset.py).
    graph = defs.resolve_asset_graph()
    shared = {"report", "reference"}
    alone = [key for key in graph.materializable_asset_keys if key.path[0] not in shared]
    assert len(pools) == len(alone) + len(shared) == 41
    # The release reads the published file only, never the build file.
    assert pools.pop("release") is None
    assert set(pools.values()) == {"warehouse"}, pools


def test_every_job_runs_in_process_whoever_launches_it():
    # The refresh job (CLI, schedule, sensor, launchpad) and the implicit asset job (the UI's
    # Materialize, asset backfills) alike; tests/test_launch.py launches them for real.
    assert defs.resolve_job_def(REFRESH_JOB).executor_def is in_process_executor
    assert defs.resolve_implicit_global_asset_job_def().executor_def is in_process_executor


def test_indicators_and_the_published_warehouse_must_be_a_day_fresh():
    from datetime import timedelta

    graph = defs.resolve_asset_graph()
    fresh = {key.to_user_string() for key in graph.get_all_asset_keys() if graph.get(key).freshness_policy}
    assert fresh == {
        "indicators/catalogue",
        "indicators/figures",
        "indicators/gcm_indicator_map",
        "indicators/gcm_objectives",
        "indicators/gcm_progress",
        "indicators/mgi_domain_summary",
        "indicators/mgi_responses",
        "indicators/observations",
        "indicators/observations_coverage",
        "indicators/observations_pmi",
        "indicators/observations_pmi_published",
        "indicators/observations_refugees",
        "indicators/observations_remittances",
        "indicators/observations_tka",
        "indicators/sdmi_coverage",
        "indicators/sdmi_coverage_cells",
        "published_warehouse",
    }
    policy = graph.get(PUBLISHED_KEY).freshness_policy
    windows = (policy.warn_window.to_timedelta(), policy.fail_window.to_timedelta())
    assert windows == (timedelta(days=1), timedelta(hours=26))


def test_raw_deliveries_are_external_assets_upstream_of_staging():
    graph = defs.resolve_asset_graph()
    raw = graph.get(AssetKey(["raw", "kp2mi_placements_files"]))
    assert raw.is_external and raw.group_name == "raw" and raw.kinds == {"csv"}
    assert graph.get(AssetKey(["staging", "kp2mi_placements"])).parent_keys == {raw.key}
