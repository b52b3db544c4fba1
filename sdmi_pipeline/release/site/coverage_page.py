"""The coverage page (GCM objective 1): the source × year matrix as a heat map, missing cells named."""

import duckdb

from sdmi_pipeline.release.site import charts
from sdmi_pipeline.release.site.i18n import Language
from sdmi_pipeline.release.site.render import Site


def write_coverage(site: Site, public: duckdb.DuckDBPyConnection, language: Language) -> None:
    rows = public.execute(
        """
        SELECT source, year, expected_cells, cells_with_data, share, provisional, cells_without_data
        FROM indicators.sdmi_coverage ORDER BY source, year
        """
    ).fetchall()
    rows = [(site.labels.label("source", source, language.code), *rest) for source, *rest in rows]
    cells = [
        {"source": source, "year": year, "share": share, "label": f"{share:.0f}"}
        for source, year, _, _, share, _, _ in rows
    ]
    chart = None
    if cells:
        chart = site.chart(language, "coverage", charts.heat_map(cells, language.text("coverage_of")))
    table = [
        {
            "source": source,
            "year": year,
            "share": language.percent(share),
            "cells": f"{cells_with_data} / {expected}",
            "provisional": provisional,
            "missing": missing or "–",
        }
        for source, year, expected, cells_with_data, share, provisional, missing in rows
    ]
    years = sorted({year for _, year, *_ in rows})
    alt = language.text("coverage_intro")
    if years:
        alt += f" ({years[0]}–{years[-1]})"
    site.page(
        language,
        "coverage.html",
        "coverage.html",
        language.text("coverage"),
        chart=chart,
        alt=alt,
        rows=table,
    )
