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
    illustrative: bool  # rests on a generated sample (indicators.figures.illustrative)


def card(headline: Headline, language: Language, labels: Labels) -> Card:
    """The words and numbers of a headline in one language, as indicators.figures states them."""
    indicator, figure, unit = headline.indicator, headline.figure, headline.indicator.unit
    if figure.comparison == "NONE" or figure.change is None:
        change = language.pick(figure.reason_en, figure.reason_id) or language.text("no_comparable")
    else:
        against = language.pick(figure.previous_period_label_en, figure.previous_period_label_id)
        change = language.number(figure.change, unit if unit != "percent" else None, signed=True)
        if figure.kind == "rate":
            change += f" {language.text('percentage_points')}" if unit == "percent" else ""
        elif figure.change_percent is not None:
            change += f" ({language.percent(figure.change_percent, signed=True)})"
        change += f" {language.text('change_vs')} {against}"
    return Card(
        indicator_id=indicator.indicator_id,
        name=language.pick(indicator.name_en, indicator.name_id),
        sdg=indicator.sdg_indicator,
        figure=cell(language, figure.value, figure.obs_status, unit, indicator.decimals),
        unit=labels.label("unit", unit, language.code),
        period=language.pick(figure.period_label_en, figure.period_label_id),
        change=change,
        provisional=figure.provisional,
        source=labels.label("source", figure.source, language.code),
        illustrative=figure.illustrative,
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
