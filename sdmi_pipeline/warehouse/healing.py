"""Runs whose process died (kill -9, power loss) are marked failed and their pool slots freed.

Dagster's run monitoring cannot tell that a run launched in process (`sdmi build`, which runs
`execute_in_process` without a daemon) or by the default run launcher has died: such a run stays
STARTED and keeps its slot in the `warehouse` pool, and every later step waits for that slot.
Each run of this project tags itself with the pid, start time and host of the process that runs
it (`tag_this_process`). `heal_dead_runs` marks failed every unfinished run of this host that is
not running, and frees the pool slots of every run that has ended (the Dagster calls are in
runs/dagster_internals.py). Whether a run is running is asked of the build lock first: the run the
lock file names is alive exactly while the lock is held, since the kernel drops it when its
process dies, whatever pid a later process reuses. A run that does not hold the lock (waiting for
it, or just started) is alive while a process with its pid *and start time* exists: a reused pid
has another start time.
"""

import logging
import socket
from pathlib import Path

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

from sdmi_pipeline.dagster_internals import (
    add_run_tags,
    free_pool_slots,
    report_run_failed,
    runs_holding_pool_slots,
)
from sdmi_pipeline.paths import default_warehouse_dir
from sdmi_pipeline.processes import is_alive, process_started
from sdmi_pipeline.warehouse.build_lock import BuildLock, run_worker_pid

PID_TAG = "sdmi/pid"
HOST_TAG = "sdmi/host"
STARTED_TAG = "sdmi/pid_started"  # the process's start time (/proc/<pid>/stat), "" where unknown
UNFINISHED = [
    DagsterRunStatus.NOT_STARTED,  # a process killed while it created its run
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]

Log = logging.Logger | logging.LoggerAdapter
logger = logging.getLogger(__name__)


def process_tags() -> dict[str, str]:
    """The tags naming the process that runs a run."""
    pid = run_worker_pid()
    return {PID_TAG: str(pid), HOST_TAG: socket.gethostname(), STARTED_TAG: process_started(pid) or ""}


def tag_this_process(instance: DagsterInstance, run: DagsterRun) -> None:
    """Record in the run's tags which process runs it (once: `sdmi build` tags its runs itself)."""
    if PID_TAG not in run.tags:
        add_run_tags(instance, run.run_id, process_tags())


def is_running(run: DagsterRun, lock: BuildLock) -> bool:
    """Whether `run` is running: it holds the build lock, or its process (pid and start time) lives."""
    holder = lock.holder()
    if holder is not None and holder.run_id == run.run_id:
        return lock.is_held()  # the lock names this run: it lives exactly while the lock is held
    return is_alive(int(run.tags.get(PID_TAG, "0")), run.tags.get(STARTED_TAG))


def heal_dead_runs(
    instance: DagsterInstance,
    log: Log | None = None,
    current_run: str | None = None,
    warehouse_root: Path | None = None,
) -> list[str]:
    """Mark failed the unfinished runs of this host that are not running, and free dead slots.

    Returns the ids of the runs marked failed. Runs of other hosts, and runs without the pid
    tag (not started by this project's code), are left to Dagster's run monitoring.
    """
    log = log or logger
    host = socket.gethostname()
    lock = BuildLock(warehouse_root or Path(default_warehouse_dir()))
    healed = []
    for record in instance.get_run_records(filters=RunsFilter(statuses=UNFINISHED, tags={HOST_TAG: host})):
        run = record.dagster_run
        pid = int(run.tags.get(PID_TAG, "0"))
        if run.run_id == current_run or pid <= 0 or pid == run_worker_pid() or is_running(run, lock):
            continue
        report_run_failed(
            instance, run, f"The process of this run (pid {pid} on {host}) is gone; marked failed by sdmi."
        )
        log.warning("run %s: its process (pid %s on %s) is gone; marked it failed", run.run_id, pid, host)
        healed.append(run.run_id)
    _free_slots_of_ended_runs(instance, log)
    return healed


def _free_slots_of_ended_runs(instance: DagsterInstance, log: Log) -> None:
    """Free the pool slots still held by runs that have ended (failed, canceled or healed above)."""
    holders = runs_holding_pool_slots(instance)
    if not holders:
        return
    for record in instance.get_run_records(filters=RunsFilter(run_ids=sorted(holders))):
        run = record.dagster_run
        if run.is_finished:
            free_pool_slots(instance, run.run_id)
            log.warning("run %s (%s) still held pool slots; freed them", run.run_id, run.status.value)
