"""The revision guard: a revision that shrinks too much, or holds no data row, is held back.

A new content at a path whose current vintage loaded N accepted rows is held back when it holds
no accepted row, or loses more than `revision_max_row_loss` (sdmi.toml) of N: it is recorded in
meta.raw_files with status `held`, its rows are not loaded as current, and the previous vintage
stays current. `sdmi accept PATH` lets that exact content (its sha256) through: acceptances are
appended to a ledger beside the warehouse (`accepted_revisions.jsonl`, so accepting never opens
the published file) and copied into meta.accepted_revisions by every build (warehouse/acceptances.py).
"""

import duckdb

from sdmi_pipeline.settings import load_settings

HELD = "held"


def hold_reason(previous_rows: int | None, rows: int, max_loss: float) -> str | None:
    """Why a revision is held back, with the numbers; None when it may replace its predecessor."""
    if previous_rows is None:
        return None
    accept = "; if it is right, run `sdmi accept <path>` to let this revision through"
    if rows == 0:
        return f"revision held back: it holds no data row (the current vintage has {previous_rows:,}){accept}"
    loss = (previous_rows - rows) / previous_rows if previous_rows else 0.0
    if loss > max_loss:
        return (
            f"revision held back: {rows:,} accepted rows where the current vintage has {previous_rows:,} "
            f"({loss:.1%} fewer, more than the {max_loss:.0%} allowed){accept}"
        )
    return None


def current_rows(connection: duckdb.DuckDBPyConnection, path: str, digest: str) -> int | None:
    """Accepted rows of the current vintage at `path`, if one with another content is current.

    The same content parsed again by a new reader is no revision: the reader's change is wanted.
    """
    found = connection.execute(
        "SELECT rows_accepted FROM meta.raw_files WHERE path = ? AND is_current AND sha256 <> ?",
        [path, digest],
    ).fetchone()
    return found[0] if found else None


def is_accepted(connection: duckdb.DuckDBPyConnection, path: str, digest: str) -> bool:
    found = connection.execute(
        "SELECT count(*) FROM meta.accepted_revisions WHERE path = ? AND sha256 = ?", [path, digest]
    ).fetchone()
    return found[0] > 0


def revision_hold(connection: duckdb.DuckDBPyConnection, path: str, digest: str, rows: int) -> str | None:
    """Why the content `digest` at `path`, with `rows` accepted rows, is held back; None when it loads.

    An accepted content always loads; the allowed loss is sdmi.toml's `revisions.max_row_loss`.
    """
    if is_accepted(connection, path, digest):
        return None
    return hold_reason(current_rows(connection, path, digest), rows, load_settings().revision_max_row_loss)


def drop_held_revisions(connection: duckdb.DuckDBPyConnection, table: str, path: str) -> None:
    """Forget held revisions of a path whose current content is delivered again (never published):
    their rows in the staging `table`, their rejects and their meta.raw_files rows."""
    for target, path_column, digest_column in (
        (table, "source_file", "file_sha256"),
        ("meta.rejects", "path", "sha256"),
    ):
        connection.execute(
            f"""DELETE FROM {target} WHERE {path_column} = ? AND {digest_column} IN (
                SELECT sha256 FROM meta.raw_files WHERE path = ? AND status = '{HELD}')""",
            [path, path],
        )
    connection.execute(f"DELETE FROM meta.raw_files WHERE path = ? AND status = '{HELD}'", [path])
