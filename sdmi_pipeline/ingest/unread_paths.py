"""Every path under the raw root whose content is not in the published figures, and why.

A path is *refused* (a folder or link named like a delivery, a name that is not UTF-8, a file named
for a later period, a file its reader or the contract refused), *held* (a revision the revision
guard holds back until `sdmi accept`) or *ignored* (a file no source reads). Each is *new* when
the published warehouse has not reported it yet, else *still there*. `sdmi build` (even when up to
date), `sdmi status` and the sensor's tick name all of them, every time, until the path is
deleted or corrected; README.md and .gitkeep files are the raw root's own and are not listed.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import duckdb

from sdmi_pipeline.ingest.file_digests import file_sha256
from sdmi_pipeline.ingest.raw_changes import IGNORED_NAMES, source_paths
from sdmi_pipeline.ingest.raw_paths import EMPTY_SHA256, display_path, future_refusal, refusal
from sdmi_pipeline.ingest.refusals import without_path
from sdmi_pipeline.ingest.sources import SOURCES

REFUSED, HELD, IGNORED = "refused", "held", "ignored"


@dataclass(frozen=True)
class UnreadPath:
    """A path under the raw root that is not read into the published figures."""

    path: str  # relative to the raw root
    state: str  # refused, held or ignored
    reason: str
    new: bool  # not reported by the published warehouse's build yet

    def line(self) -> str:
        return f"{self.state}, {'new' if self.new else 'still there'}: {self.path}: {self.reason}"


def unread_paths(raw_root: Path, published: Path, today: date | None = None) -> list[UnreadPath]:
    """The refused, held and ignored paths under `raw_root`, against the `published` warehouse."""
    today = today or datetime.now(UTC).date()
    recorded = _latest_readings(published)
    read = source_paths(raw_root)
    found = []
    for relative, path in sorted(read.items()):
        status, digest, error = recorded.get(relative, (None, None, None))
        if reason := refusal(path, raw_root) or future_refusal(path.name, today):
            found.append(UnreadPath(relative, REFUSED, reason, (status, digest) != ("failed", EMPTY_SHA256)))
        elif status in ("failed", HELD) and digest == _digest(path):
            state = REFUSED if status == "failed" else HELD
            found.append(UnreadPath(relative, state, without_path(relative, error or ""), False))
    published_at = published.stat().st_mtime_ns if published.exists() else 0
    for path in sorted(raw_root.rglob("*")):
        relative = display_path(path, raw_root)
        if relative in read or path.name in IGNORED_NAMES or not (path.is_symlink() or path.is_file()):
            continue
        if any(relative.startswith(f"{folder}/") for folder in read):
            continue  # inside a folder named like a delivery, which is refused as a whole
        reason = refusal(path, raw_root) or _no_source_reads(relative)
        new = path.lstat().st_mtime_ns > published_at
        found.append(UnreadPath(relative, IGNORED, reason, new))
    return found


def as_new_since(found: list[UnreadPath], before: list[UnreadPath]) -> list[UnreadPath]:
    """`found` (after a build) with `new` meaning: not listed as still there before the build."""
    known = {(item.path, item.state) for item in before if not item.new}
    return [UnreadPath(i.path, i.state, i.reason, (i.path, i.state) not in known) for i in found]


def blocking(found: list[UnreadPath]) -> list[UnreadPath]:
    """The refused and held paths (an ignored file changes no figure)."""
    return [item for item in found if item.state != IGNORED]


def _no_source_reads(relative: str) -> str:
    folder = PurePosixPath(relative).parent
    names = [source.pattern for source in SOURCES if PurePosixPath(source.pattern).parent == folder]
    if names:
        return f"no source reads this name; a delivery here is named {' or '.join(names)}"
    return "no source reads this folder; see data/raw/README.md for where each delivery goes"


def _digest(path: Path) -> str | None:
    try:
        return file_sha256(path, path.stat())
    except OSError:
        return None


def _latest_readings(published: Path) -> dict[str, tuple[str, str, str | None]]:
    """Path → (status, sha256, error) of the published warehouse's latest reading of it."""
    if not published.exists():
        return {}
    try:
        with duckdb.connect(str(published), read_only=True) as connection:
            rows = connection.execute(
                """SELECT path, arg_max(status, loaded_at), arg_max(sha256, loaded_at),
                          arg_max(error, loaded_at) FROM meta.raw_files GROUP BY path"""
            ).fetchall()
    except duckdb.Error:
        return {}
    return {path: (status, digest, error) for path, status, digest, error in rows}
