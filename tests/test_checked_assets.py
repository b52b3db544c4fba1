"""Checks run in their asset's own step: a failing blocking check still stops everything downstream,
a check still runs alone (without rebuilding its table), and sources with no file cost one count."""

from pathlib import Path

import duckdb
import pytest
from dagster import (
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetSpec,
    DagsterEventType,
    DagsterInstance,
    DagsterInvalidSubsetError,
    Definitions,
    MaterializeResult,
    asset,
)

from sdmi_pipeline.contracts.checks import contract_violations
from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.definitions import defs
from sdmi_pipeline.ingest.checks import source_check_results
from sdmi_pipeline.ingest.revisions import CHECK, REVISIONS_KEY
from sdmi_pipeline.ingest.sources import SOURCES
from sdmi_pipeline.runs.outcome import CHECK_NAME as DELIVERIES_CHECK
from sdmi_pipeline.warehouse.checked_asset import CheckedTable, checked_asset, checked_assets
from sdmi_pipeline.warehouse.reference_assets import REFERENCE_STEP
from sdmi_pipeline.warehouse.resource import PUBLISHED_KEY, WarehouseResource
from sdmi_pipeline.warehouse.sql_assets import REPORT_VIEWS_STEP

TABLE = AssetKey(["core", "numbers"])


def numbers_definitions(tmp_path: Path, passing: bool, built: list[str]) -> Definitions:
    """core.numbers with a blocking check and a warning, and an asset downstream of it."""

    def build(context, connection: duckdb.DuckDBPyConnection) -> dict:
        built.append("core/numbers")
        connection.execute("CREATE OR REPLACE TABLE core.numbers AS SELECT 1 AS n")
        return {"rows": 1}

    def evaluate(context, connection, selected):
        count = connection.execute("SELECT 1").fetchone()[0]  # a run alone sees the published tables
        for name in sorted(selected):
            severity = AssetCheckSeverity.ERROR if name == "sound" else AssetCheckSeverity.WARN
            yield AssetCheckResult(
                asset_key=TABLE, check_name=name, passed=passing, severity=severity, metadata={"rows": count}
            )

    numbers = checked_asset(
        AssetSpec(TABLE, group_name="core"),
        build,
        [AssetCheckSpec("sound", asset=TABLE, blocking=True), AssetCheckSpec("small", asset=TABLE)],
        evaluate,
    )

    @asset(key=["indicators", "downstream"], deps=[TABLE])
    def downstream() -> MaterializeResult:
        built.append("indicators/downstream")
        return MaterializeResult()

    warehouse = WarehouseResource(raw_dir=str(tmp_path / "raw"), warehouse_dir=str(tmp_path / "warehouse"))
    return Definitions(assets=[numbers, downstream], resources={"warehouse": warehouse})


def run(definitions: Definitions, **subset):
    job = definitions.resolve_implicit_global_asset_job_def()
    if subset:
        job = job.get_subset(**subset)
    with DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)


def outcome(result) -> tuple[list[str], dict[str, bool], dict[str, str]]:
    materialized = [event.asset_key.to_user_string() for event in result.get_asset_materialization_events()]
    checks = {evaluation.check_name: evaluation.passed for evaluation in result.get_asset_check_evaluations()}
    steps = {
        event.step_key: event.event_type_value
        for event in result.all_events
        if event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE)
    }
    return materialized, checks, steps


def test_a_failing_blocking_check_in_the_assets_step_stops_downstream(tmp_path):
    built: list[str] = []
    result = run(numbers_definitions(tmp_path, passing=False, built=built))
    materialized, checks, steps = outcome(result)
    assert not result.success
    assert materialized == ["core/numbers"]  # stored, then its step fails on the blocking check
    assert checks == {"small": False, "sound": False}
    assert steps == {"core__numbers": "STEP_FAILURE"}
    assert built == ["core/numbers"]  # indicators/downstream never ran


def test_a_failing_warning_lets_downstream_run(tmp_path):
    built: list[str] = []
    definitions = numbers_definitions(tmp_path, passing=True, built=built)
    result = run(definitions)
    assert result.success
    assert built == ["core/numbers", "indicators/downstream"]
    assert outcome(result)[2] == {"core__numbers": "STEP_SUCCESS", "indicators__downstream": "STEP_SUCCESS"}


def test_a_check_runs_alone_without_rebuilding_its_table(tmp_path):
    built: list[str] = []
    definitions = numbers_definitions(tmp_path, passing=True, built=built)
    assert run(definitions, asset_selection={TABLE}, asset_check_selection=set()).success
    assert built == ["core/numbers"]
    result = run(definitions, asset_selection=set(), asset_check_selection={AssetCheckKey(TABLE, "small")})
    assert result.success
    assert outcome(result)[:2] == ([], {"small": True})
    assert built == ["core/numbers"]  # not built again


def test_the_asset_runs_alone_without_its_checks(tmp_path):
    built: list[str] = []
    definitions = numbers_definitions(tmp_path, passing=False, built=built)
    result = run(definitions, asset_selection={TABLE}, asset_check_selection=set())
    assert result.success and outcome(result)[:2] == (["core/numbers"], {})


