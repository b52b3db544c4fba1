"""Charts drawn at build time: a Vega-Lite spec rendered to SVG by vl-convert (no script, no network).

The chart functions build specs; `render` draws one (through the chart cache when there is one).
Axis numbers follow the page's language (d3-format locale: `1.200` on Indonesian pages).
"""

import re
from typing import Any

import vl_convert

from sdmi_pipeline.release.site.chart_cache import ChartCache
from sdmi_pipeline.release.site.i18n import Language

INDONESIAN_FORMAT = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}
WIDTH = 560
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
COLOURS = {"yes": "#1a7f5a", "partially": "#e0a526", "no": "#c0392b"}
BAR_COLOUR, LINE_COLOUR = "#2b6cb0", "#2b6cb0"
CONFIG = {
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#e5e7eb"},
    "background": "white",
}
# Part of every chart's cache key: bump it when `render` changes what it does to vl-convert's SVG.
RENDER_REVISION = 1
# Vega numbers gradients and clip paths from counters that live as long as the process, so the same
# spec drawn twice in one process names them differently; `_numbered_afresh` renumbers them per SVG.
VEGA_COUNTED_ID = re.compile(r'(?<=id=")(gradient_|clip)(\d+)(?=")|(?<=url\(#)(gradient_|clip)(\d+)(?=\))')
FIRST_NUMBER = {"gradient_": 0, "clip": 1}  # what vega gives the first of each in a new process


def chart_inputs(spec: dict[str, Any], language: Language) -> dict[str, Any]:
    """Everything drawing a chart reads: the final spec, the number format locale, vl-convert's version
    and the render revision (the chart cache's key, in the order vl-convert reads them)."""
    return {
        "spec": {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "config": CONFIG} | spec,
        "format_locale": INDONESIAN_FORMAT if language.code == "id" else None,
        "vl_convert": vl_convert.__version__,
        "render_revision": RENDER_REVISION,
    }


def render(spec: dict[str, Any], language: Language, cache: ChartCache | None = None) -> str:
    """The SVG of a Vega-Lite spec, with this language's number format; drawn once per `cache`."""
    inputs = chart_inputs(spec, language)

    # vl-convert names the schema URL in no output; the SVG is decorative for screen readers: its
    # <img> carries the text alternative, and the table beside it the numbers.
    def draw() -> str:
        svg = vl_convert.vegalite_to_svg(inputs["spec"], format_locale=inputs["format_locale"])
        return _numbered_afresh(svg)

    return draw() if cache is None else cache.svg(inputs, draw)


def _numbered_afresh(svg: str) -> str:
    """The SVG with its gradient and clip ids numbered as in a new process, in order of appearance."""
    renamed: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        prefix = match.group(1) or match.group(3)
        old = match.group(0)
        if old not in renamed:
            taken = sum(name.startswith(prefix) for name in renamed)
            renamed[old] = f"{prefix}{FIRST_NUMBER[prefix] + taken}"
        return renamed[old]

    return VEGA_COUNTED_ID.sub(rename, svg)


def _value_axis(title: str, decimals: int) -> dict[str, Any]:
    """The quantitative axis of `value`, its numbers with the unit's decimals."""
    return {"field": "value", "type": "quantitative", "title": title, "axis": {"format": f",.{decimals}f"}}


def line_chart(
    points: list[tuple[str, float]], value_title: str, decimals: int, segments: list[int] | None = None
) -> dict[str, Any]:
    """A time series: `points` are (period label, value) in time order. `segments` numbers each point's
    stretch between series breaks: no line is drawn from one segment to the next."""
    segments = segments or [0] * len(points)
    return {
        "width": WIDTH,
        "height": 220,
        "data": {
            "values": [
                {"period": p, "value": v, "segment": s} for (p, v), s in zip(points, segments, strict=True)
            ]
        },
        "mark": {"type": "line", "point": True, "color": LINE_COLOUR},
        "encoding": {
            "detail": {"field": "segment", "type": "nominal"},
            "x": {
                "field": "period",
                "type": "ordinal",
                "sort": None,
                "title": None,
                "axis": {"labelAngle": -45},
            },
            "y": _value_axis(value_title, decimals),
        },
    }


def bar_chart(bars: list[tuple[str, float]], value_title: str, decimals: int) -> dict[str, Any]:
    """Horizontal bars, largest first: `bars` are (label, value)."""
    return {
        "width": WIDTH - 160,
        "height": {"step": 18},
        "data": {"values": [{"label": label, "value": value} for label, value in bars]},
        "mark": {"type": "bar", "color": BAR_COLOUR},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None},
            "x": _value_axis(value_title, decimals),
        },
    }


def heat_map(cells: list[dict[str, Any]], share_title: str) -> dict[str, Any]:
    """Source × year, coloured by the share of expected cells holding data (0-100)."""
    return {
        "data": {"values": cells},
        "width": {"step": 44},
        "height": {"step": 26},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None},
            "y": {"field": "source", "type": "nominal", "title": None},
        },
        "layer": [
            {
                "mark": "rect",
                "encoding": {
                    "color": {
                        "field": "share",
                        "type": "quantitative",
                        "scale": {"domain": [0, 100], "scheme": "blues"},
                        "title": share_title,
                    }
                },
            },
            {
                "mark": {"type": "text", "fontSize": 10},
                "encoding": {
                    "text": {"field": "label", "type": "nominal"},
                    "color": {"condition": {"test": "datum.share > 60", "value": "white"}, "value": "black"},
                },
            },
        ],
    }


def answer_bars(rows: list[dict[str, Any]], answers: dict[str, str], share_title: str) -> dict[str, Any]:
    """MGI: one stacked bar of yes / partially / no shares per domain and area."""
    order = list(answers.values())
    return {
        "data": {"values": rows},
        "width": WIDTH - 200,
        "height": {"step": 16},
        "mark": "bar",
        "encoding": {
            "row": {
                "field": "domain",
                "type": "nominal",
                "title": None,
                "header": {"labelAngle": 0, "labelAlign": "left", "labelLimit": 240},
                "sort": None,
            },
            "y": {"field": "area", "type": "nominal", "title": None},
            "x": {
                "field": "share",
                "type": "quantitative",
                "title": share_title,
                "stack": "normalize",
                "axis": {"format": "%"},
            },
            "color": {
                "field": "answer",
                "type": "nominal",
                "title": None,
                "sort": order,
                "scale": {"domain": order, "range": [COLOURS[key] for key in answers]},
            },
            "order": {"field": "rank", "type": "quantitative"},
        },
    }
