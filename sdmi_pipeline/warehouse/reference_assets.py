"""Reference tables: the code lists of `sdmi_pipeline.reference`, published for SQL users."""

from collections.abc import Callable

import duckdb
import pandas as pd
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, AssetSpec

from sdmi_pipeline.contracts.checks import table_check_results, table_check_specs
from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.contracts.metadata import OWNERS, table_metadata
from sdmi_pipeline.contracts.versions import modules_named, modules_version, table_version
from sdmi_pipeline.reference.code_lists import age_group_table, code_table
from sdmi_pipeline.reference.countries import country_table
from sdmi_pipeline.reference.provinces import province_table
from sdmi_pipeline.warehouse.checked_asset import CheckedTable, checked_assets
from sdmi_pipeline.warehouse.resource import create_documented_table, declare_constraints

REFERENCE_TABLES: dict[str, Callable[[], pd.DataFrame]] = {
    "reference.countries": country_table,
    "reference.provinces": province_table,
    "reference.codes": code_table,
    "reference.age_groups": age_group_table,
}


# The one step that writes every reference table (checked_asset.checked_assets).
REFERENCE_STEP = "reference_tables"


def reference_table(table: str, frame: Callable[[], pd.DataFrame]) -> CheckedTable:
    """The asset that writes a reference table, and its contract check."""
    contract = contract_for(table)
    spec = AssetSpec(
        key=AssetKey(table.split(".")),
        group_name=table.split(".")[0],
        kinds={"duckdb", "python"},
        description=contract.description_en,
        owners=OWNERS,
        metadata={"dagster/table_name": table},
        code_version=table_version(table, modules_version(modules_named(["sdmi_pipeline.reference"]))),
    )

    def write(context: AssetExecutionContext, connection: duckdb.DuckDBPyConnection) -> dict:
        rows = frame()[[column.name for column in contract.columns]]
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        create_documented_table(connection, table)
        connection.register("reference_rows", rows)
        connection.execute(f"INSERT INTO {table} SELECT * FROM reference_rows")
        connection.unregister("reference_rows")
        declare_constraints(connection, table)
        return table_metadata(connection, contract)

    return CheckedTable(
        spec,
        write,
        table_check_specs(table),
        lambda context, connection, checks: table_check_results(context, connection, table, checks),
    )


def reference_assets() -> list[AssetsDefinition]:
    """Every reference table, in one step (a few hundred rows each)."""
    tables = [reference_table(table, frame) for table, frame in REFERENCE_TABLES.items()]
    return [checked_assets(REFERENCE_STEP, tables)]
