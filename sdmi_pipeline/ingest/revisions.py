"""Revisions you can see: every published observation kept by vintage, and what each release changed.

Each build is a release, identified by the time (UTC) its `meta/revisions` step ran. It compares
indicators.observations with the observations published so far (meta.observation_history rows
not withdrawn): an observation is added, removed, revised (a delivered figure changed), or
updated (it moved with no delivery revised: a provisional year-to-date total growing as months
arrive, or a figure a first delivery of its publisher and year fills in, as a coverage share).
The changes go to meta.revisions with anomaly flags, which only revisions (but not those an
operator let through with `sdmi accept`) and removals can carry; history withdraws the old rows
and keeps the new ones. The first release has no predecessor: its observations enter history, no
change is listed.
"""

import sys
from datetime import UTC, datetime

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    MaterializeResult,
    asset,
)

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.contracts.metadata import OWNERS, markdown
from sdmi_pipeline.contracts.versions import modules_version, table_version
from sdmi_pipeline.ingest.release_deliveries import (
    PUBLISHERS,
    RELEASE_DELIVERIES,
    create_release_deliveries,
)
from sdmi_pipeline.settings import load_settings
from sdmi_pipeline.warehouse.catalog import table_exists
from sdmi_pipeline.warehouse.resource import WAREHOUSE_POOL, WarehouseResource, create_documented_table

REVISIONS_KEY = AssetKey(["meta", "revisions"])
OBSERVATIONS = "indicators.observations"
HISTORY = "meta.observation_history"
REVISIONS = "meta.revisions"
BREAK_MONTHS = 3


def observation_key() -> list[str]:
    """The columns that identify an observation (its primary key, and its unit)."""
    return [*contract_for(OBSERVATIONS).primary_key, "unit"]


def _key_sql(alias: str, columns: list[str]) -> str:
    return "concat_ws('|', " + ", ".join(f"coalesce({alias}.{column}, '')" for column in columns) + ")"


