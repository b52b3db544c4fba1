"""Every call into Dagster that is not public API, in one place, each with why no public API does
its job. Dagster may change these between minor versions: pyproject.toml pins `dagster<1.14`, and
tests/test_dagster_internals.py checks that no other module reaches into `dagster._`.

The public API is used wherever it suffices: `get_run_records` finds runs, `DagsterEvent`'s
documented attributes (`event_type_value`, `step_key`, `event_specific_data`) describe a step.
Test-only internals are imported when called, so the pipeline never loads them.
"""

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from dagster import AssetCheckKey, AssetKey, AssetSelection, DagsterEvent, DagsterInstance, DagsterRun

# Type only: what `define_asset_job` returns, the job the schedule and the sensor start. Dagster
# exports the function, not its result's class.
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

if TYPE_CHECKING:
    from dagster import RepositoryDefinition, ScheduleEvaluationContext

__all__ = ["AssetCheckExecutionRecordStatus", "UnresolvedAssetJobDefinition"]


def has_instance(context: "ScheduleEvaluationContext") -> bool:
    """Whether a schedule's context has an instance (not one built bare in a test): reading
    `context.instance` without one raises, and only the undocumented `instance_ref` tells."""
    return context.instance_ref is not None


def latest_check_executions(instance: DagsterInstance, keys: Sequence[AssetCheckKey]) -> dict:
    """Check key → its latest execution record (status, event). No public API reads check results
    for many keys at once; the UI reads them through the same storage method."""
    return instance.event_log_storage.get_latest_asset_check_execution_by_key(list(keys))


def add_run_tags(instance: DagsterInstance, run_id: str, tags: dict[str, str]) -> None:
    """Add tags to a run that exists. Runs launched by the UI or the daemon cannot be given the pid
    of the process that runs them beforehand; no public API tags a run afterwards."""
    instance.add_run_tags(run_id, tags)


def report_run_failed(instance: DagsterInstance, run: DagsterRun, message: str) -> None:
    """Mark a run whose process is gone failed. Run monitoring does this only for runs a daemon
    launched; no public API ends a run from outside it."""
    instance.report_run_failed(run, message=message)


def runs_holding_pool_slots(instance: DagsterInstance) -> set[str]:
    """The ids of the runs holding slots in a pool (none where the storage has no pools). The pool
    API is the storage's; no public API lists or frees slots."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return set()
    return set(storage.get_concurrency_run_ids())


def free_pool_slots(instance: DagsterInstance, run_id: str) -> None:
    """Free the pool slots a run still holds (see `runs_holding_pool_slots`)."""
    instance.event_log_storage.free_concurrency_slots_for_run(run_id)


def resolve_selection(selection: AssetSelection, repository: "RepositoryDefinition") -> set[AssetKey]:
    """The asset keys of `selection` in a repository. A RunRequest takes keys, not a selection, and
    only the asset graph resolves one."""
    return selection.resolve(repository.asset_graph)


def dagster_event(record: logging.LogRecord) -> DagsterEvent | None:
    """The Dagster event a log record of a custom logger carries, if any. Dagster attaches it as
    `dagster_meta`, undocumented; a logger has no other way to see step events as they happen."""
    meta = getattr(record, "dagster_meta", None) or {}
    return meta.get("dagster_event")


def logged_message(record: logging.LogRecord) -> str:
    """A log record's message as the code logged it, without Dagster's prefix (see `dagster_event`)."""
    meta = getattr(record, "dagster_meta", None) or {}
    return meta.get("orig_message") or record.getMessage()


# Tests only.


def create_run_for_test(instance: DagsterInstance, job_name: str, **kwargs) -> DagsterRun:
    """A run in a given status (STARTED, say) that no process runs: no public API makes one."""
    from dagster._core.test_utils import create_run_for_test as create

    return create(instance, job_name=job_name, **kwargs)


def cron_ticks(start: float, cron: str, timezone: str) -> Iterator[datetime]:
    """The times a schedule of `cron` in `timezone` ticks after `start`, as Dagster computes them."""
    from dagster._utils.schedules import cron_string_iterator

    return cron_string_iterator(start, cron, timezone)


def run_freshness_daemon_once(workspace_file: str, at: datetime) -> None:
    """One tick of dagster-daemon's freshness daemon on `workspace_file`, its clock set to `at`. The
    daemon, its workspace and the frozen clock are internal; the UI test needs a tick on demand."""
    from dagster._core.test_utils import freeze_time
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._core.workspace.load_target import WorkspaceFileTarget
    from dagster._daemon.freshness import FreshnessDaemon

    target = WorkspaceFileTarget([workspace_file])
    with (
        DagsterInstance.get() as instance,
        WorkspaceProcessContext(instance, target) as context,
        freeze_time(at),
    ):
        for _ in FreshnessDaemon().run_iteration(context) or []:
            pass
