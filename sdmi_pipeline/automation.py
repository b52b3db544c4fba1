"""Unattended refreshes: the nightly schedule and the sensor on the raw root.

Both start the same `refresh_warehouse` job. The sensor watches every file under the raw root;
its cursor holds each file's size, modification time and SHA-256, so a file is hashed again
only when its size or time changed, and a file touched without a content change starts nothing.
It never starts a second writer: while a refresh is queued or running, it waits and keeps the
change for its next tick. Its first tick (no cursor yet) compares the raw files with what the
published warehouse has already read (`meta.raw_files`), so a warehouse that is up to date
starts nothing.
"""

import hashlib
import json
import logging
from datetime import timedelta
from pathlib import Path

import duckdb
from dagster import (
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    FreshnessPolicy,
    RunRequest,
    RunsFilter,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    schedule,
    sensor,
)
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from sdmi_pipeline.healing import heal_dead_runs
from sdmi_pipeline.partitions import delivered_months, months_of, range_tags
from sdmi_pipeline.paths import PUBLISHED_NAME, default_raw_dir, default_warehouse_dir
from sdmi_pipeline.raw_paths import display_path, refusal
from sdmi_pipeline.sources import SOURCES

NIGHTLY_CRON = "0 1 * * *"
# Published by the nightly refresh: overdue after a day, failing after a day and two hours
# (the grace the 01:00 run has to finish).
NIGHTLY_FRESHNESS = FreshnessPolicy.time_window(
    warn_window=timedelta(days=1), fail_window=timedelta(hours=26)
)
TIMEZONE = "Asia/Jakarta"
ACTIVE_STATUSES = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
]
IGNORED_NAMES = {"README.md", ".gitkeep"}
LOG = logging.getLogger(__name__)


def nightly_schedule(job: UnresolvedAssetJobDefinition) -> ScheduleDefinition:
    """Refresh and publish everything at 01:00 Jakarta time (WIB), over every delivered month."""

    @schedule(
        name="nightly_refresh",
        job=job,
        cron_schedule=NIGHTLY_CRON,
        execution_timezone=TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
        description="Every night at 01:00 Asia/Jakarta: load new raw files, rebuild, check, publish.",
    )
    def _nightly(context: ScheduleEvaluationContext) -> RunRequest:
        if context.instance_ref is not None:  # a dead run must not hold the queue (max_concurrent_runs: 1)
            heal_dead_runs(context.instance)
        return RunRequest(tags=range_tags(delivered_months(Path(default_raw_dir()))))

    return _nightly


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
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
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


def raw_files_sensor(job: UnresolvedAssetJobDefinition):
    """The sensor that refreshes when raw files arrive or change."""

    @sensor(
        name="raw_files_changed",
        job=job,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.RUNNING,
        description="Starts refresh_warehouse when a file under the raw root arrives or its content "
        "changes (cursor on SHA-256); waits while a refresh is queued or running.",
    )
    def _sensor(context: SensorEvaluationContext):
        raw_root = Path(default_raw_dir())
        if context.cursor:
            before = json.loads(context.cursor)
            after = raw_file_states(raw_root, before)
        else:
            after = raw_file_states(raw_root, {})
            before = warehouse_cursor(raw_root, Path(default_warehouse_dir()) / PUBLISHED_NAME, after)
        changed = content_changes(before, after)
        if not changed:
            return SensorResult(
                skip_reason=SkipReason("no raw file arrived or changed"), cursor=json.dumps(after)
            )
        heal_dead_runs(context.instance)  # a run whose process died is not "active"
        active = context.instance.get_runs(RunsFilter(job_name=job.name, statuses=ACTIVE_STATUSES), limit=1)
        if active:
            return SkipReason(f"{len(changed)} file(s) changed; waiting for run {active[0].run_id} to finish")
        fingerprint = hashlib.sha256(json.dumps({p: s[2] for p, s in after.items()}).encode()).hexdigest()
        listed = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        months = months_of(raw_root, changed) or delivered_months(raw_root)
        tags = {"sdmi/changed_files": listed, **range_tags(months)}
        return SensorResult(
            run_requests=[RunRequest(run_key=fingerprint, tags=tags)], cursor=json.dumps(after)
        )

    return _sensor
