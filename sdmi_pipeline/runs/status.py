"""`sdmi status`: what is published, when, from which files, and which checks fail."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from dagster import AssetCheckKey, DagsterInstance

from sdmi_pipeline.dagster_internals import AssetCheckExecutionRecordStatus, latest_check_executions
from sdmi_pipeline.ingest.revisions import revision_lines
from sdmi_pipeline.ingest.unread_paths import unread_paths
from sdmi_pipeline.runs.outcome import unread_lines

JAKARTA = ZoneInfo("Asia/Jakarta")


def _when(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return f"{moment:%Y-%m-%d %H:%M} UTC ({moment.astimezone(JAKARTA):%H:%M} WIB)"


def published_section(published: Path, raw_root: Path) -> list[str]:
    """The published file and, per source, the files behind it; every path under `raw_root` not read
    into the figures."""
    if not published.exists():
        return [f"Nothing published yet at {published}. Run `sdmi build`."]
    stat = published.stat()
    lines = [f"Published: {published} ({stat.st_size / 1e6:.1f} MB), {_when(stat.st_mtime)}"]
    with duckdb.connect(str(published), read_only=True) as connection:
        sources = connection.execute(
            """SELECT source, count(*), sum(rows_accepted), sum(rows_rejected), max(loaded_at)
               FROM meta.raw_files WHERE is_current GROUP BY source ORDER BY source"""
        ).fetchall()
        observations = connection.execute(
            "SELECT count(*), count(DISTINCT indicator_id) FROM indicators.observations"
        ).fetchone()
        revisions = revision_lines(connection)
    for source, files, accepted, rejected, loaded in sources:
        lines.append(
            f"  {source}: {files} current files, {accepted or 0:,} rows accepted, "
            f"{rejected or 0:,} rejected; newest loaded {loaded:%Y-%m-%d %H:%M} UTC"
        )
    lines += unread_lines(unread_paths(raw_root, published))
    lines.append(f"  indicators.observations: {observations[0]:,} rows, {observations[1]} indicators")
    return lines + revisions


def checks_section(instance: DagsterInstance, check_keys: list[AssetCheckKey]) -> list[str]:
    """The latest evaluation of every check, failing ones named."""
    latest = latest_check_executions(instance, check_keys)
    never = [key for key in check_keys if key not in latest]
    failing = []
    for key, record in sorted(latest.items(), key=lambda item: item[0].to_user_string()):
        if record.status != AssetCheckExecutionRecordStatus.FAILED:
            continue
        evaluation = record.event.dagster_event.event_specific_data if record.event else None
        severity = evaluation.severity.value if evaluation else "ERROR"
        when = _when(record.event.timestamp) if record.event else "unknown time"
        failing.append(
            f"  FAILED ({severity}) {key.asset_key.to_user_string()} {key.name}, "
            f"run {record.run_id[:8]} at {when}"
        )
    passed = len(latest) - len(failing)
    lines = [f"Checks: {passed} passed, {len(failing)} failing, {len(never)} never run"]
    return lines + failing


def status_report(
    published: Path, raw_root: Path, instance: DagsterInstance, check_keys: list[AssetCheckKey]
) -> str:
    return "\n".join([*published_section(published, raw_root), *checks_section(instance, check_keys)])
