"""The published warehouse: the build file renamed over `sdmi.duckdb` once everything passed."""

import sys

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from sdmi_pipeline.contracts.versions import modules_version
from sdmi_pipeline.runs.automation import NIGHTLY_FRESHNESS
from sdmi_pipeline.runs.up_to_date import build_inputs, record_build_inputs
from sdmi_pipeline.warehouse import resource
from sdmi_pipeline.warehouse.metadata import OWNERS
from sdmi_pipeline.warehouse.resource import WAREHOUSE_POOL, WarehouseResource

PUBLISHED_KEY = AssetKey(["published_warehouse"])


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
        code_version=modules_version([sys.modules[__name__], resource]),
    )
    def published_warehouse(
        context: AssetExecutionContext, warehouse: WarehouseResource
    ) -> MaterializeResult:
        if not context.run.asset_selection:  # a run of every asset: what it was built from is known
            with warehouse.connect() as connection:
                record_build_inputs(connection, build_inputs(warehouse.warehouse_root))
        published = warehouse.publish()
        how = (
            f"copied into a fresh file: {published.copied_because}" if published.copied_because else "renamed"
        )
        context.log.info("published %s (%s)", published.path, how)
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(published.path)),
                "size_bytes": published.path.stat().st_size,
                "published_by": how,
            }
        )

    return published_warehouse
