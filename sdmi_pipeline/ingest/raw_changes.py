"""What changed under the raw root since the published warehouse read it, or since a last look.

A file's state is [size, mtime_ns, sha256]; a file whose size and time are unchanged keeps its
hash, so only new or touched files are read. Used by the sensor (its cursor) and by `sdmi build`
(`up_to_date.py`) before it starts a run.
"""

import logging
from pathlib import Path

import duckdb

from sdmi_pipeline.ingest.file_digests import file_sha256
from sdmi_pipeline.ingest.raw_paths import display_path, refusal
from sdmi_pipeline.ingest.sources import SOURCES

IGNORED_NAMES = {"README.md", ".gitkeep"}
LOG = logging.getLogger(__name__)


def raw_file_states(raw_root: Path, previous: dict[str, list]) -> dict[str, list]:
    """Path → [size, mtime_ns, sha256] of every raw file; unchanged size and time reuse the hash.

    A path the build would refuse (a link out of the raw root, a dangling link, a name that is not
    UTF-8) or cannot read is never opened: its state is [None, None, "refused: <reason>"], so it
    still counts as a change and the build names it.
    """
    states = {}
    entries = (
        p for p in raw_root.rglob("*") if p.name not in IGNORED_NAMES and (p.is_symlink() or p.is_file())
    )
    for path in sorted(entries):
        relative = display_path(path, raw_root)
        if reason := refusal(path, raw_root):
            states[relative] = [None, None, f"refused: {reason}"]
            continue
        try:
            stat = path.stat()
            known = previous.get(relative)
            if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
                states[relative] = known
            else:
                digest = file_sha256(path, stat)
                states[relative] = [stat.st_size, stat.st_mtime_ns, digest]
        except OSError as error:
            states[relative] = [None, None, f"refused: {error.strerror or error}"]
    return states


def content_changes(before: dict[str, list], after: dict[str, list]) -> list[str]:
    """Paths that are new, gone, or whose content hash differs."""
    paths = sorted(set(before) | set(after))
    return [p for p in paths if (before.get(p) or [None] * 3)[2] != (after.get(p) or [None] * 3)[2]]


def warehouse_cursor(raw_root: Path, published_path: Path, states: dict[str, list]) -> dict[str, list]:
    """A first cursor from the published warehouse: path → [None, None, sha256] of each file's last read.

    A file in `states` that no source reads keeps its state: it cannot change the warehouse. A file
    the warehouse read that is gone from the raw root is a change, as on later ticks. With no
    published warehouse (or none readable), every file a source reads counts as new.
    """
    read_by_sources = {path.relative_to(raw_root).as_posix() for s in SOURCES for path in s.files(raw_root)}
    cursor = {path: state for path, state in states.items() if path not in read_by_sources}
    if not published_path.exists():
        return cursor
    try:
        with duckdb.connect(str(published_path), read_only=True) as connection:
            rows = connection.execute(
                "SELECT path, arg_max(sha256, loaded_at) FROM meta.raw_files GROUP BY path"
            ).fetchall()
    except duckdb.Error as error:
        LOG.warning("meta.raw_files of %s unreadable (%s): every raw file is new", published_path, error)
        return cursor
    return cursor | {path: [None, None, sha256] for path, sha256 in rows}
