"""The home page: headline figures of the latest period, release date and SDMI coverage."""

from dataclasses import dataclass

import duckdb

from sdmi_pipeline.reference.labels import Labels
from sdmi_pipeline.release.site.headlines import Headline, headlines, latest
from sdmi_pipeline.release.site.i18n import Language
from sdmi_pipeline.release.site.render import Site, cell
from sdmi_pipeline.release.site.series import Indicator, total_series

COVERAGE_INDICATOR = "SDMI_COVERAGE"


@dataclass(frozen=True)
class Card:
    """A headline figure as the page shows it."""

    indicator_id: str
    name: str
    sdg: str | None
    figure: str
    unit: str
    period: str
    change: str  # `+1.234 (+5,2 %) dibanding 2022`, or why there is none
    provisional: bool
    source: str


def card(headline: Headline, language: Language, labels: Labels) -> Card:
    """The words and numbers of a headline in one language."""
    indicator, current, unit = headline.indicator, headline.current, headline.indicator.unit
    if headline.months:
        period = language.months_span(current.time_period, headline.months)
    else:
        period = language.period(current.freq, current.time_period)
    if headline.change is None:
        change = language.text(headline.not_compared_reason or "no_comparable")
    else:
        if headline.months:
            against = language.months_span(headline.previous_period, headline.months)
        else:
            against = language.period(current.freq, headline.previous_period)
        change = language.number(headline.change, unit if unit != "percent" else None, signed=True)
        if headline.kind == "rate":
            change += f" {language.text('percentage_points')}" if unit == "percent" else ""
        elif headline.change_percent is not None:
            change += f" ({language.percent(headline.change_percent, signed=True)})"
        change += f" {language.text('change_vs')} {against}"
    return Card(
        indicator_id=indicator.indicator_id,
        name=language.pick(indicator.name_en, indicator.name_id),
        sdg=indicator.sdg_indicator,
        figure=cell(language, current.value, current.obs_status, unit, indicator.decimals),
        unit=labels.label("unit", unit, language.code),
        period=period,
        change=change,
        provisional=headline.provisional,
        source=labels.label("source", current.source, language.code),
    )


def write_home(
    site: Site, public: duckdb.DuckDBPyConnection, indicators: list[Indicator], language: Language
) -> None:
    by_id = {indicator.indicator_id: indicator for indicator in indicators}
    cards = [card(headline, language, site.labels) for headline in headlines(public, by_id)]
    coverage = total_series(public, COVERAGE_INDICATOR)
    coverage_latest = latest(coverage) if coverage else None
    site.page(
        language,
        "index.html",
        "home.html",
        language.text("site_title"),
        cards=cards,
        coverage=coverage_latest,
        indicators=indicators,
    )
