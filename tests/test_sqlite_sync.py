"""Dagster's SQLite storages sync as WAL mode needs, not on every event (sqlite_sync.py)."""

import sqlalchemy

import sdmi_pipeline.definitions  # noqa: F401 (loads what every Dagster process of the project loads)

NORMAL = 1  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL (SQLite's default)


def test_sqlite_connections_opened_through_sqlalchemy_sync_normally(tmp_path):
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'events.db'}")
    with engine.connect() as connection:
        assert connection.execute(sqlalchemy.text("PRAGMA synchronous")).scalar() == NORMAL
    engine.dispose()
