"""What the earlier release already told its readers, as constraints on this release's suppression.

A reader holds every release. Against the release before this one (which itself carried the ones
before it), a cell of this release is:

- *carried*: hidden then, so hidden now (the suppression pattern is carried forward);
- *public before*: published then with the same value, so no suppression can hide it now, and
  hiding it protects nothing;
- and a year-to-date total published then, which has grown since (the year is still open), is
  an equation of the audit: the months it covered add up to it. The audit (release.audit) then
  hides what differencing the two totals would reveal.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from sdmi_pipeline.release import tables
from sdmi_pipeline.release.layout import PARQUET_DIR

OBSERVATIONS = f"{PARQUET_DIR}/indicators.observations.parquet"
FLOWS = ("PMI_PLACED", "TKA_NEW")


@dataclass(frozen=True)
class Earlier:
    """Masks over `sdc_cells`, and the earlier release's year-to-date totals as equations."""

    carried: np.ndarray
    public_before: np.ndarray
    totals: tuple[np.ndarray, np.ndarray, np.ndarray]  # (row, cell) of each term, rhs of each row


def earlier(connection: duckdb.DuckDBPyConnection, release_dir: Path | None, cells: int) -> Earlier:
    """What the release in `release_dir` (None: there is none) constrains."""
    none = np.zeros(cells, dtype=bool)
    empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    source = release_dir / OBSERVATIONS if release_dir is not None else None
    if source is None or not source.exists():
        return Earlier(none, none.copy(), empty)
    key = ", ".join((*tables.TABLE_KEY, *tables.DIMENSIONS))
    connection.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE sdc_earlier AS
        SELECT {key}, value, obs_status FROM read_parquet(?)
        WHERE indicator_id IN {tables.sql_list([*tables.COUNT_INDICATORS, *tables.SHARES])}
    """,
        [str(source)],
    )
    before = connection.sql(f"""
        SELECT c.cell, e.obs_status = 'C' AS carried,
               e.value IS NOT NULL AND e.value = c.value AS public_before
        FROM sdc_cells AS c JOIN sdc_earlier AS e USING ({key}) ORDER BY c.cell
    """).fetchnumpy()
    carried, public_before = none.copy(), none.copy()
    carried[before["cell"][before["carried"]]] = True
    public_before[before["cell"][before["public_before"]]] = True
    return Earlier(carried, public_before, _grown_totals(connection))


def _grown_totals(connection: duckdb.DuckDBPyConnection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each year-to-date flow total published earlier that differs now: its months, and its value.

    Only totals whose months still add up to them (no month revised since) give an equation.
    """
    same = " AND ".join(f"m.{d} = e.{d}" for d in ("indicator_id", "source", *tables.DIMENSIONS))
    found = connection.sql(f"""
        WITH covered AS (
            SELECT indicator_id, source, left(time_period, 4) AS year, max(time_period) AS last_month
            FROM sdc_earlier WHERE freq = 'M' GROUP BY ALL
        ),
        grown AS (
            SELECT e.*, v.last_month, dense_rank() OVER (ORDER BY c.cell) - 1 AS row
            FROM sdc_earlier AS e
            JOIN sdc_cells AS c USING ({", ".join((*tables.TABLE_KEY, *tables.DIMENSIONS))})
            JOIN covered AS v ON v.indicator_id = e.indicator_id AND v.source = e.source
                AND v.year = e.time_period
            WHERE e.freq = 'A' AND e.indicator_id IN {tables.sql_list(FLOWS)}
              AND e.value IS NOT NULL AND e.value <> c.value
        ),
        terms AS (
            SELECT g.row, m.cell, g.value AS total, m.value AS month_value
            FROM grown AS g JOIN sdc_cells AS m ON {same.replace("e.", "g.")}
                AND m.freq = 'M' AND left(m.time_period, 4) = g.time_period AND m.time_period <= g.last_month
        ),
        consistent AS (
            SELECT row FROM terms GROUP BY row HAVING abs(sum(month_value) - any_value(total)) < 1e-6
        )
        SELECT dense_rank() OVER (ORDER BY t.row) - 1 AS row, t.cell, t.total
        FROM terms AS t SEMI JOIN consistent USING (row) ORDER BY row, cell
    """).fetchnumpy()
    row = np.asarray(found["row"], dtype=np.int64)
    total = np.zeros(int(row.max()) + 1 if len(row) else 0)
    total[row] = np.asarray(found["total"], dtype=float)
    return row, np.asarray(found["cell"], dtype=np.int64), total
