"""One page per indicator: definition, time-series chart, breakdown charts, data tables, downloads."""

from collections import Counter
from dataclasses import dataclass

import duckdb

from sdmi_pipeline.reference.labels import ORDERED_DIMENSIONS
from sdmi_pipeline.release.layout import DATAFLOWS, SDMX_DIR, XLSX_DIR, dataflow_of, xlsx_name
from sdmi_pipeline.release.site import charts
from sdmi_pipeline.release.site.headlines import Figure, Headline, figures_of, latest
from sdmi_pipeline.release.site.home_page import card
from sdmi_pipeline.release.site.i18n import UNIT_DECIMALS, Language
from sdmi_pipeline.release.site.render import Site
from sdmi_pipeline.release.site.series import Breakdown, Indicator, Observation, breakdowns, total_series

TOP_BARS = 10  # a breakdown chart shows the largest ten; its table lists every category


def charted_frequency(series: list[Observation]) -> str:
    """The frequency with the most periods holding a value (monthly placements rather than two years)."""
    counts = Counter(o.freq for o in series if o.value is not None)
    return max(counts, key=lambda freq: (counts[freq], freq == "A")) if counts else series[0].freq


def downloads(language: Language, indicator_id: str, vintage: str, root: str) -> list[tuple[str, str]]:
    """(label, href) of the indicator's downloads: the site's CSV, the release's SDMX-CSV and workbook."""
    links = [(language.text("download_csv"), f"{root}downloads/{indicator_id}.csv")]
    if any(indicator_id in indicators for indicators in DATAFLOWS.values()):
        flow = dataflow_of(indicator_id)
        links.append(
            (language.text("download_sdmx").format(flow=flow), f"{root}../{SDMX_DIR}/data/{flow}.csv")
        )
    links.append((language.text("download_xlsx"), f"{root}../{XLSX_DIR}/{xlsx_name(vintage)}"))
    return links


@dataclass(frozen=True)
class IndicatorData:
    """What an indicator's page shows, read once for both languages."""

    indicator: Indicator
    series: list[Observation]
    breakdowns: list[Breakdown]
    figures: dict[tuple[str, str], Figure]  # (freq, period) → its status and comparison (indicators.figures)


def indicator_data(public: duckdb.DuckDBPyConnection, indicator: Indicator) -> IndicatorData:
    series = total_series(public, indicator.indicator_id)
    last = latest(series)
    return IndicatorData(
        indicator,
        series,
        breakdowns(public, indicator.indicator_id, last.freq, last.time_period),
        figures_of(public, indicator.indicator_id),
    )


def segments(series: list[Observation], figures: dict[tuple[str, str], Figure]) -> list[int]:
    """Each observation's stretch of the series: a new one starts at every series break."""
    numbers, current = [], 0
    for o in series:
        figure = figures.get((o.freq, o.time_period))
        current += bool(figure and figure.series_break and numbers)
        numbers.append(current)
    return numbers


def period_label(language: Language, figures: dict[tuple[str, str], Figure], o: Observation) -> str:
    """The period as indicators.figures names it (a year to date with its months), else the language's."""
    figure = figures.get((o.freq, o.time_period))
    return (
        language.pick(figure.period_label_en, figure.period_label_id)
        if figure
        else language.period(o.freq, o.time_period)
    )


def latest_figure(data: IndicatorData) -> Figure | None:
    """The figure of the latest period, the one the home page would show."""
    if not data.series:
        return None
    last = latest(data.series)
    return data.figures.get((last.freq, last.time_period))


def write_indicator_pages(site: Site, data: list[IndicatorData], language: Language) -> None:
    """Every indicator's page in one language."""
    for indicator in data:
        _write_one(site, indicator, language)
    indicators = [d.indicator for d in data]
    site.page(
        language,
        "indicators/index.html",
        "indicators.html",
        language.text("indicators"),
        indicators=indicators,
    )


def _write_one(site: Site, data: IndicatorData, language: Language) -> None:
    indicator, series = data.indicator, data.series
    name = language.pick(indicator.name_en, indicator.name_id)
    unit = indicator.unit
    decimals = UNIT_DECIMALS.get(unit, 1) if indicator.decimals is None else indicator.decimals
    unit_name = site.labels.label("unit", unit, language.code)
    freq = charted_frequency(series)
    charted = [o for o in series if o.freq == freq and o.value is not None]
    points = [(period_label(language, data.figures, o), o.value) for o in charted]
    series_chart = None
    if points:
        spec = charts.line_chart(points, unit_name, decimals, segments(charted, data.figures))
        alt = language.text("chart_alt_series").format(
            name=name,
            first=points[0][0],
            last=points[-1][0],
            value=language.number(points[-1][1], unit, decimals=decimals),
            period=points[-1][0],
        )
        series_chart = (site.chart(language, f"{indicator.indicator_id}-series", spec), alt)
    parts = []
    for breakdown in data.breakdowns:
        by = site.labels.of("dimension", breakdown.dimension).in_sentence(language.code)
        period = language.period(breakdown.freq, breakdown.time_period)
        labelled = [
            (site.labels.of_dimension(breakdown.dimension, code), row) for code, *row in breakdown.rows
        ]
        if breakdown.dimension in ORDERED_DIMENSIONS:  # age groups in age order, not largest first
            labelled.sort(key=lambda item: item[0].order or 0)
        rows = [(label.pick(language.code), value, status) for label, (value, status) in labelled]
        # A chart axis takes the short form of a label where reference has one (age `30–34`).
        bars = [
            (label.short_or_label(language.code), value)
            for label, (value, _) in labelled
            if value is not None
        ][:TOP_BARS]
        chart = None
        if bars:
            spec = charts.bar_chart(bars, unit_name, decimals)
            top = max(bars, key=lambda bar: bar[1])  # the highest, whatever the order shown
            alt = language.text("chart_alt_bars").format(
                name=name,
                by=by,
                period=period,
                top=top[0],
                value=language.number(top[1], unit, decimals=decimals),
            )
            chart = (site.chart(language, f"{indicator.indicator_id}-{breakdown.dimension}", spec), alt)
        parts.append(
            {"by": by, "period": period, "rows": rows, "chart": chart, "dimension": breakdown.dimension}
        )
    root = "../" * (language.folder + "indicators/").count("/")
    site.page(
        language,
        f"indicators/{indicator.indicator_id}.html",
        "indicator.html",
        name,
        indicator=indicator,
        name=name,
        series=series,
        periods=[period_label(language, data.figures, o) for o in series],
        breaks=[bool((f := data.figures.get((o.freq, o.time_period))) and f.series_break) for o in series],
        latest_figure=card(Headline(indicator, last), language, site.labels)
        if (last := latest_figure(data))
        else None,
        series_chart=series_chart,
        charted_frequency=freq,
        breakdowns=parts,
        downloads=downloads(language, indicator.indicator_id, site.vintage, root),
        objectives=[o.strip() for o in (indicator.gcm_objectives or "").split(",") if o.strip()],
    )
