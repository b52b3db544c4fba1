"""Helpers over a DuckDB connection's catalog: whether a table exists, and catalog changes in one commit."""

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


def table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `schema.table` is a table of the connection's default database."""
    schema, name = table.split(".")
    return connection.execute(
        "SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
    ).fetchone()[0]


@contextmanager
def one_commit(connection: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The statements inside (on a connection outside a transaction) in one transaction, committed
    together or rolled back on an error. Outside a transaction each statement commits alone, and a
    commit of a database file waits for the disk: a view's 15 comments cost 15 syncs, about 50 ms."""
    connection.begin()
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.commit()
