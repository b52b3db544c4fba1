"""Unattended refreshes: the nightly schedule and the sensor on the raw root.

Both start the same `refresh_warehouse` job. The sensor watches every file under the raw root;
its cursor holds each file's size, modification time and SHA-256, so a file is hashed again
only when its size or time changed, and a file touched without a content change starts nothing.
It never starts a second writer: while a refresh is queued or running, it waits and keeps the
change for its next tick. Its first tick (no cursor yet) compares the raw files with what the
published warehouse has already read (`meta.raw_files`), so a warehouse that is up to date
starts nothing. A run it requests also reads every file the published warehouse has not read
(a run killed before it published leaves its files behind the cursor). As `sdmi build` does, it
requests only the assets the changed files' sources feed when nothing else changed since the last
full build (`up_to_date.py`).
"""

import json
from pathlib import Path

from dagster import (
    AssetKey,
    DagsterRunStatus,
    DefaultScheduleStatus,
    DefaultSensorStatus,
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

from sdmi_pipeline.dagster_internals import UnresolvedAssetJobDefinition, has_instance, resolve_selection
from sdmi_pipeline.digests import sha256
from sdmi_pipeline.ingest.partitions import delivered_months, months_of, partial_run_tags, range_tags
from sdmi_pipeline.ingest.raw_changes import content_changes, raw_file_states, warehouse_cursor
from sdmi_pipeline.ingest.unread_paths import unread_paths
from sdmi_pipeline.paths import PUBLISHED_NAME, default_raw_dir, default_warehouse_dir
from sdmi_pipeline.release.layout import default_export_dir
from sdmi_pipeline.runs.outcome import UNREAD_TAG, unread_tag
from sdmi_pipeline.runs.up_to_date import Places, assets_to_build, staleness
from sdmi_pipeline.warehouse.healing import heal_dead_runs

NIGHTLY_CRON = "0 1 * * *"
TIMEZONE = "Asia/Jakarta"
ACTIVE_STATUSES = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
]


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
        if has_instance(context):  # a dead run must not hold the queue (max_concurrent_runs: 1)
            heal_dead_runs(context.instance)
        return RunRequest(tags=range_tags(delivered_months(Path(default_raw_dir()))))

    return _nightly


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
        published = Path(default_warehouse_dir()) / PUBLISHED_NAME
        if context.cursor:
            before = json.loads(context.cursor)
            after = raw_file_states(raw_root, before)
        else:
            after = raw_file_states(raw_root, {})
            before = warehouse_cursor(raw_root, published, after)
        changed = content_changes(before, after)
        unread = unread_paths(raw_root, published)
        not_read = f"; not read into the figures: {unread_tag(unread)}" if unread else ""
        if not changed:
            reason = SkipReason(f"no raw file arrived or changed{not_read}")
            return SensorResult(skip_reason=reason, cursor=json.dumps(after))
        heal_dead_runs(context.instance)  # a run whose process died is not "active"
        active = context.instance.get_run_records(
            RunsFilter(job_name=job.name, statuses=ACTIVE_STATUSES), limit=1
        )
        if active:
            run_id = active[0].dagster_run.run_id
            waiting = f"{len(changed)} file(s) changed; waiting for run {run_id} to finish"
            return SkipReason(waiting + not_read)
        # A run that died before publishing (kill -9) left its files behind the cursor: read them too.
        behind = content_changes(warehouse_cursor(raw_root, published, after), after)
        changed = sorted(set(changed) | set(behind))
        fingerprint = sha256(json.dumps({p: s[2] for p, s in after.items()}))
        listed = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        selection = _assets_to_build(raw_root, context)
        if selection is None:
            partitions = range_tags(months_of(raw_root, changed) or delivered_months(raw_root))
        else:
            partitions = partial_run_tags(raw_root, changed)
        tags = {"sdmi/changed_files": listed, **partitions}
        if unread:
            tags[UNREAD_TAG] = unread_tag(unread)
        request = RunRequest(run_key=fingerprint, tags=tags, asset_selection=selection)
        return SensorResult(run_requests=[request], cursor=json.dumps(after))

    return _sensor


def _assets_to_build(raw_root: Path, context: SensorEvaluationContext) -> list[AssetKey] | None:
    """As `sdmi build` chooses: only what the changed files' sources feed, when nothing else changed."""
    places = Places(raw_root, Path(default_warehouse_dir()), default_export_dir())
    partial = assets_to_build(places, staleness(places))
    if partial is None or context.repository_def is None:
        return None
    return sorted(resolve_selection(partial, context.repository_def))
