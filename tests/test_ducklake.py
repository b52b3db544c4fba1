"""The lakehouse backend (warehouse/ducklake.py) against a real PostgreSQL catalog and lake folders."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.samples.placements import generate
from sdmi_pipeline.settings import load_settings
from tests.conftest import BAD_ROWS_PER_FILE, SMALL_SCALE
from tests.lakehouse import grant_aggregates, lakehouse, read_as_statistician

RECORD_LEVEL = ["meta.rejects", "staging.kp2mi_placements", "core.pmi_placements", "core.tka_permits"]


@pytest.fixture
def lake_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A lakehouse (tests/lakehouse.py) that the refresh publishes into."""
    with lakehouse() as environment:
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        yield environment


def lakes(environment: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """The pipeline's view: both lakes attached read-only, as `sdmi` and `sdmi_records`."""
    from sdmi_pipeline.warehouse.ducklake import attach_lake, load_extensions

    connection = duckdb.connect()
    load_extensions(connection)
    attach_lake(connection, environment["SDMI_LAKE_CATALOG"], "", "sdmi", read_only=True)
    attach_lake(connection, environment["SDMI_LAKE_RECORDS_CATALOG"], "", "sdmi_records", read_only=True)
    return connection


def catalog(connection: duckdb.DuckDBPyConnection, database: str) -> set[tuple]:
    """(object, column, type, NOT NULL, comment) of every table and view column, and each object's comment."""
    columns = connection.execute(
        "SELECT schema_name || '.' || table_name, column_name, data_type, is_nullable, "
        "CASE WHEN (schema_name, table_name) IN (SELECT (schema_name, view_name) FROM duckdb_views() "
        "WHERE database_name = ?) THEN NULL ELSE comment END "  # DuckLake keeps no view column comments
        "FROM duckdb_columns() WHERE database_name = ?",
        [database, database],
    ).fetchall()
    objects = connection.execute(
        "SELECT schema_name || '.' || table_name, comment FROM duckdb_tables() WHERE database_name = ? "
        "UNION ALL SELECT schema_name || '.' || view_name, comment FROM duckdb_views() "
        "WHERE database_name = ? AND NOT internal",
        [database, database],
    ).fetchall()
    return set(columns) | set(objects)


def test_settings_choose_the_backend_and_the_environment_overrides(tmp_path: Path, monkeypatch):
    config = tmp_path / "sdmi.toml"
    config.write_text('[warehouse]\nbackend = "ducklake"\ncatalog = "dbname=a"\ndata_path = "/lake/"\n')
    monkeypatch.setenv("SDMI_LAKE_CATALOG", "dbname=b host=db")
    settings = load_settings(config).warehouse
    assert (settings.backend, settings.catalog, settings.data_path) == (
        "ducklake",
        "dbname=b host=db",
        "/lake/",
    )
    assert load_settings(tmp_path / "missing.toml").warehouse.backend == "file"
    monkeypatch.setenv("SDMI_WAREHOUSE_BACKEND", "motherduck")
    with pytest.raises(ValueError, match="motherduck"):
        load_settings(config)


@pytest.mark.slow
def test_the_lake_holds_the_published_warehouse_in_two_lakes_and_keeps_releases(
    lake_environment, refresh, raw_root: Path, warehouse_dir: Path, tmp_path: Path
):
    first = refresh()
    assert first.success
    published = warehouse_dir / "sdmi.duckdb"
    shutil.copyfile(published, tmp_path / "first.duckdb")
    connection = lakes(lake_environment)
    connection.execute(f"ATTACH '{published}' AS file (READ_ONLY)")
    # Same content: every table and view, its columns, types, NOT NULL and comments (en | id).
    assert catalog(connection, "sdmi") | catalog(connection, "sdmi_records") == catalog(connection, "file")
    records = {row[0] for row in catalog(connection, "sdmi_records")}
    aggregates = {row[0] for row in catalog(connection, "sdmi")}
    assert set(RECORD_LEVEL) <= records and not records & aggregates
    assert {"indicators.observations", "report.pmi_placed_by_province"} <= aggregates
    # indicators.observations, cell for cell (EXCEPT ALL both ways: duplicates count too).
    for left, right in (("sdmi", "file"), ("file", "sdmi")):
        assert connection.execute(
            f"SELECT count(*) FROM (FROM {left}.indicators.observations "
            f"EXCEPT ALL FROM {right}.indicators.observations)"
        ).fetchone() == (0,)
    observations = connection.execute("SELECT count(*) FROM file.indicators.observations").fetchone()[0]
    assert observations > 100
    assert connection.execute("SELECT count(*) FROM sdmi.report.pmi_placed_by_province").fetchone()[0] > 0
    # The snapshot is tagged with the release's vintage.
    vintage = str(connection.execute("SELECT max(vintage) FROM file.meta.observation_history").fetchone()[0])
    first_snapshot, message = connection.execute(
        "SELECT snapshot_id, commit_message FROM sdmi.snapshots() ORDER BY snapshot_id DESC LIMIT 1"
    ).fetchone()
    assert message == f"release {vintage}"
    connection.close()

    # A new month: the next release is a new snapshot; time travel returns the first release.
    generate(raw_root, scale=SMALL_SCALE, bad_rows=BAD_ROWS_PER_FILE, months=[3])
    assert refresh().success
    connection = lakes(lake_environment)
    connection.execute(f"ATTACH '{tmp_path / 'first.duckdb'}' AS first_file (READ_ONLY)")
    connection.execute(f"ATTACH '{published}' AS file (READ_ONLY)")
    latest = connection.execute("SELECT max(snapshot_id) FROM sdmi.snapshots()").fetchone()[0]
    assert latest > first_snapshot
    then = f"sdmi.indicators.observations AT (VERSION => {first_snapshot})"
    for left, right in (
        (then, "first_file.indicators.observations"),
        ("first_file.indicators.observations", then),
    ):
        assert connection.execute(
            f"SELECT count(*) FROM (FROM {left} EXCEPT ALL FROM {right})"
        ).fetchone() == (0,)
    now = connection.execute("SELECT count(*) FROM sdmi.indicators.observations").fetchone()[0]
    assert (
        now
        == connection.execute("SELECT count(*) FROM file.indicators.observations").fetchone()[0]
        > observations
    )
    connection.close()


@pytest.mark.slow
def test_a_failed_publish_leaves_the_lake_as_it_was(
    lake_environment, refresh, warehouse_dir: Path, tmp_path: Path, monkeypatch
):
    from sdmi_pipeline.warehouse import ducklake

    assert refresh().success
    shutil.copyfile(warehouse_dir / "sdmi.duckdb", tmp_path / "as_published.duckdb")
    connection = lakes(lake_environment)
    before = connection.execute("SELECT max(snapshot_id) FROM sdmi.snapshots()").fetchone()[0]
    connection.close()
    # The next publish rewrites every table, and fails at the last one: nothing of it is visible.
    published = warehouse_dir / "sdmi.duckdb"
    with duckdb.connect(str(published)) as writer:
        writer.execute("UPDATE indicators.observations SET value = value + 1")
    monkeypatch.setattr(ducklake, "_last_fingerprints", lambda connection, lake: {})
    real_copy = ducklake._copy_view

    def failing_copy(connection, lake, name, sql):
        raise RuntimeError(f"disk full while writing {name}")

    monkeypatch.setattr(ducklake, "_copy_view", failing_copy)
    with pytest.raises(RuntimeError, match="disk full"):
        ducklake.publish_to_lakes(published, load_settings().warehouse)
    monkeypatch.setattr(ducklake, "_copy_view", real_copy)
    connection = lakes(lake_environment)
    connection.execute(f"ATTACH '{tmp_path / 'as_published.duckdb'}' AS file (READ_ONLY)")
    assert connection.execute("SELECT max(snapshot_id) FROM sdmi.snapshots()").fetchone()[0] == before
    for left, right in (("sdmi", "file"), ("file", "sdmi")):
        assert connection.execute(
            f"SELECT count(*) FROM (FROM {left}.indicators.observations "
            f"EXCEPT ALL FROM {right}.indicators.observations)"
        ).fetchone() == (0,)
    connection.close()


@pytest.mark.slow
def test_the_aggregate_only_role_cannot_read_one_record_level_row(lake_environment, refresh):
    assert refresh().success
    grant_aggregates(lake_environment)
    answers = read_as_statistician(lake_environment)
    assert answers["attach_aggregates"][0] == "ok"
    assert int(answers["observations"][1][0][0]) > 100
    assert answers["attach_records"][0] == "refused"
    assert "permission denied for database" in answers["attach_records"][1]
    records = Path(lake_environment["SDMI_LAKE_RECORDS_DATA_PATH"])
    assert any("kp2mi_placements" in str(path) for path in records.rglob("*.parquet"))
    assert answers["records_parquet"][0] == "refused"  # DuckDB cannot even list the folder
    assert answers["records_open"][0] == "refused" and "Permission denied" in answers["records_open"][1]
