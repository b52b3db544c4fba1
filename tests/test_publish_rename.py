"""Publishing renames the build file, kept in the published storage format; a copy only compacts."""

from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.release.site.chart_cache import CHART_CACHE_DIR
from sdmi_pipeline.runs.build_summary import summary
from sdmi_pipeline.warehouse.resource import PUBLISHED_STORAGE_VERSION, WarehouseResource, attach_sql
from tests.conftest import query


def storage_version(path: Path) -> str:
    """The storage format DuckDB reports for a database file, e.g. `v1.0.0+`."""
    with duckdb.connect(str(path), read_only=True) as connection:
        tags = connection.execute("SELECT tags FROM duckdb_databases() WHERE NOT internal").fetchone()[0]
    return tags["storage_version"]


def build_note(warehouse: WarehouseResource, value: int) -> None:
    with warehouse.connect() as connection:
        connection.execute(f"CREATE OR REPLACE TABLE core.note AS SELECT {value} AS n")


def test_a_first_build_is_written_for_old_clients_and_published_by_rename(warehouse: WarehouseResource):
    build_note(warehouse, 42)
    assert storage_version(warehouse.build_path) == f"{PUBLISHED_STORAGE_VERSION}+"
    inode = warehouse.build_path.stat().st_ino
    published = warehouse.publish()
    assert published.copied_because is None
    assert published.path == warehouse.published_path and published.path.stat().st_ino == inode
    assert not warehouse.build_path.exists()
    assert query(published.path, "SELECT n FROM core.note") == [(42,)]


def test_a_build_seeded_from_the_published_file_keeps_its_format_and_is_renamed(
    warehouse: WarehouseResource,
):
    build_note(warehouse, 1)
    first = warehouse.publish()
    build_note(warehouse, 2)  # seeds sdmi.build.duckdb from sdmi.duckdb, then replaces the table
    assert warehouse.build_path.stat().st_ino != first.path.stat().st_ino
    assert storage_version(warehouse.build_path) == f"{PUBLISHED_STORAGE_VERSION}+"
    assert query(first.path, "SELECT n FROM core.note") == [(1,)]  # the published file is untouched
    second = warehouse.publish()
    assert second.copied_because is None
    assert query(second.path, "SELECT n FROM core.note") == [(2,)]
    assert storage_version(second.path) == f"{PUBLISHED_STORAGE_VERSION}+"


def test_a_build_file_mostly_of_free_blocks_is_compacted_into_a_fresh_file(warehouse: WarehouseResource):
    with warehouse.connect() as connection:
        connection.execute(
            "CREATE TABLE staging.bulk AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(400000)"
        )
        connection.execute("CHECKPOINT")
        connection.execute("DROP TABLE staging.bulk")
        connection.execute("CREATE TABLE core.note AS SELECT 7 AS n")
    with duckdb.connect(str(warehouse.build_path)) as connection:
        connection.execute("CHECKPOINT")
        total, free = connection.execute(
            "SELECT total_blocks, free_blocks FROM pragma_database_size()"
        ).fetchone()
    assert free > total / 2
    size_before = warehouse.build_path.stat().st_size
    published = warehouse.publish()
    assert published.copied_because == f"{free} of its {total} blocks are free"
    assert published.path.stat().st_size < size_before / 2
    assert (
        not warehouse.build_path.exists()
        and not (warehouse.warehouse_root / "sdmi.publishing.duckdb").exists()
    )
    assert query(published.path, "SELECT n FROM core.note") == [(7,)]
    assert storage_version(published.path) == f"{PUBLISHED_STORAGE_VERSION}+"


def test_a_build_in_a_newer_storage_format_is_copied_into_the_published_one(warehouse: WarehouseResource):
    warehouse.warehouse_root.mkdir(parents=True)
    with duckdb.connect() as connection:  # e.g. a published file restored from a newer DuckDB's copy
        connection.execute(attach_sql(warehouse.published_path, "newer", "STORAGE_VERSION 'v1.2.0'"))
        connection.execute("CREATE TABLE newer.main.kept AS SELECT 3 AS n")
    build_note(warehouse, 5)
    assert storage_version(warehouse.build_path) == "v1.2.0+"
    published = warehouse.publish()
    assert published.copied_because == f"storage format v1.2.0+, not {PUBLISHED_STORAGE_VERSION}"
    assert storage_version(published.path) == f"{PUBLISHED_STORAGE_VERSION}+"
    assert query(published.path, "SELECT (SELECT n FROM kept), (SELECT n FROM core.note)") == [(3, 5)]


@pytest.mark.slow
def test_a_no_op_refresh_publishes_by_rename_and_writes_no_new_release(
    refresh, warehouse_dir: Path, export_dir: Path
):
    first = refresh()
    assert first.success
    vintage = release_metadata(first)["vintage"]
    assert release_metadata(first)["status"] == "written"
    second = refresh()  # nothing new
    assert second.success
    published = [
        event.materialization.metadata["published_by"].value
        for event in second.get_asset_materialization_events()
        if event.asset_key.path == ["published_warehouse"]
    ]
    assert published == ["renamed"]
    assert release_metadata(second) | {"path": None} == release_metadata(first) | {
        "path": None,
        "status": "unchanged",
        "observations_added": 0,
        "observations_removed": 0,
        "observations_revised": 0,
    }
    assert {path.name for path in export_dir.iterdir()} == {"latest", vintage, CHART_CACHE_DIR}
    with duckdb.connect(str(warehouse_dir / "sdmi.duckdb"), read_only=True) as connection:
        printed = summary(second, connection, warehouse_dir / "sdmi.duckdb", [])
    assert f"  release {vintage}: unchanged ({export_dir / vintage})" in printed.splitlines()


def release_metadata(result) -> dict:
    (event,) = [
        event for event in result.get_asset_materialization_events() if event.asset_key.path == ["release"]
    ]
    return {key: value.value for key, value in event.materialization.metadata.items()}


def test_a_failure_before_the_rename_leaves_the_published_file_as_it_was(warehouse: WarehouseResource):
    """The lake backend writes the lakes from the finished file before it is renamed into place:
    when that fails, the published file is the last good one (the next run publishes again)."""
    build_note(warehouse, 1)
    warehouse.publish()
    build_note(warehouse, 2)
    seen = []

    def lake_unreachable(finished: Path) -> None:
        seen.append(query(finished, "SELECT n FROM core.note"))
        raise OSError("the lake's catalog is unreachable")

    with pytest.raises(OSError, match="unreachable"):
        warehouse.publish(before_rename=lake_unreachable)
    assert seen == [[(2,)]]  # given the finished build
    assert query(warehouse.published_path, "SELECT n FROM core.note") == [(1,)]
    assert warehouse.publish(before_rename=lambda finished: None).copied_because is None
    assert query(warehouse.published_path, "SELECT n FROM core.note") == [(2,)]
