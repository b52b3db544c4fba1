"""The lakehouse backend: the published warehouse copied into two DuckLakes, one transaction each.

The build stays the file backend's (one DuckDB build file, published by rename). With
`[warehouse] backend = "ducklake"` the publish step first copies the finished file into DuckLake
(and renames it into place only when that succeeded):
record-level rows (RECORD_LEVEL: staging, meta.rejects and every contract marked `record_level`)
into the records lake, everything else (tables, the report views, comments, NOT NULL) into the
aggregates lake. Each lake has its own PostgreSQL catalog database and its own data path, so the
credentials given to statisticians (the aggregates catalog and folder) reach no record-level
Parquet file. Each lake is written in one transaction: a reader sees the old release or the new
one. Only tables whose content changed are rewritten; the snapshot is tagged with the release's
vintage and the fingerprints of what it holds (docs/deployment.md, "The lakehouse backend").
"""

import hashlib
import importlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sdmi_pipeline.contracts.contract import contracts
from sdmi_pipeline.settings import WarehouseSettings
from sdmi_pipeline.warehouse.resource import attach_sql

RECORD_LEVEL_SCHEMAS = ("staging",)
RECORD_LEVEL_TABLES = ("meta.rejects",)  # the raw values of rejected record-level rows
AGGREGATES, RECORDS = "sdmi", "sdmi_records"  # the names the lakes are attached under
BUILD = "published_build"
COMMIT_AUTHOR = "sdmi publish"


@dataclass(frozen=True)
class LakeRelease:
    """What one publish wrote into one lake: its new snapshot (None: nothing changed)."""

    lake: str
    snapshot: int | None
    vintage: str
    rewritten: tuple[str, ...]
    dropped: tuple[str, ...]


def is_record_level(table: str) -> bool:
    """Whether `schema.table` holds record-level rows, which only the pipeline may read."""
    if table.split(".")[0] in RECORD_LEVEL_SCHEMAS or table in RECORD_LEVEL_TABLES:
        return True
    contract = contracts().get(table)
    return bool(contract and contract.record_level)


def extension_file(name: str) -> str:
    """The packaged extension file of a PyPI wheel (nothing is downloaded at run time); the wheels
    exist for one DuckDB release each, hence the pin in pyproject.toml (docs/deployment.md)."""
    module = importlib.import_module(f"duckdb_extension_{name}")
    folder = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    return str(folder / f"{name}.duckdb_extension")


def load_extensions(connection: duckdb.DuckDBPyConnection) -> None:
    """Load `postgres` and `ducklake` from their PyPI packages; refuse any download."""
    connection.execute("SET autoinstall_known_extensions = false")
    for name in ("postgres", "ducklake"):
        connection.execute(f"INSTALL '{extension_file(name)}'")
        connection.execute(f"LOAD {name}")


def attach_lake(
    connection: duckdb.DuckDBPyConnection, catalog: str, data_path: str, alias: str, read_only: bool = False
) -> None:
    """Attach a DuckLake whose catalog is the PostgreSQL database `catalog` (a libpq DSN)."""
    options = [f"DATA_PATH '{data_path}'"] if data_path and not read_only else []
    if read_only:
        options.append("READ_ONLY")
    suffix = f" ({', '.join(options)})" if options else ""
    connection.execute(f"ATTACH 'ducklake:postgres:{catalog}' AS {alias}{suffix}")


def publish_to_lakes(published: Path, settings: WarehouseSettings) -> list[LakeRelease]:
    """Copy the published warehouse file into the records lake, then into the aggregates lake."""
    missing = [
        key
        for key in ("catalog", "data_path", "records_catalog", "records_data_path")
        if not getattr(settings, key)
    ]
    if missing:
        raise ValueError(f"[warehouse] backend = 'ducklake' needs {', '.join(missing)} (docs/deployment.md)")
    for path in (settings.data_path, settings.records_data_path):
        if "://" not in path:
            Path(path).mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        load_extensions(connection)
        connection.execute(attach_sql(published, BUILD, "READ_ONLY"))
        vintage = _vintage(connection)
        tables = _tables(connection)
        releases = []
        for alias, catalog, data_path, records in (
            (RECORDS, settings.records_catalog, settings.records_data_path, True),
            (AGGREGATES, settings.catalog, settings.data_path, False),
        ):
            attach_lake(connection, catalog, data_path, alias)
            chosen = [table for table in tables if is_record_level(table) == records]
            views = {} if records else _views(connection)
            releases.append(_publish(connection, alias, chosen, views, vintage))
        return releases


def _vintage(connection: duckdb.DuckDBPyConnection) -> str:
    """The release this build published: the latest vintage in meta.observation_history."""
    try:
        history = f"{BUILD}.meta.observation_history"
        (vintage,) = connection.execute(f"SELECT max(vintage) FROM {history}").fetchone()
    except duckdb.CatalogException:
        vintage = None
    return str(vintage) if vintage is not None else "unreleased"


def _tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        f"{schema}.{table}"
        for schema, table in connection.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY ALL",
            [BUILD],
        ).fetchall()
    ]


