"""The Dagster Definitions: what the UI, the daemon and `sdmi build` all load."""

from dagster import AssetSelection, Definitions, define_asset_job

from sdmi_pipeline.dagster_internals import pool_sqlite_event_log
from sdmi_pipeline.ingest.assets import raw_files_spec, source_asset
from sdmi_pipeline.ingest.revisions import revisions
from sdmi_pipeline.ingest.sources import SOURCES
from sdmi_pipeline.release.asset import release
from sdmi_pipeline.runs.automation import nightly_schedule, raw_files_sensor
from sdmi_pipeline.runs.malloc_arenas import limit_malloc_arenas
from sdmi_pipeline.runs.notify import NOTIFY_SENSORS
from sdmi_pipeline.runs.progress import progress_logger
from sdmi_pipeline.runs.publish import publish_asset
from sdmi_pipeline.runs.sqlite_sync import sync_sqlite_normally
from sdmi_pipeline.settings import load_settings
from sdmi_pipeline.warehouse import resource as warehouse
from sdmi_pipeline.warehouse.reference_assets import REFERENCE_TABLES, reference_assets
from sdmi_pipeline.warehouse.resource import WarehouseResource
from sdmi_pipeline.warehouse.sql_assets import sql_assets
from sdmi_pipeline.warehouse.workers import executor_for

REFRESH_JOB = "refresh_warehouse"


def prepare_process() -> None:
    """What every Dagster process of the project (webserver, daemon, run worker, `sdmi build`) sets,
    before DuckDB or Arrow start worker threads: malloc_arenas.py, sqlite_sync.py, and the SQLite
    event log's engines kept open (dagster_internals.pool_sqlite_event_log)."""
    limit_malloc_arenas()
    sync_sqlite_normally()
    pool_sqlite_event_log()


def build_definitions() -> Definitions:
    staging = [source_asset(source) for source in SOURCES]
    reference = reference_assets()
    python_tables = {source.table for source in SOURCES} | set(REFERENCE_TABLES)
    tables = sql_assets(python_tables)
    table_assets = [*reference, *staging, *tables, revisions]
    published = publish_asset([key for definition in table_assets for key in definition.keys])
    # In process unless sdmi.toml / SDMI_EXECUTOR chooses Celery workers (warehouse/workers.py).
    executor = executor_for(load_settings().warehouse)
    refresh = define_asset_job(
        REFRESH_JOB,
        selection=AssetSelection.all(),
        description="Load new raw files, rebuild every table, check, and publish the warehouse.",
        # In process, whoever launches it (CLI, UI, schedule, sensor, backfill): one DuckDB writer,
        # and no subprocess per step. Run config cannot choose multiprocess (docs/benchmarks.md).
        executor_def=executor,
        op_retry_policy=warehouse.TRANSIENT_RETRY,
    )
    return Definitions(
        assets=[*(raw_files_spec(source) for source in SOURCES), *table_assets, published, release],
        # Every check runs in its asset's step (check_specs, sdmi_pipeline/warehouse/checked_asset.py).
        jobs=[refresh],
        schedules=[nightly_schedule(refresh)],
        sensors=[raw_files_sensor(refresh), *NOTIFY_SENSORS],
        # Folders resolve at run time from SDMI_RAW_DIR / SDMI_WAREHOUSE_DIR (or data/raw, data/warehouse).
        resources={"warehouse": WarehouseResource()},
        loggers={"progress_logger": progress_logger},
        # Also for the UI's "Materialize" and asset backfills, which run the implicit asset job.
        executor=executor,
    )


prepare_process()
defs = build_definitions()
