"""Runs whose process died (kill -9, power loss) are marked failed and their pool slots freed.

Dagster's run monitoring cannot tell that a run launched in process (`sdmi build`, which runs
`execute_in_process` without a daemon) or by the default run launcher has died: such a run stays
STARTED and keeps its slot in the `warehouse` pool, and every later step waits for that slot.
Each run of this project tags itself with the pid and host of the process that runs it
(`tag_this_process`); `heal_dead_runs` marks failed every STARTED run of this host whose process
is gone, and frees the pool slots of every run that has ended (runs/dagster_internals.py).
"""

import logging
import multiprocessing
import os
import socket

from dagster import DagsterInstance, DagsterRun, DagsterRunStatus, RunsFilter

from sdmi_pipeline.runs.dagster_internals import (
    add_run_tags,
    free_pool_slots,
    report_run_failed,
    runs_holding_pool_slots,
)
from sdmi_pipeline.runs.processes import is_alive

PID_TAG = "sdmi/pid"
HOST_TAG = "sdmi/host"
UNFINISHED = [
    DagsterRunStatus.NOT_STARTED,  # a process killed while it created its run
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]

Log = logging.Logger | logging.LoggerAdapter
logger = logging.getLogger(__name__)


def run_worker_pid() -> int:
    """The process that runs the run: this one, or the parent of a multiprocess executor's step."""
    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None else os.getpid()


def process_tags() -> dict[str, str]:
    """The tags naming the process that runs a run."""
    return {PID_TAG: str(run_worker_pid()), HOST_TAG: socket.gethostname()}


def tag_this_process(instance: DagsterInstance, run: DagsterRun) -> None:
    """Record in the run's tags which process runs it (once: `sdmi build` tags its runs itself)."""
    if PID_TAG not in run.tags:
        add_run_tags(instance, run.run_id, process_tags())


def heal_dead_runs(
    instance: DagsterInstance, log: Log | None = None, current_run: str | None = None
) -> list[str]:
    """Mark failed the unfinished runs of this host whose process is gone, and free dead slots.

    Returns the ids of the runs marked failed. Runs of other hosts, and runs without the pid
    tag (not started by this project's code), are left to Dagster's run monitoring.
    """
    log = log or logger
    host = socket.gethostname()
    healed = []
    for record in instance.get_run_records(filters=RunsFilter(statuses=UNFINISHED, tags={HOST_TAG: host})):
        run = record.dagster_run
        pid = int(run.tags.get(PID_TAG, "0"))
        if run.run_id == current_run or pid <= 0 or pid == run_worker_pid() or is_alive(pid):
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