def record_release(connection: duckdb.DuckDBPyConnection, release: datetime) -> bool:
    """Diff this build's observations against those published, into meta.revisions and history.

    Returns whether this is the first release (nothing published before: no change listed).
    """
    for table in (HISTORY, REVISIONS):
        create_documented_table(connection, table)
    settings = load_settings()
    key = observation_key()
    series = [column for column in key if column != "time_period"]
    first, previous = connection.execute(f"SELECT count(*) = 0, max(released_at) FROM {HISTORY}").fetchone()
    create_release_deliveries(connection, previous)
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE release_changes AS
        WITH published AS (SELECT *, {_key_sql("h", key)} AS obs_key FROM {HISTORY} AS h
                           WHERE withdrawn_at IS NULL),
        current AS (
            SELECT *, {_key_sql("o", key)} AS obs_key, {_key_sql("o", series)} AS series_key,
                   avg(value) OVER (PARTITION BY {", ".join(series)} ORDER BY time_period
                       ROWS BETWEEN {BREAK_MONTHS} PRECEDING AND 1 PRECEDING) AS recent_mean,
                   count(value) OVER (PARTITION BY {", ".join(series)} ORDER BY time_period
                       ROWS BETWEEN {BREAK_MONTHS} PRECEDING AND 1 PRECEDING) AS recent_months
            FROM {OBSERVATIONS} AS o
        ),
        compared AS (
            SELECT n.obs_key AS new_key, p.obs_key AS old_key,
                   CASE WHEN p.obs_key IS NULL THEN 'added' WHEN n.obs_key IS NULL THEN 'removed'
                        ELSE 'revised' END AS compared_kind,
                   {", ".join(f"coalesce(n.{c}, p.{c}) AS {c}" for c in key)},
                   p.value AS old_value, n.value AS new_value,
                   CASE WHEN p.obs_key IS NOT NULL AND n.obs_key IS NOT NULL
                        THEN n.value - p.value END AS change,
                   CASE WHEN p.obs_key IS NOT NULL AND n.obs_key IS NOT NULL AND p.value <> 0
                        THEN (n.value - p.value) / abs(p.value) END AS change_share,
                   p.obs_status AS old_status, n.obs_status AS new_status,
                   p.vintage AS old_vintage, n.vintage AS new_vintage,
                   n.freq = 'M' AND n.recent_months = {BREAK_MONTHS} AND n.recent_mean > 0
                       AND abs(n.value - n.recent_mean) > ? * n.recent_mean AS series_break,
                   p.obs_key IS NOT NULL AND n.obs_key IS NULL
                       AND {_key_sql("p", series)} NOT IN (SELECT series_key FROM current) AS disappears
            FROM current AS n FULL JOIN published AS p ON n.obs_key = p.obs_key
            WHERE p.obs_key IS NULL OR n.obs_key IS NULL
               OR n.value IS DISTINCT FROM p.value OR n.obs_status IS DISTINCT FROM p.obs_status
        ),
        covered AS (
            SELECT c.*, count(d.path) FILTER (d.revises) AS revised_by,
                   count(d.path) FILTER (d.accepted) AS accepted_by, count(d.path) AS delivered_by
            FROM compared AS c LEFT JOIN {RELEASE_DELIVERIES} AS d
                ON (contains(c.source, d.publisher) OR NOT list_bool_or([contains(c.source, p) FOR p IN ?]))
                AND (d.year IS NULL OR left(c.time_period, 4) = d.year)
            GROUP BY ALL
        ),
        changes AS (
            SELECT * EXCLUDE (revised_by, accepted_by, delivered_by) REPLACE (
                CASE WHEN compared_kind = 'revised' AND revised_by = 0
                          AND (old_status = 'P' OR delivered_by > 0)
                     THEN 'updated' ELSE compared_kind END AS compared_kind),
                   revised_by > 0 AND accepted_by = revised_by AS reviewed
            FROM covered
        )
        SELECT * EXCLUDE (compared_kind, reviewed), compared_kind AS change_kind, nullif(concat_ws(',',
                   CASE WHEN compared_kind = 'revised' AND NOT reviewed
                             AND (abs(change_share) > ? OR (old_value = 0 AND change <> 0))
                        THEN 'revision_beyond_threshold' END,
                   CASE WHEN series_break AND compared_kind = 'revised' AND NOT reviewed
                        THEN 'series_break' END,
                   CASE WHEN disappears AND NOT reviewed THEN 'category_disappears' END), '') AS flags
        FROM changes""",
        [settings.revision_break_share, PUBLISHERS, settings.revision_flag_change],
    )
    if not first:
        columns = [column.name for column in contract_for(REVISIONS).columns if column.name != "release"]
        connection.execute(
            f"INSERT INTO {REVISIONS} SELECT ? AS release, {', '.join(columns)} FROM release_changes",
            [release],
        )
    connection.execute(
        f"""UPDATE {HISTORY} AS h SET withdrawn_at = ? WHERE withdrawn_at IS NULL
            AND {_key_sql("h", key)} IN (SELECT old_key FROM release_changes WHERE old_key IS NOT NULL)""",
        [release],
    )
    connection.execute(
        f"""INSERT INTO {HISTORY} SELECT o.*, ? AS released_at, NULL AS withdrawn_at FROM {OBSERVATIONS} AS o
            WHERE {_key_sql("o", key)} IN (SELECT new_key FROM release_changes WHERE new_key IS NOT NULL)""",
        [release],
    )
    return bool(first)


def _dimensions_sql() -> str:
    """Every dimension of an observation not at a total or not applicable, as `name=code` words."""
    named = [c for c in observation_key() if c not in ("indicator_id", "freq", "time_period", "unit")]
    return (
        "concat_ws(' ', "
        + ", ".join(f"CASE WHEN {c} NOT IN ('_T', '_Z') THEN '{c}=' || {c} END" for c in named)
        + ")"
    )


def release_changes(connection: duckdb.DuckDBPyConnection, release: datetime) -> tuple[dict, dict, object]:
    """Changes of one release: counts by kind, counts by anomaly flag, and the flagged rows (first 20)."""
    kinds = dict(
        connection.execute(
            f"SELECT change_kind, count(*) FROM {REVISIONS} WHERE release = ? GROUP BY ALL ORDER BY ALL",
            [release],
        ).fetchall()
    )
    flags = dict(
        connection.execute(
            f"""SELECT flag, count(*) FROM (SELECT unnest(string_split(flags, ',')) AS flag FROM {REVISIONS}
                WHERE release = ? AND flags IS NOT NULL) GROUP BY ALL ORDER BY ALL""",
            [release],
        ).fetchall()
    )
    flagged = connection.execute(
        f"""SELECT change_kind, indicator_id, freq, time_period, {_dimensions_sql()} AS dimensions,
                   old_value, new_value, flags FROM {REVISIONS} WHERE release = ? AND flags IS NOT NULL
            ORDER BY indicator_id, time_period, change_kind, dimensions LIMIT 20""",
        [release],
    ).df()
    return kinds, flags, flagged


CHECK = "no_anomalous_revisions"


@asset(
    key=REVISIONS_KEY,
    deps=[AssetKey(["indicators", "observations"])],
    group_name="meta",
    kinds={"duckdb"},
    description=contract_for(REVISIONS).description_en + " Also keeps meta.observation_history.",
    owners=OWNERS,
    pool=WAREHOUSE_POOL,
    code_version=table_version(REVISIONS, modules_version([sys.modules[__name__]])),
    check_specs=[
        AssetCheckSpec(
            CHECK,
            asset=REVISIONS_KEY,
            description="This release revises no delivered figure beyond the thresholds of sdmi.toml "
            "[revisions]: no revision beyond flag_change, no revised month that breaks its series, no "
            "category that disappears. A new month, a provisional total growing or a figure a first "
            "delivery fills in are no revision. "
            "Warns with the numbers; every change is in meta.revisions.",
        )
    ],
)
def revisions(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    release = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with warehouse.connect() as connection:
        first = record_release(connection, release)
        kinds, flags, flagged = release_changes(connection, release)
    context.log.info("release %s: %s", release.isoformat(), kinds or "no change")
    counts = {f"changes_{kind}": count for kind, count in kinds.items()}
    return MaterializeResult(
        metadata={"release": release.isoformat(), "first_release": first, **counts},
        check_results=[
            AssetCheckResult(
                check_name=CHECK,
                passed=not flags,
                severity=AssetCheckSeverity.WARN,
                metadata={
                    **counts,
                    **{f"flag_{flag}": n for flag, n in flags.items()},
                    "flagged": markdown(flagged),
                },
            )
        ],
    )


def _shown(value: float | None) -> str:
    return "none" if value is None or value != value else f"{value:,.10g}"


def revision_lines(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """For `sdmi status`: what the latest release that changed anything changed, and its flagged rows."""
    exists = table_exists(connection, REVISIONS)
    latest = connection.execute(f"SELECT max(release) FROM {REVISIONS}").fetchone()[0] if exists else None
    if latest is None:
        return ["  revisions: none since the first release"]
    kinds, flags, flagged = release_changes(connection, latest)
    changed = ", ".join(f"{count:,} {kind}" for kind, count in kinds.items())
    lines = [f"  revisions: release {latest:%Y-%m-%d %H:%M:%S} UTC changed {changed} (meta.revisions)"]
    if flags:
        lines.append("  revision flags: " + ", ".join(f"{flag} {count:,}" for flag, count in flags.items()))
        lines += [
            f"    {row.change_kind} {row.indicator_id} {row.freq} {row.time_period} {row.dimensions}: "
            f"{_shown(row.old_value)} → {_shown(row.new_value)} ({row.flags})"
            for row in flagged.head(10).itertuples()
        ]
    return lines
