"""The home page's headline figures: the latest period of six indicators, with the status and the
comparison indicators.figures computed for it in the warehouse (the portal computes none itself).

The latest period is the one that ends last; an annual value wins a tie with its last quarter.
"""

import calendar
from dataclasses import dataclass
from datetime import date

import duckdb

from sdmi_pipeline.reference.labels import LOOKUP_SQL
from sdmi_pipeline.release.site.series import Indicator, Observation

HEADLINES = ("PMI_PLACED", "TKA_STOCK", "REF_HOSTED", "REMIT_INFLOW", "BX_TRF_PWKR", "SM_POP_REFG_OR")

_PERIOD_END = """CASE f.freq
    WHEN 'A' THEN make_date(CAST(f.time_period AS INTEGER), 12, 31)
    WHEN 'Q' THEN last_day(make_date(CAST(left(f.time_period, 4) AS INTEGER),
                                     3 * CAST(right(f.time_period, 1) AS INTEGER), 1))
    ELSE last_day(CAST(f.time_period || '-01' AS DATE))
END"""
_FIGURES = f"""
SELECT f.indicator_id, f.freq, f.time_period, f.kind, f.value, f.obs_status, f.source,
       f.period_label_en, f.period_label_id, f.lower_bound, f.series_break, f.illustrative, f.comparison,
       r.label_en, r.label_id, f.previous_period_label_en, f.previous_period_label_id,
       f.previous_obs_status, f.change, f.change_percent
FROM indicators.figures AS f
LEFT JOIN ({LOOKUP_SQL}) AS r ON r.code_list = 'comparison_reason' AND r.code = f.comparison_reason
WHERE f.indicator_id IN (SELECT unnest($indicators))
"""
_LATEST = f"""{_FIGURES}
QUALIFY row_number() OVER (PARTITION BY f.indicator_id ORDER BY {_PERIOD_END} DESC, f.freq = 'A' DESC) = 1
"""


def period_end(freq: str, time_period: str) -> date:
    """The last day a period covers."""
    if freq == "M":
        year, month = map(int, time_period.split("-"))
        return date(year, month, calendar.monthrange(year, month)[1])
    if freq == "Q":
        year, quarter = map(int, time_period.split("-Q"))
        return period_end("M", f"{year}-{quarter * 3:02d}")
    return date(int(time_period), 12, 31)


def latest(series: list[Observation]) -> Observation:
    """The observation of the period that ends last (annual first on a tie)."""
    return max(series, key=lambda o: (period_end(o.freq, o.time_period), o.freq == "A"))


@dataclass(frozen=True)
class Figure:
    """A row of indicators.figures, with the label of its comparison_reason in both languages (from
    the label lookup)."""

    indicator_id: str
    freq: str
    time_period: str
    kind: str
    value: float | None
    obs_status: str
    source: str
    period_label_en: str
    period_label_id: str
    lower_bound: bool
    series_break: bool
    illustrative: bool
    comparison: str
    reason_en: str | None
    reason_id: str | None
    previous_period_label_en: str | None
    previous_period_label_id: str | None
    previous_obs_status: str | None
    change: float | None
    change_percent: float | None

    @property
    def provisional(self) -> bool:
        return "P" in (self.obs_status, self.previous_obs_status)


@dataclass(frozen=True)
class Headline:
    indicator: Indicator
    figure: Figure


def latest_figures(public: duckdb.DuckDBPyConnection, indicator_ids: list[str]) -> dict[str, Figure]:
    """indicator → the figure of its latest period."""
    rows = public.execute(_LATEST, {"indicators": indicator_ids}).fetchall()
    return {row[0]: Figure(*row) for row in rows}


def figures_of(public: duckdb.DuckDBPyConnection, indicator_id: str) -> dict[tuple[str, str], Figure]:
    """(freq, time_period) → the indicator's figure of that period."""
    rows = public.execute(_FIGURES, {"indicators": [indicator_id]}).fetchall()
    return {(row[1], row[2]): Figure(*row) for row in rows}


def headlines(public: duckdb.DuckDBPyConnection, indicators: dict[str, Indicator]) -> list[Headline]:
    """The headline figures the release holds data for, in the order of HEADLINES."""
    figures = latest_figures(public, list(HEADLINES))
    return [Headline(indicators[i], figures[i]) for i in HEADLINES if i in indicators and i in figures]
