"""What the portal reads from the public tables: each indicator's total series and its breakdowns.

An indicator's *total* row for a period has every dimension at `_T` or `_Z`, except a dimension
the indicator holds at one value throughout (SM_POP_REFG_OR counts refugees, `population_type`
REF): that one is not a breakdown. SDMI_COVERAGE has one total row per source; its total is the
row of `All sources`.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb

from sdmi_pipeline.contracts.checks import BREAKDOWN_DIMENSIONS as DIMENSIONS
from sdmi_pipeline.release.carry import Carry, copy_query, writer_code

# The breakdowns a page charts, in this order (issue 12: destinations/nationalities/origins, provinces, sex).
BREAKDOWNS = ("counterpart_area", "province", "sex", "age", "population_type")
ALL_SOURCES = "All sources"


def _at_total(dimensions: tuple[str, ...]) -> str:
    return " AND ".join(f"(o.{d} IN ('_T', '_Z') OR h.{d})" for d in dimensions)


_HELD = ", ".join(f"count(DISTINCT {d}) = 1 AS {d}" for d in DIMENSIONS)
_TOTALS = f"""
WITH held AS (SELECT indicator_id, {_HELD} FROM indicators.observations GROUP BY indicator_id)
SELECT o.freq, o.time_period, o.value, o.obs_status, o.source
FROM indicators.observations o JOIN held h USING (indicator_id)
WHERE o.indicator_id = $indicator AND {_at_total(DIMENSIONS)}
QUALIFY row_number() OVER (
    PARTITION BY o.freq, o.time_period ORDER BY o.source = '{ALL_SOURCES}' DESC, o.source
) = 1
ORDER BY o.freq, o.time_period
"""


@dataclass(frozen=True)
class Observation:
    freq: str
    time_period: str
    value: float | None  # None: suppressed (obs_status C) or not available
    obs_status: str
    source: str


@dataclass(frozen=True)
class Indicator:
    """A row of indicators.catalogue."""

    indicator_id: str
    name_en: str
    name_id: str
    description_en: str
    description_id: str
    unit: str
    gcm_objectives: str | None
    sdg_indicator: str | None
    source: str
    decimals: int | None = None  # as the report views round the indicator's values


def catalogue(public: duckdb.DuckDBPyConnection) -> list[Indicator]:
    """The catalogue's indicators that have observations, in a reader's order (by theme, reference
    code list `indicator_theme`); an indicator without a theme comes last."""
    rows = public.execute(
        """
        SELECT c.indicator_id, c.name_en, c.name_id, c.description_en, c.description_id, c.unit,
               c.gcm_objectives, c.sdg_indicator, c.source, c.decimals
        FROM indicators.catalogue c
        LEFT JOIN reference.codes t ON t.code_list = 'indicator_theme' AND t.code = c.indicator_id
        WHERE c.indicator_id IN (SELECT indicator_id FROM indicators.observations)
        ORDER BY t.sort_order NULLS LAST, c.indicator_id
        """
    ).fetchall()
    return [Indicator(*row) for row in rows]


def total_series(public: duckdb.DuckDBPyConnection, indicator_id: str) -> list[Observation]:
    """Every total row of an indicator, by frequency and period."""
    rows = public.execute(_TOTALS, {"indicator": indicator_id}).fetchall()
    return [Observation(*row) for row in rows]


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    freq: str
    time_period: str
    rows: list[tuple[str, float | None, str]]  # code, value, obs_status; largest first, suppressed last


def breakdowns(
    public: duckdb.DuckDBPyConnection, indicator_id: str, freq: str, period: str
) -> list[Breakdown]:
    """The indicator's one-dimension breakdowns of a period (each other dimension at its total)."""
    branches = " UNION ALL ".join(
        f"""
        SELECT '{dimension}' AS dimension, o.{dimension} AS code, o.value, o.obs_status, o.source
        FROM period o, held h
        WHERE NOT h.{dimension} AND o.{dimension} NOT IN ('_T', '_Z')
          AND {_at_total(tuple(d for d in DIMENSIONS if d != dimension))}
        """
        for dimension in BREAKDOWNS
    )
    rows = public.execute(
        f"""
        WITH held AS (SELECT {_HELD} FROM indicators.observations WHERE indicator_id = $indicator),
        period AS (
            SELECT * FROM indicators.observations
            WHERE indicator_id = $indicator AND freq = $freq AND time_period = $period
        ),
        cells AS ({branches})
        SELECT dimension, code, value, obs_status FROM cells
        QUALIFY row_number() OVER (PARTITION BY dimension, code ORDER BY source = '{ALL_SOURCES}' DESC) = 1
        ORDER BY dimension, value DESC NULLS LAST, code
        """,
        {"indicator": indicator_id, "freq": freq, "period": period},
    ).fetchall()
    by_dimension: dict[str, list[tuple[str, float | None, str]]] = {}
    for dimension, code, value, status in rows:
        by_dimension.setdefault(dimension, []).append((code, value, status))
    return [Breakdown(d, freq, period, by_dimension[d]) for d in BREAKDOWNS if d in by_dimension]


def write_indicator_csv(
    public: duckdb.DuckDBPyConnection, indicator_id: str, path: Path, carry: Carry | None = None
) -> None:
    """Every public observation of an indicator as CSV (what the indicator page offers for download)."""
    literal = indicator_id.replace("'", "''")
    query = f"SELECT * FROM indicators.observations WHERE indicator_id = '{literal}' ORDER BY ALL"
    code = writer_code("sdmi_pipeline.release.site.series")
    copy_query(carry, public, query, path, "HEADER, DELIMITER ','", code)