def test_every_check_of_the_definitions_can_run_alone_in_its_assets_step():
    job = defs.resolve_implicit_global_asset_job_def()
    graph = defs.resolve_asset_graph()
    assert len(graph.asset_check_keys) > len(SOURCES) * 4  # every check, not a few
    # meta/revisions judges the release its own step records, and deliveries_clean what the publish
    # step read: each runs with its asset, never alone.
    with_their_asset = {AssetCheckKey(REVISIONS_KEY, CHECK), AssetCheckKey(PUBLISHED_KEY, DELIVERIES_CHECK)}
    shared = {"report": REPORT_VIEWS_STEP, "reference": REFERENCE_STEP}  # tables that share a step
    for key in graph.asset_check_keys - with_their_asset:
        subset = job.get_subset(asset_selection=set(), asset_check_selection={key})
        step = shared.get(key.asset_key.path[0], "__".join(key.asset_key.path))
        assert subset.graph.node_names() == [step], key
    for key in with_their_asset:
        with pytest.raises(DagsterInvalidSubsetError):
            job.get_subset(asset_selection=set(), asset_check_selection={key})


@pytest.fixture
def bookkeeping() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA meta")
    for table in ("meta.raw_files", "meta.rejects"):
        connection.execute(contract_for(table).create_table_sql())
    return connection


def test_a_source_with_no_file_passes_its_checks_without_reading_its_table(bookkeeping):
    # The staging table does not even exist: only meta.raw_files is counted.
    source = SOURCES[0]
    selected = {"files_readable", "rejected_rows", "lines_accounted", "revisions_not_held"}
    results = {result.check_name: result for result in source_check_results(bookkeeping, source, selected)}
    assert list(results) == ["files_readable", "rejected_rows", "lines_accounted", "revisions_not_held"]
    assert all(result.passed for result in results.values())
    assert results["rejected_rows"].metadata["rows_read"].value == 0
    assert results["files_readable"].metadata["files_failed"].value == 0
    assert results["lines_accounted"].severity == AssetCheckSeverity.ERROR
    assert results["revisions_not_held"].severity == AssetCheckSeverity.WARN


def test_contract_violations_of_an_empty_table_and_of_bad_rows():
    contract = contract_for("core.pmi_monthly_counts")
    good = "('2023-01', 2023, 'MYS', '33', 'F', 'Y25T29', 'SMP', 'INFORMAL', 'DOMESTIC_WORKER', 'P2P', 3)"
    with duckdb.connect() as connection:
        connection.execute("CREATE SCHEMA core")
        connection.execute(contract.create_table_sql())
        assert contract_violations(connection, contract) == []  # empty: one count, nothing else
        connection.execute(
            f"""INSERT INTO core.pmi_monthly_counts VALUES {good}, {good},
            ('2023-1', 2023, 'XXX', '33', 'X', 'Y25T29', 'SMP', 'INFORMAL', 'DOMESTIC_WORKER', 'P2P', 0),
            ('2023-02', 2023, 'MYS', '99', 'M', 'Y25T29', 'SMP', 'FORMAL', 'COOK', 'G2G', 5)"""
        )
        violations = {v.rule: v.count for v in contract_violations(connection, contract)}
    assert violations == {
        "placement_month: month not YYYY-MM": 1,
        "destination: destination outside ISO 3166-1": 1,
        "province: province outside the 38 BPS provinces": 1,
        "sex: sex outside M/F": 1,
        "placed: a cell with no placement": 1,
        "primary key (placement_month, destination, province, sex, age_group, education, sector, "
        "occupation, scheme) is unique": 1,
    }


def two_views_definitions(tmp_path: Path, built: list[str]) -> Definitions:
    """report.first (its blocking check fails) and report.second, in one step; a table downstream."""

    def table(name: str, passing: bool) -> CheckedTable:
        key = AssetKey(["report", name])

        def build(context, connection: duckdb.DuckDBPyConnection) -> dict:
            built.append(key.to_user_string())
            return {}

        def evaluate(context, connection, selected):
            for check in sorted(selected):
                yield AssetCheckResult(
                    asset_key=key, check_name=check, passed=passing, severity=AssetCheckSeverity.ERROR
                )

        return CheckedTable(
            AssetSpec(key, group_name="report"),
            build,
            [AssetCheckSpec("sound", asset=key, blocking=True)],
            evaluate,
        )

    views = checked_assets("report_views", [table("first", passing=False), table("second", passing=True)])

    @asset(key=["meta", "after"], deps=[AssetKey(["report", "second"])])
    def after() -> MaterializeResult:
        built.append("meta/after")
        return MaterializeResult()

    warehouse = WarehouseResource(raw_dir=str(tmp_path / "raw"), warehouse_dir=str(tmp_path / "warehouse"))
    return Definitions(assets=[views, after], resources={"warehouse": warehouse})


def test_tables_sharing_a_step_are_each_built_and_checked_and_one_fails_the_step(tmp_path):
    built: list[str] = []
    result = run(two_views_definitions(tmp_path, built))
    evaluations = {
        (e.asset_key.to_user_string(), e.check_name): e.passed for e in result.get_asset_check_evaluations()
    }
    assert not result.success
    assert built == ["report/first", "report/second"]  # both built; meta/after skipped
    assert evaluations == {("report/first", "sound"): False, ("report/second", "sound"): True}
    assert outcome(result)[2] == {"report_views": "STEP_FAILURE"}


def test_one_table_of_a_shared_step_runs_alone(tmp_path):
    built: list[str] = []
    second = AssetKey(["report", "second"])
    subset = {"asset_selection": {second}, "asset_check_selection": {AssetCheckKey(second, "sound")}}
    result = run(two_views_definitions(tmp_path, built), **subset)
    assert result.success
    assert built == ["report/second"]
    assert [e.asset_key for e in result.get_asset_check_evaluations()] == [second]
