"""Monthly partitions of the record-level sources, and the partition range a refresh covers.

A partition of `staging/kp2mi_placements` is one month: the file `penempatan_pmi_YYYY_MM.csv`.
A run covers a range of months and reads only their files (plus any file whose name gives no
month, so that a badly named delivery is always reported). Downstream tables are not
partitioned: they are rebuilt from all months, and the warehouse is published as a whole.
"""

from datetime import UTC, datetime
from pathlib import Path

from dagster import MonthlyPartitionsDefinition

from sdmi_pipeline.ingest.raw_paths import matches
from sdmi_pipeline.ingest.sources import SOURCES

MONTHS = MonthlyPartitionsDefinition(start_date="2000-01", fmt="%Y-%m", end_offset=1)
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def is_month(period: str | None) -> bool:
    """Whether `period` is a partition (a month from 2000-01 to next month)."""
    return period is not None and MONTHS.has_partition_key(period)


def delivered_months(raw_root: Path) -> list[str]:
    """Every month for which a record-level file is in the raw root."""
    return sorted({month for source in SOURCES for month in source.periods(raw_root) if is_month(month)})


def range_tags(months: list[str]) -> dict[str, str]:
    """Run tags that target the months from the first to the last of `months` (or this month)."""
    months = [month for month in months if is_month(month)] or [datetime.now(UTC).strftime("%Y-%m")]
    return {RANGE_START: min(months), RANGE_END: max(months)}


def months_of(raw_root: Path, relative_paths: list[str]) -> list[str] | None:
    """The months these raw files cover; None when one of them belongs to no month."""
    months = set()
    for relative in relative_paths:
        owners = [s for s in SOURCES if s.period and matches(relative, s.pattern)]
        month = owners[0].period(raw_root / relative) if owners else None
        if not is_month(month):
            return None
        months.add(month)
    return sorted(months)


def partial_run_tags(raw_root: Path, changed: list[str]) -> dict[str, str]:
    """Partition tags of a run of only what `changed` files feed: the months of the changed files
    of monthly sources, or none when no such file changed (no partitioned asset is in the run).

    A run of some assets with a wide range plans every selected asset for every month of the range
    (Dagster writes an ASSET_MATERIALIZATION_PLANNED event each: 2,257 for 37 assets and 61 months,
    12 s before the first step), so a partial run names only the months it reads.
    """
    monthly = [path for path in changed if any(s.period and matches(path, s.pattern) for s in SOURCES)]
    if not monthly:
        return {}
    months = months_of(raw_root, monthly)
    return range_tags(months if months is not None else delivered_months(raw_root))
