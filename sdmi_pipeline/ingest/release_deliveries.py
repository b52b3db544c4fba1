"""The deliveries a release loaded, and which of them revise a delivery (new content for figures
already delivered).

A file loaded since the previous release revises a delivery when an earlier content was loaded at
the same path, or when its source already loaded another file for the same period (a month file
delivered again under another name). Any other loaded file is a first delivery (a new month, a new
file); the same content read again by a new parser is none. A revision let through by `sdmi accept`
is marked accepted: an operator has reviewed it. The files are few (one per month and source), so
they are matched here, not in SQL.
"""

from datetime import datetime
from pathlib import Path

import duckdb

from sdmi_pipeline.ingest.sources import SOURCES
from sdmi_pipeline.warehouse.catalog import table_exists

RELEASE_DELIVERIES = "release_deliveries"
PUBLISHERS = sorted({source.publisher for source in SOURCES})


def release_deliveries(connection: duckdb.DuckDBPyConnection, since: datetime | None) -> list[tuple]:
    """(publisher, year, path, revises, accepted) of each file loaded after `since`.

    The year is that of the period the file covers, or None when its source names no period
    (then it may feed every period of the publisher).
    """
    if since is None or not table_exists(connection, "meta.raw_files"):
        return []
    accepted = set()
    if table_exists(connection, "meta.accepted_revisions"):
        accepted = set(connection.execute("SELECT path, sha256 FROM meta.accepted_revisions").fetchall())
    by_name = {source.name: source for source in SOURCES}
    loaded = connection.execute(
        "SELECT source, path, sha256, loaded_at FROM meta.raw_files WHERE status = 'loaded'"
    ).fetchall()
    deliveries = []
    for name, path, digest, loaded_at in loaded:
        source = by_name.get(name)
        if source is None or loaded_at <= since:
            continue
        period = source.period(Path(path)) if source.period else None
        earlier = [row for row in loaded if row[0] == name and row[3] < loaded_at]
        if any(row[1] == path and row[2] == digest for row in earlier):
            continue  # the same content read again by a new parser: no delivery
        earlier = [row for row in earlier if row[2] != digest]
        same_path = any(row[1] == path for row in earlier)
        same_period = period is not None and any(
            row[1] != path and source.period(Path(row[1])) == period for row in earlier
        )
        year = period[:4] if period else None
        revises = same_path or same_period
        deliveries.append((source.publisher, year, path, revises, revises and (path, digest) in accepted))
    return deliveries


def create_release_deliveries(connection: duckdb.DuckDBPyConnection, since: datetime | None) -> None:
    """The temp table `release_deliveries` (publisher, year, path, revises, accepted) that
    record_release joins."""
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE {RELEASE_DELIVERIES}
            (publisher VARCHAR, year VARCHAR, path VARCHAR, revises BOOLEAN, accepted BOOLEAN)"""
    )
    rows = release_deliveries(connection, since)
    if rows:
        connection.executemany(f"INSERT INTO {RELEASE_DELIVERIES} VALUES (?, ?, ?, ?, ?)", rows)
