"""The public tables of a release: aggregates only, after disclosure control.

`open_public` copies the public tables of the published warehouse into an in-memory DuckDB
database with the same schema and table names, then applies disclosure control to
`indicators.observations` (a suppressed cell keeps its row, with `value` NULL and
`obs_status` 'C'). Record-level tables (`core`, `staging`) and the bookkeeping in `meta` never
enter it.
"""

from pathlib import Path

import duckdb

# Aggregate tables that may leave the warehouse, in the order a reader meets them.
PUBLIC_TABLES = (
    "reference.countries",
    "reference.provinces",
    "reference.codes",
    "reference.age_groups",
    "indicators.catalogue",
    "indicators.observations",
    "indicators.gcm_objectives",
    "indicators.gcm_indicator_map",
    "indicators.gcm_progress",
    "indicators.sdmi_coverage",
    "indicators.sdmi_coverage_cells",
    "indicators.mgi_responses",
    "indicators.mgi_domain_summary",
)


def open_public(published_path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection holding the public tables of the published warehouse."""
    connection = duckdb.connect()
    connection.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(published_path)])
    for table in PUBLIC_TABLES:
        schema = table.split(".")[0]
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        connection.execute(f"CREATE TABLE {table} AS SELECT * FROM warehouse.{table}")
    connection.execute("DETACH warehouse")
    return connection
