"""Every call into Dagster that is not public API, in one place, each with why no public API does
its job. Dagster may change these between minor versions: pyproject.toml pins `dagster<1.14`, and
tests/test_dagster_internals.py checks that no other module reaches into `dagster._`.

The public API is used wherever it suffices: `get_run_records` finds runs, `DagsterEvent`'s
documented attributes (`event_type_value`, `step_key`, `event_specific_data`) describe a step.
Test-only internals are imported when called, so the pipeline never loads them.
"""

import logging
import os
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from dagster import AssetCheckKey, AssetKey, AssetSelection, DagsterEvent, DagsterInstance, DagsterRun

# Type only: what `define_asset_job` returns, the job the schedule and the sensor start. Dagster
# exports the function, not its result's class.
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import Connection, Engine, create_engine

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


# Dagster's SQLite event log, one engine per shard kept open.

# Engines kept open per storage: the index, the run being written, and a few runs being read.
POOLED_SHARDS = 4
_POOLED = "_sdmi_engines"
_storages: "weakref.WeakSet[SqliteEventLogStorage]" = weakref.WeakSet()


def pool_sqlite_event_log() -> None:
    """Keep one SQLAlchemy engine per shard of Dagster's SQLite event log open in this process.

    `SqliteEventLogStorage._connect` creates an engine with `NullPool`, opens a connection and
    disposes the engine for every event it stores (about two connections an event: the run's
    shard, and the index for asset and check events): 2,034 connections for a new month's 368
    events, 7 of the 10 ms an event cost under the profiler (docs/benchmarks.md). No setting of
    the instance changes that. Here the same method keeps the last POOLED_SHARDS engines, each
    with SQLAlchemy's default pool for a SQLite file, and still takes the storage's lock and
    creates a shard's tables on first use as Dagster does.
    `wipe` (which deletes shard files) and `dispose` close the engines first; a forked child
    forgets its parent's connections. Idempotent; every Dagster process calls it
    (definitions.prepare_process)."""
    if getattr(SqliteEventLogStorage._connect, _POOLED, False):
        return
    wipe, dispose = SqliteEventLogStorage.wipe, SqliteEventLogStorage.dispose

    def wipe_closed(storage: SqliteEventLogStorage) -> None:
        _close_engines(storage)
        wipe(storage)

    def dispose_closed(storage: SqliteEventLogStorage) -> None:
        _close_engines(storage)
        dispose(storage)

    SqliteEventLogStorage._connect = _pooled_connect
    SqliteEventLogStorage.wipe = wipe_closed
    SqliteEventLogStorage.dispose = dispose_closed
    os.register_at_fork(after_in_child=_forget_engines)


@contextmanager
def _pooled_connect(storage: SqliteEventLogStorage, shard: str) -> Iterator[Connection]:
    with storage._db_lock:
        engine = _engine(storage, shard)
        if shard not in storage._initialized_dbs:
            storage._initdb(engine)
            storage._initialized_dbs.add(shard)
        with engine.connect() as connection, connection.begin():
            yield connection


setattr(_pooled_connect, _POOLED, True)


def _engine(storage: SqliteEventLogStorage, shard: str) -> Engine:
    """The storage's open engine of `shard`, created on first use; the least recently used beyond
    POOLED_SHARDS is disposed."""
    engines: OrderedDict[str, Engine] = storage.__dict__.setdefault(_POOLED, OrderedDict())
    _storages.add(storage)
    if shard in engines:
        engines.move_to_end(shard)
        return engines[shard]
    engine = create_engine(
        storage.conn_string_for_shard(shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
    )
    engines[shard] = engine
    while len(engines) > POOLED_SHARDS:
        engines.popitem(last=False)[1].dispose()
    return engine


def _close_engines(storage: SqliteEventLogStorage) -> None:
    for engine in storage.__dict__.pop(_POOLED, {}).values():
        engine.dispose()


def _forget_engines() -> None:
    """In a forked child: drop the parent's pooled connections without closing them (the parent
    still uses them), as SQLAlchemy advises for engines inherited across fork."""
    for storage in list(_storages):
        for engine in storage.__dict__.pop(_POOLED, {}).values():
            engine.dispose(close=False)


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
