"""Checks of a delivery, run in its staging asset's step: files that could not be read, rejected
rows, lines that do not add up, revisions held back. A source with no file delivered passes them
all without a query beyond one count."""

from collections.abc import Callable, Iterator

import duckdb
import pandas as pd
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue

from sdmi_pipeline.contracts.checks import lines_accounted_sql
from sdmi_pipeline.contracts.metadata import markdown
from sdmi_pipeline.ingest.loading import Source

REJECT_SHARE_TOLERANCE = 0.05
# Runs SQL with parameters into a frame; for a source with nothing delivered, an empty frame.
Query = Callable[[str, list], pd.DataFrame]

CHECK_DESCRIPTIONS = {
    "files_readable": "Every file of the source could be read as a whole (name, encoding, header), and every "
    "file of aggregates loaded whole (one bad cell refuses it; its previous vintage stays current).",
    "rejected_rows": f"At most {REJECT_SHARE_TOLERANCE:.0%} of the rows of the current files are rejected; "
    "reasons and examples in the metadata, every reject in meta.rejects.",
    "lines_accounted": "For the latest read of every file: data lines read = accepted + rejected, the "
    "accepted lines are in the staging table, the rejected ones in meta.rejects, none in both.",
    "revisions_not_held": "No revision of the source is held back by the revision guard (it lost more than "
    "the allowed share of its predecessor's accepted rows, or holds no data row); `sdmi accept PATH` "
    "lets one through.",
}
# lines_accounted fails as an ERROR but blocks nothing: the others are warnings.
SEVERITIES = {name: AssetCheckSeverity.WARN for name in CHECK_DESCRIPTIONS} | {
    "lines_accounted": AssetCheckSeverity.ERROR
}


def source_check_specs(source: Source) -> list[AssetCheckSpec]:
    """The checks of a source's staging asset (none blocking)."""
    key = AssetKey(source.table.split("."))
    return [
        AssetCheckSpec(name, asset=key, description=description)
        for name, description in CHECK_DESCRIPTIONS.items()
    ]


def files_readable(query: Query, source: Source) -> tuple[bool, dict]:
    failed = query(
        """SELECT path, error, loaded_at FROM meta.raw_files
           WHERE source = ? QUALIFY row_number() OVER (PARTITION BY path ORDER BY loaded_at DESC) = 1
           AND status = 'failed' ORDER BY path""",
        [source.name],
    )
    return failed.empty, {"files_failed": len(failed), "failures": markdown(failed, limit=20)}


def rejected_rows(query: Query, source: Source) -> tuple[bool, dict]:
    totals = query(
        """SELECT coalesce(sum(rows_read), 0) AS rows_read, coalesce(sum(rows_rejected), 0) AS rejected
           FROM meta.raw_files WHERE source = ? AND is_current""",
        [source.name],
    )
    read, rejected = (int(totals.rows_read[0]), int(totals.rejected[0])) if not totals.empty else (0, 0)
    current_rejects = """FROM meta.rejects r JOIN meta.raw_files f
        ON f.path = r.path AND f.sha256 = r.sha256 AND f.is_current WHERE r.source = ?"""
    by_reason = query(
        f"SELECT r.reason, count(*) AS rows {current_rejects} GROUP BY ALL ORDER BY rows DESC", [source.name]
    )
    examples = query(
        f"SELECT r.path, r.line, r.column_name, r.value, r.reason {current_rejects} "
        "ORDER BY r.path, r.line LIMIT 10",
        [source.name],
    )
    share = rejected / read if read else 0.0
    return share <= REJECT_SHARE_TOLERANCE, {
        "rows_read": read,
        "rows_rejected": rejected,
        "reject_share": MetadataValue.float(round(share, 6)),
        "by_reason": markdown(by_reason, limit=30),
        "examples": markdown(examples),
    }


def lines_accounted(query: Query, source: Source) -> tuple[bool, dict]:
    unbalanced = query(lines_accounted_sql(source.table), [source.name, source.name])
    return unbalanced.empty, {"files_unbalanced": len(unbalanced), "files": markdown(unbalanced, limit=20)}


def revisions_not_held(query: Query, source: Source) -> tuple[bool, dict]:
    held = query(
        """SELECT h.path, c.rows_accepted AS current_rows, h.rows_accepted AS revision_rows,
                  h.sha256, h.error
           FROM meta.raw_files AS h
           LEFT JOIN meta.raw_files AS c ON c.path = h.path AND c.is_current
           WHERE h.source = ?
           QUALIFY row_number() OVER (PARTITION BY h.path ORDER BY h.loaded_at DESC) = 1
           AND h.status = 'held' ORDER BY h.path""",
        [source.name],
    )
    return held.empty, {"revisions_held": len(held), "held": markdown(held, limit=20)}


EVALUATORS: dict[str, Callable[[Query, Source], tuple[bool, dict]]] = {
    "files_readable": files_readable,
    "rejected_rows": rejected_rows,
    "lines_accounted": lines_accounted,
    "revisions_not_held": revisions_not_held,
}


def source_check_results(
    connection: duckdb.DuckDBPyConnection, source: Source, selected: set[str]
) -> Iterator[AssetCheckResult]:
    """The results of the selected checks of `source`, in the order of their specs."""
    delivered = connection.execute(
        "SELECT count(*) FROM meta.raw_files WHERE source = ?", [source.name]
    ).fetchone()[0]

    def query(sql: str, parameters: list) -> pd.DataFrame:
        return connection.execute(sql, parameters).df() if delivered else pd.DataFrame()

    key = AssetKey(source.table.split("."))
    for name, evaluate in EVALUATORS.items():
        if name in selected:
            passed, metadata = evaluate(query, source)
            yield AssetCheckResult(
                asset_key=key, check_name=name, passed=passed, severity=SEVERITIES[name], metadata=metadata
            )
