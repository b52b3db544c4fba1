"""The one "table exists" helper over a DuckDB connection's catalog."""

import duckdb


def table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `schema.table` is a table of the connection's default database."""
    schema, name = table.split(".")
    return connection.execute(
        "SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchone()[0]
