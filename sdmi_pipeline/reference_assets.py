"""Reference tables: the code lists of `sdmi_pipeline.reference`, published for SQL users."""

from collections.abc import Callable

import pandas as pd
from dagster import AssetKey, AssetsDefinition, MaterializeResult, asset

from sdmi_pipeline.contracts import contract_for
from sdmi_pipeline.metadata import OWNERS, table_metadata
from sdmi_pipeline.reference.code_lists import age_group_table, code_table
from sdmi_pipeline.reference.countries import country_table
from sdmi_pipeline.reference.provinces import province_table
from sdmi_pipeline.warehouse import (
    WAREHOUSE_POOL,
    WarehouseResource,
    create_documented_table,
    declare_constraints,
)

REFERENCE_TABLES: dict[str, Callable[[], pd.DataFrame]] = {
    "reference.countries": country_table,
    "reference.provinces": province_table,
    "reference.codes": code_table,
    "reference.age_groups": age_group_table,
}


def reference_asset(table: str, frame: Callable[[], pd.DataFrame]) -> AssetsDefinition:
    contract = contract_for(table)
    schema, name = table.split(".")

    @asset(
        key=AssetKey([schema, name]),
        group_name=schema,
        kinds={"duckdb", "python"},
        description=contract.description_en,
        owners=OWNERS,
        metadata={"dagster/table_name": table},
        pool=WAREHOUSE_POOL,
    )
    def _write(warehouse: WarehouseResource) -> MaterializeResult:
        rows = frame()[[column.name for column in contract.columns]]
        with warehouse.connect() as connection:
            connection.execute(f"DROP TABLE IF EXISTS {table}")
            create_documented_table(connection, table)
            connection.register("reference_rows", rows)
            connection.execute(f"INSERT INTO {table} SELECT * FROM reference_rows")
            connection.unregister("reference_rows")
            declare_constraints(connection, table)
            return MaterializeResult(metadata=table_metadata(connection, contract))

    return _write


def reference_assets() -> list[AssetsDefinition]:
    return [reference_asset(table, frame) for table, frame in REFERENCE_TABLES.items()]
