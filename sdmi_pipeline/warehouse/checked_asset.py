"""Assets and their checks in one step: the checks run in the asset's own op, after it builds.

One step per asset instead of one per asset and one per check: Dagster writes a run's events
per step, and that bookkeeping was a third of a no-op build (docs/benchmarks.md). Tables that
belong together and are cheap to build (the report views, the reference code lists) share one
step (`checked_assets`): each is still its own asset, with its own checks. The op can be
subset, so the UI still runs a check alone (without rebuilding the table) or one asset alone.
A blocking check that fails with ERROR severity fails the step after its results are stored,
and Dagster skips everything downstream, as it did for a separate check step.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class CheckedTable:
    """One asset of a step: its spec, how it is built, its checks and how they are evaluated."""

    spec: AssetSpec
    build: Build
    check_specs: Sequence[AssetCheckSpec]
    evaluate: Evaluate


def step_name(spec: AssetSpec) -> str:
    """The op (and step) name an @asset of this key would have: `core__pmi_placements`."""
    return "__".join(spec.key.path)


def selected_checks(context: AssetExecutionContext, spec: AssetSpec) -> set[str]:
    """The names of the checks of `spec`'s asset that this run selected."""
    return {key.name for key in context.selected_asset_check_keys if key.asset_key == spec.key}


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
    table = CheckedTable(spec, build, check_specs, evaluate)
    return checked_assets(
        step_name(spec), [table], partitions_def=partitions_def, backfill_policy=backfill_policy
    )


def checked_assets(
    name: str,
    tables: Sequence[CheckedTable],
    *,
    partitions_def: PartitionsDefinition | None = None,
    backfill_policy: BackfillPolicy | None = None,
) -> AssetsDefinition:
    """One step named `name` that builds the selected `tables` in order, each followed by its checks."""

    @multi_asset(
        name=name,
        specs=[table.spec.replace_attributes(skippable=True) for table in tables],
        check_specs=[check for table in tables for check in table.check_specs],
        can_subset=True,
        pool=WAREHOUSE_POOL,
        partitions_def=partitions_def,
        backfill_policy=backfill_policy,
    )
    def _assets(
        context: AssetExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[MaterializeResult | AssetCheckResult]:
        with warehouse.connect() as connection:
            for table in tables:
                if table.spec.key in context.selected_asset_keys:
                    metadata = table.build(context, connection)
                    yield MaterializeResult(asset_key=table.spec.key, metadata=metadata)
                if checks := selected_checks(context, table.spec):
                    yield from table.evaluate(context, connection, checks)

    return _assets
