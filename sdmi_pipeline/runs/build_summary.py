"""What `sdmi build` prints at the end: per source files and rows, indicators written, or why it failed."""

from pathlib import Path

import duckdb
from dagster import ExecuteInProcessResult

from sdmi_pipeline.ingest.refusals import without_path
from sdmi_pipeline.ingest.revisions import revision_lines
from sdmi_pipeline.ingest.sources import SOURCES
from sdmi_pipeline.ingest.unread_paths import UnreadPath
from sdmi_pipeline.runs.outcome import unread_lines


def _staging_metadata(result: ExecuteInProcessResult) -> dict[str, dict]:
    """Materialization metadata of each source's staging asset, by source table."""
    found = {}
    for event in result.get_asset_materialization_events():
        table = ".".join(event.asset_key.path)
        found[table] = {key: value.value for key, value in event.materialization.metadata.items()}
    return found


def summary(
    result: ExecuteInProcessResult,
    connection: duckdb.DuckDBPyConnection,
    published: Path,
    unread: list[UnreadPath],
) -> str:
    """Files read and rows accepted/rejected per source in this build, files gone, every path not read
    into the figures (`unread`), and indicators published."""
    lines = ["", f"Published {published}:"]
    staged = _staging_metadata(result)
    for source in SOURCES:
        meta = staged.get(source.table, {})
        current = connection.execute(
            "SELECT count(*), coalesce(sum(rows_accepted), 0), coalesce(sum(rows_rejected), 0) "
            "FROM meta.raw_files WHERE source = ? AND is_current",
            [source.name],
        ).fetchone()
        this_build = (
            f"{meta.get('files_seen', 0)} files, {meta.get('files_parsed', 0)} read "
            f"({meta.get('files_failed', 0)} unreadable), {meta.get('files_unchanged', 0)} unchanged; "
            f"this build {meta.get('rows_accepted', 0):,} rows accepted, "
            f"{meta.get('rows_rejected', 0):,} rejected"
            if source.table in staged
            else "no file changed, not in this build"
        )
        lines.append(
            f"  {source.name}: {this_build}; "
            f"published {current[1]:,} accepted, {current[2]:,} rejected in {current[0]} files"
        )
    gone = [f"{path}: {why}" for meta in staged.values() for path, why in meta.get("gone", {}).items()]
    if gone:
        lines.append(f"  Gone from the raw root since the last build ({len(gone)}):")
        lines += [f"    {line}" for line in gone]
    lines += unread_lines(unread)
    lines += revision_lines(connection)
    indicators = connection.execute(
        "SELECT indicator_id, count(*) FROM indicators.observations GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    lines.append(f"  indicators.observations: {sum(n for _, n in indicators):,} rows")
    lines += [f"    {indicator}: {rows:,} observations" for indicator, rows in indicators]
    release = staged.get("release")
    if release:
        lines.append(f"  release {release['vintage']}: {release['status']} ({release['path']})")
    return "\n".join(lines)


def failure_report(result: ExecuteInProcessResult, published: Path) -> str:
    """Which blocking checks or steps failed, and whether the warehouse was published before."""
    published_now = any(
        event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key.path == ["published_warehouse"]
        for event in result.all_events
    )
    headline = (
        "Build FAILED after the warehouse was published; the release was not written."
        if published_now
        else "Build FAILED; nothing was published."
    )
    lines = ["", headline]
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed and evaluation.severity.value == "ERROR":
            lines.append(
                f"  blocking check {evaluation.check_name} on {evaluation.asset_key.to_user_string()} failed:"
            )
            for key, value in evaluation.metadata.items():
                if not key.endswith("(examples)"):
                    lines.append(f"    {key}: {value.value}")
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE" and event.step_key:
            error = event.event_specific_data.error
            if error and "check" not in (error.cls_name or "").lower():
                message = error.message.strip()
                if error.cls_name == "Failure":  # its description is the message; drop the class path
                    message = message.split("Failure: ", 1)[-1]
                lines.append(f"  step {event.step_key.replace('__', '/')} failed: {message}")
    refused = [
        f"{path}: {without_path(path, error)}"
        for meta in _staging_metadata(result).values()
        for path, error in meta.get("refused", {}).items()
    ]
    if refused:
        lines.append(f"  Files refused in this build ({len(refused)}):")
        lines += [f"    {refusal}" for refusal in refused]
    if published_now:
        state = f"this build's ({published}); the previous release stays the latest"
    else:
        state = f"still the last good version ({published})" if published.exists() else "not yet published"
    lines.append(f"  The published warehouse is {state}.")
    return "\n".join(lines)
