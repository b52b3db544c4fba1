"""Charts drawn at build time: a Vega-Lite spec rendered to SVG by vl-convert (no script, no network).

Axis numbers follow the page's language (d3-format locale: `1.200` on Indonesian pages).
"""

from typing import Any

import vl_convert

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


def render(spec: dict[str, Any], language: Language) -> str:
    """The SVG of a Vega-Lite spec, with this language's number format."""
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "config": CONFIG} | spec
    locale = INDONESIAN_FORMAT if language.code == "id" else None
    svg = vl_convert.vegalite_to_svg(spec, format_locale=locale)
    # vl-convert names the schema URL in no output; the SVG is decorative for screen readers: its
    # <img> carries the text alternative, and the table beside it the numbers.
    return svg


def _value_axis(title: str, decimals: int) -> dict[str, Any]:
    """The quantitative axis of `value`, its numbers with the unit's decimals."""
    return {"field": "value", "type": "quantitative", "title": title, "axis": {"format": f",.{decimals}f"}}


def line_chart(points: list[tuple[str, float]], value_title: str, decimals: int, language: Language) -> str:
    """A time series: `points` are (period label, value) in time order."""
    spec = {
        "width": WIDTH,
        "height": 220,
        "data": {"values": [{"period": p, "value": v} for p, v in points]},
        "mark": {"type": "line", "point": True, "color": LINE_COLOUR},
        "encoding": {
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
    return render(spec, language)


def bar_chart(bars: list[tuple[str, float]], value_title: str, decimals: int, language: Language) -> str:
    """Horizontal bars, largest first: `bars` are (label, value)."""
    spec = {
        "width": WIDTH - 160,
        "height": {"step": 18},
        "data": {"values": [{"label": label, "value": value} for label, value in bars]},
        "mark": {"type": "bar", "color": BAR_COLOUR},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None},
            "x": _value_axis(value_title, decimals),
        },
    }
    return render(spec, language)


def heat_map(cells: list[dict[str, Any]], share_title: str, language: Language) -> str:
    """Source × year, coloured by the share of expected cells holding data (0-100)."""
    spec = {
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
    return render(spec, language)


def answer_bars(
    rows: list[dict[str, Any]], answers: dict[str, str], share_title: str, language: Language
) -> str:
    """MGI: one stacked bar of yes / partially / no shares per domain and area."""
    order = list(answers.values())
    spec = {
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
    return render(spec, language)
