"""The reading layer: schema `report`, one view per statistical table as BPS prints it.

`assets/report/<view>.sql` is the SELECT of the view `report.<view>`, documented by its contract
`schemas/report/<view>.yaml`. The views read only `indicators.*` and `reference.*`, so they can be
created on any connection that holds those tables: the warehouse build, and the disclosure-
controlled copy a release writes from (`create_report_views`).
"""

import duckdb

from sdmi_pipeline.contracts import contract_for
from sdmi_pipeline.paths import SQL_ASSETS_DIR

REPORT_SCHEMA = "report"
READABLE_SCHEMAS = ("indicators", "reference")


class ContractMismatchError(ValueError):
    """A table's or view's columns differ from its contract."""


def report_view_files() -> dict[str, str]:
    """`report.<view>` → its SQL, in name order."""
    return {
        f"{REPORT_SCHEMA}.{path.stem}": path.read_text(encoding="utf-8")
        for path in sorted((SQL_ASSETS_DIR / REPORT_SCHEMA).glob("*.sql"))
    }


def report_view_names() -> list[str]:
    return list(report_view_files())


def hold_to_contract(connection: duckdb.DuckDBPyConnection, name: str, kind: str = "TABLE") -> None:
    """Check that the columns of `name` are its contract's, in order, then write its comments."""
    contract = contract_for(name)
    built = [
        row[0]
        for row in connection.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
            "ORDER BY column_index",
            [contract.schema_name, contract.table_name],
        ).fetchall()
    ]
    expected = [column.name for column in contract.columns]
    if built != expected:
        raise ContractMismatchError(
            f"{name}: the SQL gives columns {built}, the contract in schemas/ lists {expected}"
        )
    for statement in contract.comment_sql(kind):
        connection.execute(statement)


def create_report_view(connection: duckdb.DuckDBPyConnection, view: str, sql: str) -> None:
    """Create or replace one report view, held to its contract and commented in both languages."""
    connection.execute(f"CREATE SCHEMA IF NOT EXISTS {REPORT_SCHEMA}")
    connection.execute(f"CREATE OR REPLACE VIEW {view} AS\n{sql}")
    hold_to_contract(connection, view, kind="VIEW")


def create_report_views(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Every report view, with its comments, on a connection holding indicators.* and reference.*."""
    views = report_view_files()
    for view, sql in views.items():
        create_report_view(connection, view, sql)
    return list(views)
