"""What changed under the raw root since the published warehouse read it, or since a last look.

A file's state is [size, mtime_ns, sha256]; a file whose size and time are unchanged keeps its
hash, so only new or touched files are read. Used by the sensor (its cursor) and by `sdmi build`
(`up_to_date.py`) before it starts a run.
"""

import logging
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from sdmi_pipeline.ingest.file_digests import file_sha256
from sdmi_pipeline.ingest.raw_paths import EMPTY_SHA256, GONE, display_path, future_refusal, refusal
from sdmi_pipeline.ingest.sources import SOURCES

IGNORED_NAMES = {"README.md", ".gitkeep"}
LOG = logging.getLogger(__name__)


def source_paths(raw_root: Path) -> dict[str, Path]:
    """Every entry a source reads (folders and links too), by its path relative to the raw root."""
    return {display_path(path, raw_root): path for source in SOURCES for path in source.files(raw_root)}


def raw_file_states(raw_root: Path, previous: dict[str, list]) -> dict[str, list]:
    """Path → [size, mtime_ns, sha256] of every raw file; unchanged size and time reuse the hash.

    A path the build refuses before reading it (a folder or link named like a delivery, a name
    that is not UTF-8, a file named for a later period) or cannot read is never opened: its state
    is [None, None, sha256 of no content], as the build records it in meta.raw_files, so it is a
    change once, when it arrives; the build names it every time after (`unread_paths.py`).
    """
    states = {}
    today = datetime.now(UTC).date()
    read = source_paths(raw_root)
    files = (p for p in raw_root.rglob("*") if p.is_symlink() or p.is_file())
    entries = {display_path(path, raw_root): path for path in files if path.name not in IGNORED_NAMES} | read
    for relative, path in sorted(entries.items()):
        future = future_refusal(path.name, today) if relative in read else None
        if refusal(path, raw_root) or future:
            states[relative] = [None, None, EMPTY_SHA256]
            continue
        try:
            stat = path.stat()
            known = previous.get(relative)
            if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
                states[relative] = known
            else:
                digest = file_sha256(path, stat)
                states[relative] = [stat.st_size, stat.st_mtime_ns, digest]
        except OSError:
            states[relative] = [None, None, EMPTY_SHA256]
    return states


def content_changes(before: dict[str, list], after: dict[str, list]) -> list[str]:
    """Paths that are new, gone, or whose content hash differs."""
    paths = sorted(set(before) | set(after))
    return [p for p in paths if (before.get(p) or [None] * 3)[2] != (after.get(p) or [None] * 3)[2]]


def warehouse_cursor(raw_root: Path, published_path: Path, states: dict[str, list]) -> dict[str, list]:
    """A first cursor from the published warehouse: path → [None, None, sha256] of each file's last read.

    A file in `states` that no source reads keeps its state: it cannot change the warehouse. A file
    the warehouse read that is gone from the raw root is a change, as on later ticks, until a build
    records it gone. With no published warehouse (or none readable), every file a source reads is new.
    """
    read_by_sources = set(source_paths(raw_root))
    cursor = {path: state for path, state in states.items() if path not in read_by_sources}
    if not published_path.exists():
        return cursor
    try:
        with duckdb.connect(str(published_path), read_only=True) as connection:
            rows = connection.execute(
                """SELECT path, arg_max(sha256, loaded_at) FROM meta.raw_files GROUP BY path
                   HAVING arg_max(status, loaded_at) <> ?""",
                [GONE],
            ).fetchall()
    except duckdb.Error as error:
        LOG.warning("meta.raw_files of %s unreadable (%s): every raw file is new", published_path, error)
        return cursor
    return cursor | {path: [None, None, sha256] for path, sha256 in rows}
