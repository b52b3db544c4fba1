"""The reading layer: schema `report`, one view per statistical table as BPS prints it.

`assets/report/<view>.sql` is the SELECT of the view `report.<view>`, documented by its contract
`schemas/report/<view>.yaml`; the breakdown views are rendered from one template and one parameter
table (report_templates.py). The views read only `indicators.*` and `reference.*`, so they can be
created on any connection that holds those tables: the warehouse build, and the disclosure-
controlled copy a release writes from (`create_report_views`).
"""

import duckdb

from sdmi_pipeline.paths import SQL_ASSETS_DIR
from sdmi_pipeline.warehouse.report_templates import generated
from sdmi_pipeline.warehouse.resource import hold_to_contract

REPORT_SCHEMA = "report"
READABLE_SCHEMAS = ("indicators", "reference")


def report_view_files() -> dict[str, str]:
    """`report.<view>` → its SQL (hand-written or rendered from the template), in name order."""
    views = {
        f"{REPORT_SCHEMA}.{path.stem}": path.read_text(encoding="utf-8")
        for path in sorted((SQL_ASSETS_DIR / REPORT_SCHEMA).glob("*.sql"))
    }
    views |= {f"{REPORT_SCHEMA}.{view}": sql for view, sql in generated().items()}
    return dict(sorted(views.items()))


def report_view_names() -> list[str]:
    return list(report_view_files())


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
