"""One build at a time per warehouse: an OS file lock beside the build file.

The process that runs a build holds `sdmi.build.lock` (fcntl.flock) from the start of the run to
its end. The kernel drops the lock when that process exits, however it exits (kill -9 included),
so a dead build never blocks the next one. The lock file names its holder (run, pid, host, start
time): a second build waits for the first, saying which build it waits for, and refuses after
`wait_seconds`, naming it. The holder's run id also tells a new run whether a build file it finds
is its own (a step of a multiprocess run) or was left by another run that died or failed.
"""

import fcntl
import json
import multiprocessing
import os
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = "sdmi.build.lock"
POLL_SECONDS = 1.0


def run_worker_pid() -> int:
    """The process that runs the run: this one, or the parent of a multiprocess executor's step."""
    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None else os.getpid()


@dataclass(frozen=True)
class BuildHolder:
    """Who holds (or last held) a warehouse's build lock."""

    run_id: str
    pid: int
    host: str
    started: str  # ISO 8601, UTC

    def describe(self) -> str:
        return f"run {self.run_id[:8]} (pid {self.pid} on {self.host}, started {self.started})"

    @classmethod
    def of_this_process(cls, run_id: str) -> "BuildHolder":
        started = datetime.now(UTC).replace(microsecond=0).isoformat()
        return cls(run_id=run_id, pid=run_worker_pid(), host=socket.gethostname(), started=started)


class BuildLockTimeout(RuntimeError):
    """Another build held the warehouse for longer than a build waits."""


class BuildLock:
    """The exclusive lock of one warehouse folder's build file."""

    def __init__(self, warehouse_root: Path) -> None:
        self.path = warehouse_root / LOCK_NAME
        self._handle = None

    def holder(self) -> BuildHolder | None:
        """The holder written in the lock file: the running build, or the last one that ran."""
        try:
            return BuildHolder(**json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def is_held(self) -> bool:
        """Whether a live process holds the lock now (the kernel drops it when its holder dies)."""
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True
                fcntl.flock(handle, fcntl.LOCK_UN)
                return False
        except OSError:
            return False

    def acquire(
        self, run_id: str, wait_seconds: float, on_wait: Callable[[BuildHolder | None], None]
    ) -> BuildHolder | None:
        """Take the lock for `run_id`; returns the previous holder (None for a first build).

        Waits while another process holds it (calling `on_wait` once), then raises
        BuildLockTimeout naming the holder after `wait_seconds`.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                running = self.holder()
                if time.monotonic() >= deadline:
                    handle.close()
                    name = running.describe() if running else "another build"
                    raise BuildLockTimeout(
                        f"{name} still holds {self.path} after {wait_seconds:.0f} s; "
                        "this build did not start. Run it again when that build has finished."
                    ) from None
                if not told:
                    on_wait(running)
                    told = True
                time.sleep(POLL_SECONDS)
        previous = self.holder()
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(asdict(BuildHolder.of_this_process(run_id))))
        handle.flush()
        self._handle = handle
        return previous

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
