"""Whether a process is alive: the one check the run healing and the release writer share."""

import os
from pathlib import Path


def process_started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot, Linux), None when there is no such process
    or no /proc to ask."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, counted after the command's parentheses


def is_alive(pid: int, started: str | None = None) -> bool:
    """Whether the process `pid` exists on this host (one owned by another user counts), and is the
    one that started at `started` when that is known (a pid reused by a later process is not)."""
    if pid <= 0:
        return False
    now = process_started(pid)
    if now is not None:
        return not started or now == started
    if Path("/proc/self/stat").exists():
        return False  # /proc answers for every process: there is none with this pid
    try:
        os.kill(pid, 0)  # no /proc (not Linux): the pid alone
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
