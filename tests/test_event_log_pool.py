"""Dagster's SQLite event log keeps one engine per shard open (dagster_internals.pool_sqlite_event_log)."""

from pathlib import Path

from dagster import DagsterInstance, Definitions, MaterializeResult, asset
from sqlalchemy import Engine, event

import sdmi_pipeline.definitions  # noqa: F401  (prepare_process: what every Dagster process of the project sets)


@asset
def first() -> MaterializeResult:
    return MaterializeResult(metadata={"rows": 1})


@asset(deps=[first])
def second() -> MaterializeResult:
    return MaterializeResult(metadata={"rows": 2})


def _run(instance: DagsterInstance):
    job = Definitions(assets=[first, second]).resolve_implicit_global_asset_job_def()
    return job.execute_in_process(instance=instance)


def test_a_run_opens_a_few_connections_not_one_per_event(tmp_path: Path):
    connections: list[str] = []  # the file of each SQLite connection opened

    def opened(dbapi_connection, _record) -> None:
        connections.append(dbapi_connection.execute("PRAGMA database_list").fetchone()[2])

    event.listen(Engine, "connect", opened)
    try:
        with DagsterInstance.local_temp(str(tmp_path)) as instance:
            result = _run(instance)
            stored = instance.get_records_for_run(result.run_id).records
            materialized = instance.fetch_materializations(second.key, limit=1).records
    finally:
        event.remove(Engine, "connect", opened)
    assert result.success
    assert len(stored) > 15  # run, step and asset events
    assert materialized[0].asset_materialization.metadata["rows"].value == 2
    # The event log's index and run shards: each opened once (where every event opened one or two:
    # 50 for these two assets), besides the connections that create and migrate their tables.
    shards = [Path(name).name for name in connections if Path(name).parent.name == "runs"]
    assert set(shards) == {"index.db", f"{result.run_id}.db"}
    assert len(shards) < 12, shards


def test_a_wiped_event_log_stores_the_next_run(tmp_path: Path):
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        _run(instance)
        instance.wipe()  # deletes the run shards' files: their open engines are closed first
        result = _run(instance)
        assert len(instance.get_records_for_run(result.run_id).records) > 15
        assert instance.fetch_materializations(first.key, limit=5).records[0].run_id == result.run_id
