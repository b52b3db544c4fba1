"""Dagster's SQLite storages sync as WAL mode needs once asked to, not on import (sqlite_sync.py)."""

import json
import os
import subprocess
import sys

from sdmi_pipeline.paths import PROJECT_ROOT

# PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL (SQLite's default)
PROBE = """
import json, sys, sqlalchemy
def synchronous():
    engine = sqlalchemy.create_engine(f"sqlite:///{sys.argv[1]}")
    with engine.connect() as connection:
        value = connection.execute(sqlalchemy.text("PRAGMA synchronous")).scalar()
    engine.dispose()
    return value
from sdmi_pipeline.runs import sqlite_sync
seen = [synchronous()]
sqlite_sync.sync_sqlite_normally()
sqlite_sync.sync_sqlite_normally()  # twice: still one listener
seen.append(synchronous())
print(json.dumps(seen))
"""


def test_importing_changes_nothing_calling_syncs_normally(tmp_path):
    environment = os.environ | {"PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "events.db")],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == [2, 1]


def test_loading_the_definitions_syncs_normally():
    import sdmi_pipeline.definitions  # noqa: F401 (what every Dagster process of the project loads)
    from sdmi_pipeline.runs.sqlite_sync import syncs_normally

    assert syncs_normally()
