"""What a materialization shows in the Dagster UI: row count, column schema, a preview."""

import duckdb
import pandas as pd
from dagster import MetadataValue, TableColumn, TableSchema

from sdmi_pipeline.contracts.contract import Contract

OWNERS = ["team:sdmi-data-engineering"]  # who answers for every asset, shown in the UI


def column_schema(contract: Contract) -> TableSchema:
    """The contract's columns as Dagster shows them."""
    return TableSchema(
        columns=[
            TableColumn(c.name, c.type, description=c.comment, constraints=None) for c in contract.columns
        ]
    )


def markdown(frame: pd.DataFrame, limit: int = 10) -> MetadataValue:
    """A frame as a markdown table (at most `limit` rows)."""
    if frame.empty:
        return MetadataValue.md("_none_")
    return MetadataValue.md(frame.head(limit).to_markdown(index=False))


def table_metadata(connection: duckdb.DuckDBPyConnection, contract: Contract) -> dict:
    """Row count, column schema and a 10-row preview of a warehouse table (none of an empty one)."""
    rows = connection.execute(f"SELECT count(*) FROM {contract.table}").fetchone()[0]
    preview = connection.execute(f"SELECT * FROM {contract.table} LIMIT 10").df() if rows else pd.DataFrame()
    return {
        "dagster/row_count": rows,
        "dagster/column_schema": column_schema(contract),
        "dagster/table_name": contract.table,
        "preview": markdown(preview),
    }
