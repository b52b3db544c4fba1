"""One DuckDB connection per run: the steps of a run share it; errors and publishing close it."""

from pathlib import Path

import duckdb
import pytest
from dagster import Failure, build_init_resource_context

from sdmi_pipeline.warehouse import resource as warehouse_module
from sdmi_pipeline.warehouse.resource import WarehouseResource


@pytest.mark.slow
def test_a_refresh_opens_the_build_file_once_and_once_more_to_publish(refresh, monkeypatch):
    opened = []
    connect = duckdb.connect

    def counting(database: str = ":memory:", *arguments, **options):
        opened.append(Path(database).name)
        return connect(database, *arguments, **options)

    monkeypatch.setattr(warehouse_module.duckdb, "connect", counting)
    assert refresh().success  # every step of the run
    # the build file: the run's connection, and the checkpoint before publishing by rename (the
    # release's fingerprint and writers open in-memory connections of their own)
    assert [name for name in opened if name != ":memory:"][:2] == ["sdmi.build.duckdb", "sdmi.build.duckdb"]
    assert opened.count("sdmi.build.duckdb") == 2


def test_in_a_run_steps_share_the_connection_until_an_error(warehouse: WarehouseResource):
    warehouse.setup_for_execution(build_init_resource_context())
    with warehouse.connect() as first:
        first.execute("CREATE TABLE staging.note AS SELECT 1 AS n")
    with warehouse.connect() as second:
        assert second is first
    with pytest.raises(Failure, match="ValueError: bad row"), warehouse.connect():
        raise ValueError("bad row")
    with warehouse.connect() as third:
        assert third is not first and third.execute("SELECT n FROM staging.note").fetchall() == [(1,)]
    warehouse.teardown_after_execution(build_init_resource_context())
    with pytest.raises(duckdb.ConnectionException):
        third.execute("SELECT 1")


def test_outside_a_run_each_connection_closes_on_exit(warehouse: WarehouseResource):
    with warehouse.connect() as connection:
        connection.execute("SELECT 1")
    with pytest.raises(duckdb.ConnectionException):
        connection.execute("SELECT 1")
