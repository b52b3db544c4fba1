"""The acceptances ledger: `sdmi accept PATH` appends one line per accepted content beside the
warehouse (`accepted_revisions.jsonl`, so accepting never opens the published file), and every
build copies it into meta.accepted_revisions, which the revision guard (ingest/revision_guard.py)
reads.
"""

import getpass
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

LEDGER_NAME = "accepted_revisions.jsonl"


def record_acceptance(ledger: Path, path: str, digest: str) -> dict:
    """Append an acceptance of `path` with content `digest` to the ledger; returns it."""
    entry = {
        "path": path,
        "sha256": digest,
        "accepted_by": os.environ.get("SDMI_USER") or getpass.getuser(),
        "accepted_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat(),
    }
    ledger.parent.mkdir(parents=True, exist_ok=True)
    with ledger.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
    return entry


def sync_acceptances(connection: duckdb.DuckDBPyConnection, ledger: Path) -> None:
    """Copy the ledger into meta.accepted_revisions (the first acceptance of a content counts)."""
    if not ledger.exists():
        return
    connection.execute(
        """INSERT INTO meta.accepted_revisions
           SELECT l.* FROM (
               SELECT path, sha256, arg_min(accepted_by, accepted_at) AS accepted_by,
                      min(accepted_at) AS accepted_at
               FROM read_json(?, format = 'newline_delimited', columns = {
                   path: 'VARCHAR', sha256: 'VARCHAR', accepted_by: 'VARCHAR', accepted_at: 'TIMESTAMP'})
               GROUP BY path, sha256
           ) AS l ANTI JOIN meta.accepted_revisions AS a USING (path, sha256)""",
        [str(ledger)],
    ).fetchall()
