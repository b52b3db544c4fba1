"""The home page's headline figures: the latest period of six indicators, each with its change
against the last comparable period, like with like.

- The latest period is the one that ends last; an annual value wins a tie with its last quarter.
- A complete period is compared with the same period a year before (2023 with 2022, July 2023
  with July 2022, Q4 2022 with Q4 2021).
- A provisional year (`P`: not every month delivered) holds the months delivered so far. A flow
  (placements, remittances) is compared with the sum of the same months a year before, a stock
  (permit holders, refugees) with the same last month a year before; a rate is not compared.
- Without such a period there is no change, and the page says so.
"""

import calendar
from dataclasses import dataclass
from datetime import date

import duckdb

from sdmi_pipeline.release.site.series import Indicator, Observation, total_series

# (indicator, kind): a flow adds up over months, a stock is counted at a date, a rate does neither.
HEADLINES = (
    ("PMI_PLACED", "flow"),
    ("TKA_STOCK", "stock"),
    ("REF_HOSTED", "stock"),
    ("REMIT_INFLOW", "flow"),
    ("BX_TRF_PWKR", "rate"),
    ("SM_POP_REFG_OR", "rate"),
)


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


def year_before(freq: str, time_period: str) -> str:
    """The same period one year earlier: `2023-07` → `2022-07`, `2022-Q1` → `2021-Q1`."""
    return str(int(time_period[:4]) - 1) + time_period[4:]


@dataclass(frozen=True)
class Headline:
    indicator: Indicator
    kind: str
    current: Observation
    months: list[int]  # the months a provisional year holds; empty for a complete period
    previous_value: float | None  # None: no comparable period
    previous_period: str | None  # e.g. `2022`, `2022-07`
    previous_status: str | None
    not_compared_reason: str | None  # no_comparable | no_comparable_rate

    @property
    def change(self) -> float | None:
        if self.previous_value is None or self.current.value is None:
            return None
        return self.current.value - self.previous_value

    @property
    def change_percent(self) -> float | None:
        if self.change is None or self.kind == "rate" or not self.previous_value:
            return None
        return self.change / self.previous_value * 100

    @property
    def provisional(self) -> bool:
        return "P" in (self.current.obs_status, self.previous_status)


def headline(indicator: Indicator, kind: str, series: list[Observation]) -> Headline:
    """The headline of one indicator from its total series."""
    current = latest(series)
    by_period = {(o.freq, o.time_period): o for o in series}
    if current.freq == "A" and current.obs_status == "P":
        months = sorted(
            int(o.time_period[5:])
            for o in series
            if o.freq == "M" and o.time_period[:4] == current.time_period
        )
        before = [by_period.get(("M", f"{int(current.time_period) - 1}-{m:02d}")) for m in months]
        if kind == "rate" or not months:
            reason = "no_comparable_rate" if kind == "rate" else "no_comparable"
            return Headline(indicator, kind, current, months, None, None, None, reason)
        if any(o is None or o.value is None for o in before):
            return Headline(indicator, kind, current, months, None, None, None, "no_comparable")
        value = sum(o.value for o in before) if kind == "flow" else before[-1].value
        status = "P" if any(o.obs_status == "P" for o in before) else "A"
        return Headline(
            indicator, kind, current, months, value, str(int(current.time_period) - 1), status, None
        )
    previous = by_period.get((current.freq, year_before(current.freq, current.time_period)))
    if previous is None or previous.value is None:
        return Headline(indicator, kind, current, [], None, None, None, "no_comparable")
    return Headline(
        indicator, kind, current, [], previous.value, previous.time_period, previous.obs_status, None
    )


def headlines(public: duckdb.DuckDBPyConnection, indicators: dict[str, Indicator]) -> list[Headline]:
    """The headline figures the release holds data for, in the order of HEADLINES."""
    found = []
    for indicator_id, kind in HEADLINES:
        series = total_series(public, indicator_id)
        if indicator_id in indicators and series:
            found.append(headline(indicators[indicator_id], kind, series))
    return found