def _views(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """`schema.view` → its CREATE VIEW statement, as the build file holds it."""
    return {
        f"{schema}.{view}": sql
        for schema, view, sql in connection.execute(
            "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE database_name = ? AND NOT internal "
            "ORDER BY ALL",
            [BUILD],
        ).fetchall()
    }


def _columns(connection: duckdb.DuckDBPyConnection, name: str) -> list[tuple]:
    schema, table = name.split(".")
    return connection.execute(
        "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [BUILD, schema, table],
    ).fetchall()


def _comment(connection: duckdb.DuckDBPyConnection, name: str, kind: str) -> str | None:
    schema, table = name.split(".")
    function, column = ("duckdb_tables", "table_name") if kind == "TABLE" else ("duckdb_views", "view_name")
    return connection.execute(
        f"SELECT comment FROM {function}() WHERE database_name = ? AND schema_name = ? AND {column} = ?",
        [BUILD, schema, table],
    ).fetchone()[0]


def _fingerprint(connection: duckdb.DuckDBPyConnection, name: str) -> str:
    """A digest of a table's columns, comments and rows (row count and a sum of row hashes)."""
    rows = connection.execute(
        f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0)::VARCHAR FROM {BUILD}.{name} AS t"
    ).fetchone()
    described = [_columns(connection, name), _comment(connection, name, "TABLE"), list(rows)]
    return hashlib.sha256(json.dumps(described, default=str).encode()).hexdigest()


def _last_fingerprints(connection: duckdb.DuckDBPyConnection, lake: str) -> dict[str, str]:
    """The fingerprints the lake's last publish recorded in its snapshot ({} when none did)."""
    rows = connection.execute(
        f"SELECT commit_extra_info FROM {lake}.snapshots() WHERE author = ? "
        "ORDER BY snapshot_id DESC LIMIT 1",
        [COMMIT_AUTHOR],
    ).fetchall()
    return json.loads(rows[0][0]).get("fingerprints", {}) if rows and rows[0][0] else {}


def _publish(
    connection: duckdb.DuckDBPyConnection, lake: str, tables: list[str], views: dict[str, str], vintage: str
) -> LakeRelease:
    """Write the changed tables and views into `lake` and tag the snapshot, in one transaction."""
    fingerprints = {table: _fingerprint(connection, table) for table in tables}
    fingerprints |= {
        view: hashlib.sha256(f"{sql}|{_comment(connection, view, 'VIEW')}".encode()).hexdigest()
        for view, sql in views.items()
    }
    previous = _last_fingerprints(connection, lake)
    present = {
        f"{schema}.{name}": kind
        for schema, name, kind in connection.execute(
            "SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = ? "
            "UNION ALL SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() WHERE database_name = ? "
            "AND NOT internal",
            [lake, lake],
        ).fetchall()
    }
    changed = [
        name for name, digest in fingerprints.items() if name not in present or previous.get(name) != digest
    ]
    dropped = sorted(set(present) - set(fingerprints))
    if not changed and not dropped:
        return LakeRelease(lake, None, vintage, (), ())
    connection.execute("BEGIN TRANSACTION")
    try:
        connection.execute(f"USE {lake}")  # the views' unqualified names resolve in the lake
        for schema in sorted({name.split(".")[0] for name in fingerprints}):
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {lake}.{schema}")
        for name in dropped:
            connection.execute(f"DROP {present[name]} IF EXISTS {lake}.{name}")
        for name in changed:
            if name in views:
                _copy_view(connection, lake, name, views[name])
            else:
                _copy_table(connection, lake, name)
        info = json.dumps({"vintage": vintage, "fingerprints": fingerprints})
        connection.execute(
            f"CALL {lake}.set_commit_message(?, ?, extra_info => ?)",
            [COMMIT_AUTHOR, f"release {vintage}", info],
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.execute("USE memory")
    (snapshot,) = connection.execute(f"SELECT max(snapshot_id) FROM {lake}.snapshots()").fetchone()
    return LakeRelease(lake, snapshot, vintage, tuple(changed), tuple(dropped))


def _copy_table(connection: duckdb.DuckDBPyConnection, lake: str, name: str) -> None:
    """The table's rows, NOT NULL columns and comments (DuckLake has no primary keys or indexes).

    NOT NULL is declared when the table is created: DuckLake refuses `SET NOT NULL` on a table
    written in the same transaction."""
    target = f"{lake}.{name}"
    columns = _columns(connection, name)
    definition = ", ".join(
        f'"{column}" {data_type}{"" if nullable else " NOT NULL"}'
        for column, data_type, nullable, _ in columns
    )
    connection.execute(f"CREATE OR REPLACE TABLE {target} ({definition})")
    connection.execute(f"INSERT INTO {target} SELECT * FROM {BUILD}.{name}")
    comment = _comment(connection, name, "TABLE")
    if comment:
        connection.execute(f"COMMENT ON TABLE {target} IS {_literal(comment)}")
    for column, _, _, column_comment in columns:
        if column_comment:
            connection.execute(f'COMMENT ON COLUMN {target}."{column}" IS {_literal(column_comment)}')


def _copy_view(connection: duckdb.DuckDBPyConnection, lake: str, name: str, sql: str) -> None:
    prefix = "CREATE VIEW "
    if not sql.startswith(prefix):
        raise ValueError(f"{name}: unexpected view definition {sql[:60]!r}")
    connection.execute(f"DROP VIEW IF EXISTS {lake}.{name}")
    connection.execute(sql)  # CREATE VIEW schema.view AS ..., in the lake (USE)
    comment = _comment(connection, name, "VIEW")
    if comment:
        connection.execute(f"COMMENT ON VIEW {lake}.{name} IS {_literal(comment)}")
    # DuckLake keeps no comments on a view's columns (`COMMENT ON COLUMN` is refused for views).


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
