"""The published warehouse: the build file renamed over `sdmi.duckdb` once everything passed."""

import sys
from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from sdmi_pipeline.contracts.metadata import OWNERS
from sdmi_pipeline.contracts.versions import modules_version
from sdmi_pipeline.dagster_internals import add_run_tags
from sdmi_pipeline.ingest.unread_paths import unread_paths
from sdmi_pipeline.runs.outcome import deliveries_check, deliveries_check_spec
from sdmi_pipeline.runs.up_to_date import build_inputs, record_build_inputs
from sdmi_pipeline.settings import WarehouseSettings, load_settings
from sdmi_pipeline.warehouse import resource
from sdmi_pipeline.warehouse.resource import PUBLISHED_KEY, WAREHOUSE_POOL, WarehouseResource
from sdmi_pipeline.warehouse.sql_assets import NIGHTLY_FRESHNESS


def publish_asset(upstream: list[AssetKey]) -> AssetsDefinition:
    """Publishes the build after every table (and its blocking checks) succeeded."""

    @asset(
        key=PUBLISHED_KEY,
        deps=upstream,
        group_name="publish",
        kinds={"duckdb"},
        description=(
            "The warehouse statisticians query: <SDMI_WAREHOUSE_DIR>/sdmi.duckdb. Published by "
            "renaming the finished build over it in one atomic step, after every table built "
            "and every blocking check passed (a build file mostly of free blocks is compacted "
            "first); open it read-only."
        ),
        owners=OWNERS,
        pool=WAREHOUSE_POOL,
        freshness_policy=NIGHTLY_FRESHNESS,
        check_specs=[deliveries_check_spec(PUBLISHED_KEY)],
        code_version=modules_version([sys.modules[__name__], resource]),
    )
    def published_warehouse(
        context: AssetExecutionContext, warehouse: WarehouseResource
    ) -> MaterializeResult:
        if not context.run.asset_selection:  # a run of every asset: what it was built from is known
            with warehouse.connect() as connection:
                record_build_inputs(connection, build_inputs(warehouse.warehouse_root))
        before = unread_paths(warehouse.raw_root, warehouse.published_path)
        settings = load_settings().warehouse
        lakes = []
        # The lakes are written from the finished file before it is renamed into place: a lake
        # that cannot be written leaves the published file as it was, and the next run publishes.
        published = warehouse.publish(
            before_rename=(lambda finished: lakes.extend(_write_lakes(finished, settings)))
            if settings.backend == "ducklake"
            else None
        )
        check, tags = deliveries_check(warehouse.raw_root, published.path, before, PUBLISHED_KEY)
        add_run_tags(context.instance, context.run_id, tags)
        how = (
            f"copied into a fresh file: {published.copied_because}" if published.copied_because else "renamed"
        )
        context.log.info("published %s (%s)", published.path, how)
        metadata = {
            "path": MetadataValue.path(str(published.path)),
            "size_bytes": published.path.stat().st_size,
            "published_by": how,
        }
        for lake in lakes:
            context.log.info(
                "lake %s: snapshot %s (release %s), %d rewritten, %d dropped",
                lake.lake,
                lake.snapshot,
                lake.vintage,
                len(lake.rewritten),
                len(lake.dropped),
            )
            metadata[f"{lake.lake}_snapshot"] = lake.snapshot
        return MaterializeResult(metadata=metadata, check_results=[check])

    return published_warehouse


def _write_lakes(finished: Path, settings: WarehouseSettings) -> list:
    """Copy the finished warehouse file into the lakes (the lake backend's publish)."""
    from sdmi_pipeline.warehouse.ducklake import publish_to_lakes  # needs the DuckLake packages

    try:
        return publish_to_lakes(finished, settings)
    except (duckdb.IOException, OSError):
        raise  # PostgreSQL or the data path unreachable: retried (TRANSIENT_RETRY)
    except Exception as error:  # the same data gives the same error: not retried
        raise Failure(
            description=f"publishing into the lake failed, the lake is as it was: {error}",
            allow_retries=False,
        ) from error
