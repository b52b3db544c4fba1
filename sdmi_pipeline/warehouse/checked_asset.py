"""An asset and its checks in one step: the checks run in the asset's own op, after it builds.

One step per asset instead of one per asset and one per check: Dagster writes a run's events
per step, and that bookkeeping was a third of a no-op build (docs/benchmarks.md). The op can be
subset, so the UI still runs a check alone (without rebuilding the table) or the asset alone.
A blocking check that fails with ERROR severity fails the step after its results are stored,
and Dagster skips everything downstream, as it did for a separate check step.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetsDefinition,
    AssetSpec,
    BackfillPolicy,
    MaterializeResult,
    PartitionsDefinition,
    multi_asset,
)

from sdmi_pipeline.warehouse.resource import WAREHOUSE_POOL, WarehouseResource

# Builds the asset's table on the run's connection; returns the materialization's metadata.
Build = Callable[[AssetExecutionContext, duckdb.DuckDBPyConnection], dict]
# Evaluates the checks named (a subset of the asset's check specs), one result per name.
Evaluate = Callable[[AssetExecutionContext, duckdb.DuckDBPyConnection, set[str]], Iterable[AssetCheckResult]]


def step_name(spec: AssetSpec) -> str:
    """The op (and step) name an @asset of this key would have: `core__pmi_placements`."""
    return "__".join(spec.key.path)


def checked_asset(
    spec: AssetSpec,
    build: Build,
    check_specs: Sequence[AssetCheckSpec],
    evaluate: Evaluate,
    *,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
) -> AssetsDefinition:
    """The asset of `spec`, built by `build`, with its checks evaluated in the same step."""

    @multi_asset(
        name=step_name(spec),
        specs=[spec.replace_attributes(skippable=True)],
        check_specs=check_specs,
        can_subset=True,
        pool=WAREHOUSE_POOL,
        partitions_def=partitions_def,
        backfill_policy=backfill_policy,
    )
    def _asset(
        context: AssetExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        selected = {key.name for key in context.selected_asset_check_keys}
        with warehouse.connect() as connection:
            if spec.key in context.selected_asset_keys:
                yield MaterializeResult(asset_key=spec.key, metadata=build(context, connection))
            if selected:
                yield from evaluate(context, connection, selected)

    return _asset
