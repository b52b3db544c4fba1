"""Which paths under the raw root a source reads, and why a path is refused before it is read.

Only regular files inside the raw root are read. A name matches its source's pattern whatever
its case (`.CSV` is a CSV). A path that is not a readable file (a folder named like a delivery, a
dangling link, a link leading out of the raw root, a name that is not UTF-8, a file without read
permission) is refused on its own with a reason: it never fails the build and is never retried,
since reading it again gives the same answer. A file whose name gives a period after the build
date (a year after this year, a month after this month) is refused too: no delivery can report a
period that has not happened.
"""

import fnmatch
import hashlib
import os
import re
from datetime import date
from pathlib import Path, PurePosixPath

# The last year (and month) in a file name: penduduk_1975_2023.json → 2023, ..._2023_07.csv → 2023-07.
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()  # recorded for a path refused before it is read
GONE = "gone"  # meta.raw_files.status (and sha256) of the row recording a path deleted from the raw root
NAME_PERIOD = re.compile(r"(?<!\d)((?:19|20|21)\d\d)(?:[_-](0[1-9]|1[0-2]))?(?!\d)")


def matching_paths(raw_root: Path, pattern: str) -> list[Path]:
    """Entries of the pattern's folder whose name matches its last part, ignoring case.

    Every kind of entry is returned (folders and links too), so that `refusal` can name the ones
    that cannot be read.
    """
    relative = PurePosixPath(pattern)
    folder = raw_root.joinpath(*relative.parent.parts)
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        names = [entry.name for entry in entries if matches(f"{relative.parent}/{entry.name}", pattern)]
    return sorted(folder / name for name in names)


def matches(relative: str, pattern: str) -> bool:
    """Whether a path relative to the raw root matches a source's pattern, ignoring the name's case."""
    path, wanted = PurePosixPath(relative), PurePosixPath(pattern)
    return path.parent == wanted.parent and fnmatch.fnmatchcase(path.name.lower(), wanted.name.lower())


def display_path(path: Path, raw_root: Path) -> str:
    """The path relative to the raw root as text; bytes that are not UTF-8 are shown as \\xNN."""
    relative = path.relative_to(raw_root).as_posix()
    return os.fsencode(relative).decode("utf-8", errors="backslashreplace")


def refusal(path: Path, raw_root: Path) -> str | None:
    """Why `path` cannot be read as a delivery, in words a data engineer acts on; None when it can."""
    relative = path.relative_to(raw_root).as_posix()
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return (
            f"the file name is not valid UTF-8 text ({display_path(path, raw_root)}); "
            "rename it with plain letters, digits and underscores"
        )
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(Path(os.path.realpath(raw_root))):
            return f"a symbolic link to {target}, outside the raw root; copy the file into the raw root"
        if not target.exists():
            return f"a symbolic link to {target}, which does not exist (a dangling link)"
    if path.is_dir():
        return "a folder, not a file: a delivery must be a single file; move its content out or rename it"
    if not path.is_file():
        return "not a regular file (a device, socket or pipe); deliver a regular file"
    if not os.access(path, os.R_OK):
        return "the file cannot be read (permission denied); give the pipeline's user read access"
    return None


def name_period(name: str) -> str | None:
    """The last period (YYYY or YYYY-MM) in a file name, if any."""
    found = NAME_PERIOD.findall(name)
    if not found:
        return None
    year, month = found[-1]
    return f"{year}-{month}" if month else year


def future_refusal(name: str, today: date) -> str | None:
    """Why a file whose name gives a period after `today` is refused; None otherwise."""
    period = name_period(name)
    if period is None:
        return None
    current = f"{today:%Y-%m}" if "-" in period else f"{today:%Y}"
    if period <= current:
        return None
    return (
        f"the file name gives the period {period}, after the build date {today:%Y-%m-%d}: "
        "no delivery can report a period that has not happened; check the year (and month) in its name"
    )
