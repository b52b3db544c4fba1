"""Which deliveries a release revises: new content for figures already delivered.

A file loaded since the previous release revises a delivery when an earlier content was loaded at
the same path, or when its source already loaded another file for the same period (a month file
delivered again under another name). A first delivery (a new month, a new file) revises nothing,
and neither does the same content read again by a new parser. The files are few (one per month
and source), so they are matched here, not in SQL.
"""

from datetime import datetime
from pathlib import Path

import duckdb

from sdmi_pipeline.ingest.sources import SOURCES

REVISED_DELIVERIES = "revised_deliveries"


def _exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, name = table.split(".")
    return (
        connection.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, name]
        ).fetchone()[0]
        > 0
    )


def revised_deliveries(connection: duckdb.DuckDBPyConnection, since: datetime | None) -> list[tuple]:
    """(publisher, year, path, accepted) of each file loaded after `since` that revises a delivery.

    The year is that of the period the file covers, or None when its source names no period
    (then every period of the publisher may be revised).
    """
    if since is None or not _exists(connection, "meta.raw_files"):
        return []
    accepted = set()
    if _exists(connection, "meta.accepted_revisions"):
        accepted = set(connection.execute("SELECT path, sha256 FROM meta.accepted_revisions").fetchall())
    by_name = {source.name: source for source in SOURCES}
    loaded = connection.execute(
        "SELECT source, path, sha256, loaded_at FROM meta.raw_files WHERE status = 'loaded'"
    ).fetchall()
    revised = []
    for name, path, digest, loaded_at in loaded:
        source = by_name.get(name)
        if source is None or loaded_at <= since:
            continue
        period = source.period(Path(path)) if source.period else None
        earlier = [row for row in loaded if row[0] == name and row[3] < loaded_at and row[2] != digest]
        same_path = any(row[1] == path for row in earlier)
        same_period = period is not None and any(
            row[1] != path and source.period(Path(row[1])) == period for row in earlier
        )
        if same_path or same_period:
            revised.append(
                (source.publisher, period[:4] if period else None, path, (path, digest) in accepted)
            )
    return revised


def create_revised_deliveries(connection: duckdb.DuckDBPyConnection, since: datetime | None) -> None:
    """The temp table `revised_deliveries` (publisher, year, path, accepted) that record_release joins."""
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE {REVISED_DELIVERIES}
            (publisher VARCHAR, year VARCHAR, path VARCHAR, accepted BOOLEAN)"""
    )
    rows = revised_deliveries(connection, since)
    if rows:
        connection.executemany(f"INSERT INTO {REVISED_DELIVERIES} VALUES (?, ?, ?, ?)", rows)
