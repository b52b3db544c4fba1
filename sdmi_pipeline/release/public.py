"""The public tables of a release: aggregates only, after disclosure control.

`open_public` copies the public tables of the published warehouse into an in-memory DuckDB
database with the same schema and table names, then applies disclosure control to
`indicators.observations` (a suppressed cell keeps its row, with `value` NULL and
`obs_status` 'C') and to `indicators.figures` (a figure whose value is withheld loses its
change too), drops the lineage columns (`source_file`, `source_line`: where in a ministry's
delivery a row came from), and creates the reading layer's `report` views over the suppressed copy, so
every view a release shows is disclosure-controlled too. Record-level tables (`core`, `staging`)
and the bookkeeping in `meta` never enter it.
"""

from pathlib import Path

import duckdb

from sdmi_pipeline.contracts.contract import Contract, ContractColumn
from sdmi_pipeline.release.disclosure import SuppressionReport, suppress
from sdmi_pipeline.settings import load_settings
from sdmi_pipeline.warehouse.report_views import create_report_views
from sdmi_pipeline.warehouse.resource import attach_sql

# Aggregate tables that may leave the warehouse, in the order a reader meets them.
PUBLIC_TABLES = (
    "reference.countries",
    "reference.provinces",
    "reference.codes",
    "reference.age_groups",
    "indicators.catalogue",
    "indicators.observations",
    "indicators.figures",
    "indicators.gcm_objectives",
    "indicators.gcm_indicator_map",
    "indicators.gcm_progress",
    "indicators.sdmi_coverage",
    "indicators.sdmi_coverage_cells",
    "indicators.mgi_responses",
    "indicators.mgi_domain_summary",
)

# Lineage columns: the raw file and line behind a row. Internal; never in a public output.
INTERNAL_COLUMNS = ("source_file", "source_line")


def public_columns(contract: Contract) -> list[ContractColumn]:
    """The columns of a public table that a release shows: its contract's, less the lineage columns."""
    return [column for column in contract.columns if column.name not in INTERNAL_COLUMNS]


def withhold_suppressed_figures(connection: duckdb.DuckDBPyConnection) -> None:
    """A figure whose value is no longer a public observation of its period is withheld, with its change."""
    connection.execute(
        """
        UPDATE indicators.figures AS f
        SET value = NULL, obs_status = 'C', comparison = 'NONE', comparison_reason = 'NOT_AVAILABLE',
            previous_period = NULL, previous_period_label_en = NULL, previous_period_label_id = NULL,
            previous_value = NULL, previous_obs_status = NULL, change = NULL, change_percent = NULL
        WHERE NOT EXISTS (
            SELECT 1 FROM indicators.observations AS o
            WHERE o.indicator_id = f.indicator_id AND o.freq = f.freq AND o.time_period = f.time_period
              AND o.value = f.value
        )
        """
    )


def open_public(published_path: Path, threshold: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection holding the public tables of the published warehouse."""
    return open_public_with_report(published_path, threshold)[0]


def open_public_with_report(
    published_path: Path, threshold: int | None = None
) -> tuple[duckdb.DuckDBPyConnection, SuppressionReport]:
    """The public connection, and what disclosure control suppressed in it.

    `threshold` defaults to `disclosure.threshold` of sdmi.toml.
    """
    if threshold is None:
        threshold = load_settings().disclosure_threshold
    connection = duckdb.connect()
    connection.execute(attach_sql(published_path, "warehouse", "READ_ONLY"))
    for table in PUBLIC_TABLES:
        schema = table.split(".")[0]
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        shown = f"COLUMNS(lambda c: c NOT IN {INTERNAL_COLUMNS})"
        connection.execute(f"CREATE TABLE {table} AS SELECT {shown} FROM warehouse.{table}")
    connection.execute("DETACH warehouse")
    # The public copy may hold what the warehouse's contract forbids: NULL values of suppressed cells.
    connection.execute("ALTER TABLE indicators.observations ALTER COLUMN value DROP NOT NULL")
    report = suppress(connection, threshold)
    withhold_suppressed_figures(connection)
    create_report_views(connection)
    return connection, report
