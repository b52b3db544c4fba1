"""The fingerprint of what a release would hold, computed without writing it.

A release is a function of the public tables of the published warehouse (their columns and rows,
lineage columns left out), the disclosure settings and the code that writes it. The fingerprint
is a sha256 over those: per public table its columns and types, its row count and the sum of
DuckDB's `hash()` of every row (an order-free sum, so rows stored in another order give the same
sum and a repeated row counts twice), then the disclosure settings and the code version. It is stored in
manifest.json; an export whose fingerprint equals the latest release's writes nothing.

DuckDB does not promise that `hash()` stays the same across its versions: after a DuckDB upgrade
the first export may write a release with no change in it, once.
"""

import hashlib
import json
from pathlib import Path

import duckdb

from sdmi_pipeline.release.layout import LATEST_NAME, MANIFEST_NAME
from sdmi_pipeline.release.public import INTERNAL_COLUMNS, PUBLIC_TABLES
from sdmi_pipeline.warehouse.resource import attach_sql


def release_fingerprint(published_path: Path, disclosure: dict, code: dict) -> str:
    """`sha256:<hex>` of the public tables of `published_path`, the disclosure settings and `code`."""
    lines = [
        f"disclosure {json.dumps(disclosure, sort_keys=True)}",
        f"code {json.dumps(code, sort_keys=True)}",
    ]
    with duckdb.connect() as connection:
        connection.execute(attach_sql(published_path, "warehouse", "READ_ONLY"))
        for table in PUBLIC_TABLES:
            lines.append(_table_line(connection, table))
    return "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _table_line(connection: duckdb.DuckDBPyConnection, table: str) -> str:
    """`<table> <columns and types> <rows> <sum of row hashes>`, lineage columns left out."""
    schema, name = table.split(".")
    columns = connection.execute(
        """SELECT column_name, data_type FROM duckdb_columns()
        WHERE database_name = 'warehouse' AND schema_name = ? AND table_name = ? AND column_name NOT IN ?
        ORDER BY column_index""",
        [schema, name, list(INTERNAL_COLUMNS)],
    ).fetchall()
    if not columns:
        raise LookupError(f"the published warehouse has no table {table}")
    quoted = ", ".join(f'"{column}"' for column, _ in columns)
    rows, digest = connection.execute(
        f"SELECT count(*), coalesce(sum(hash({quoted})::HUGEINT), 0) FROM warehouse.{table}"
    ).fetchone()
    shown = ",".join(f"{column}:{data_type}" for column, data_type in columns)
    return f"{table} {shown} {rows} {digest}"


def latest_release(export_root: Path) -> Path | None:
    """The release `latest` points at, if any."""
    latest = export_root / LATEST_NAME
    return latest.resolve() if latest.is_symlink() and latest.resolve().is_dir() else None


def read_manifest(release_dir: Path) -> dict:
    return json.loads((release_dir / MANIFEST_NAME).read_text("utf-8"))
