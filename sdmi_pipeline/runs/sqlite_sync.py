"""Dagster's SQLite instance storage without an fsync per event.

Dagster's SQLite storages run in WAL mode and commit once per event; with SQLite's default
`synchronous = FULL` each commit waits for the disk. A run of the refresh job stores some 850
events. `synchronous = NORMAL` is the setting SQLite recommends for WAL mode: the database stays
consistent after a crash, and only the last events before a power cut may be lost (the next run's
healing marks such a run failed; build_lock.py, healing.py). Postgres instances are not affected.
Importing this module changes nothing; `sync_sqlite_normally()` does (definitions.py calls it).
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _normal_synchronous(dbapi_connection: object, _record: object) -> None:
    """A SQLite connection SQLAlchemy opens (Dagster's storages) syncs as WAL mode needs."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")


def sync_sqlite_normally() -> None:
    """From now on, every SQLite connection SQLAlchemy opens in this process syncs NORMAL (idempotent)."""
    if not event.contains(Engine, "connect", _normal_synchronous):
        event.listen(Engine, "connect", _normal_synchronous)


def syncs_normally() -> bool:
    """Whether `sync_sqlite_normally()` was called in this process."""
    return event.contains(Engine, "connect", _normal_synchronous)
