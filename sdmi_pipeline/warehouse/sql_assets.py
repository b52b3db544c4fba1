"""Warehouse tables defined in SQL: `assets/<schema>/<table>.sql` is the table `<schema>.<table>`
and the Dagster asset of the same key. Dependencies are read from the SQL with sqlglot."""

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

import duckdb
import sqlglot
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, AssetSpec, FreshnessPolicy
from sqlglot import exp

from sdmi_pipeline.contracts.checks import CONTRACT_CHECK, table_check_results, table_check_specs
from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.contracts.metadata import OWNERS, table_metadata
from sdmi_pipeline.contracts.versions import table_version
from sdmi_pipeline.paths import SQL_ASSETS_DIR
from sdmi_pipeline.warehouse.checked_asset import CheckedTable, checked_assets, selected_checks, step_name
from sdmi_pipeline.warehouse.monthly_slices import (
    definition_fingerprint,
    is_built_by_month,
    rebuilt_rows,
    record_sources,
    refresh_changed_months,
)
from sdmi_pipeline.warehouse.report_templates import TEMPLATE_DIR, generated
from sdmi_pipeline.warehouse.report_views import REPORT_SCHEMA, create_report_view
from sdmi_pipeline.warehouse.resource import declare_constraints, hold_to_contract

# The one step that creates every report view (checked_asset.checked_assets).
REPORT_VIEWS_STEP = "report_views"
# Published by the nightly refresh (runs/automation.py): overdue after a day, failing after a day
# and two hours (the grace the 01:00 run has to finish).
NIGHTLY_FRESHNESS = FreshnessPolicy.time_window(
    warn_window=timedelta(days=1), fail_window=timedelta(hours=26)
)


@cache
def referenced_tables(sql: str) -> frozenset[str]:
    """`schema.table` names the SQL reads (CTE names excluded); parsed once per process."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    return frozenset(f"{table.db}.{table.name}" for table in tree.find_all(exp.Table) if table.db)


def sql_files(root: Path = SQL_ASSETS_DIR) -> dict[str, Path]:
    """`schema.table` → its SQL file."""
    return {f"{path.parent.name}.{path.stem}": path for path in sorted(root.glob("*/*.sql"))}


@dataclass(frozen=True)
class TableBuild:
    """What a build did: `how` in words; `months`: those rebuilt by slices (None: built whole, or a view)."""

    how: str
    months: list[str] | None = None


def build_sql_table(connection, table: str, sql: str) -> TableBuild:
    """Create or replace `table` from its SELECT (a view in schema report), held to its contract;
    a table built by month rebuilds only its changed months when it can. Says what it did."""
    if table.startswith(f"{REPORT_SCHEMA}."):
        create_report_view(connection, table, sql)
        return TableBuild("view")
    definition = None
    if is_built_by_month(table):
        definition = definition_fingerprint(connection, table, sql, referenced_tables(sql))
        months = refresh_changed_months(connection, table, sql, definition)
        if months is not None:
            hold_to_contract(connection, table)
            how = f"rebuilt the changed month(s) {', '.join(months)}" if months else "no month changed"
            return TableBuild(how, months)
    connection.execute(f"CREATE OR REPLACE TABLE {table} AS\n{sql}")
    hold_to_contract(connection, table)
    declare_constraints(connection, table)
    if definition is not None:
        record_sources(connection, table, definition)
    return TableBuild("built whole")


def sql_table(table: str, path: Path, known_tables: set[str], sql: str | None = None) -> CheckedTable:
    """The asset that builds `table` from `path` (or from `sql` rendered from the template `path`), and
    its checks."""
    sql = path.read_text(encoding="utf-8") if sql is None else sql
    contract = contract_for(table)
    schema, name = table.split(".")
    deps = sorted(referenced_tables(sql) & known_tables - {table})
    project = SQL_ASSETS_DIR.parent
    shown = path.relative_to(project).as_posix() if path.is_relative_to(project) else path.as_posix()
    spec = AssetSpec(
        key=AssetKey([schema, name]),
        deps=[AssetKey(dep.split(".")) for dep in deps],
        group_name=schema,
        kinds={"duckdb", "sql"},
        description=f"{contract.description_en}\n\nSQL: {shown}",
        metadata={"sql": shown, "dagster/table_name": table},
        owners=OWNERS,
        freshness_policy=NIGHTLY_FRESHNESS if schema == "indicators" else None,
        code_version=table_version(table, sql),
    )

    # run id -> the months this run's step rebuilt by slices, handed from the build to the contract
    # check of the same step (absent: built whole, or not built in this step: the whole table is checked)
    rebuilt_months: dict[str, list[str]] = {}

    def build(context: AssetExecutionContext, connection: duckdb.DuckDBPyConnection) -> dict:
        built = build_sql_table(connection, table, sql)
        metadata = table_metadata(connection, contract)
        context.log.info("%s: %s rows (%s)", table, metadata["dagster/row_count"], built.how)
        if built.months is not None and CONTRACT_CHECK in selected_checks(context, spec):
            rebuilt_months[context.run_id] = built.months
        return metadata | {"build": built.how}

    def evaluate(context: AssetExecutionContext, connection: duckdb.DuckDBPyConnection, checks: set[str]):
        months = rebuilt_months.pop(context.run_id, None)
        return table_check_results(context, connection, table, checks, rebuilt_rows(table, months))

    return CheckedTable(spec, build, table_check_specs(table), evaluate)


def sql_asset(table: str, path: Path, known_tables: set[str], sql: str | None = None) -> AssetsDefinition:
    """`sql_table`'s asset in a step of its own."""
    built = sql_table(table, path, known_tables, sql)
    return checked_assets(step_name(built.spec), [built])


def sql_assets(known_python_tables: set[str]) -> list[AssetsDefinition]:
    """One asset per SQL file, each table in a step of its own and the report views (each a cheap
    `CREATE VIEW`) in one step, `report_views`; dependencies among SQL and Python-built tables."""
    files = sql_files()
    rendered = {f"{REPORT_SCHEMA}.{view}": sql for view, sql in generated().items()}
    known = set(files) | set(rendered) | known_python_tables
    template = TEMPLATE_DIR / "breakdown.sql.j2"
    tables = [sql_table(table, path, known) for table, path in files.items()]
    tables += [sql_table(table, template, known, sql) for table, sql in rendered.items()]
    views = sorted((t for t in tables if t.spec.key.path[0] == REPORT_SCHEMA), key=lambda t: t.spec.key.path)
    alone = [checked_assets(step_name(t.spec), [t]) for t in tables if t.spec.key.path[0] != REPORT_SCHEMA]
    return [*alone, checked_assets(REPORT_VIEWS_STEP, views)]
