"""Peers of `sdmi build` for the benchmark: a hand-written DuckDB floor and a plain pandas script.

Each reads the KP2MI placement files of a raw root (spec §2.1) and writes the PMI_PLACED cells
(`CELL_COLUMNS`) to a Parquet file, so the benchmark can check that all peers agree.
"""

CELL_COLUMNS = (
    "freq",
    "time_period",
    "counterpart_area",
    "sex",
    "age",
    "province",
    "education",
    "sector",
    "occupation",
    "scheme",
    "value",
)
# The disaggregations of PMI_PLACED (assets/indicators/observations_pmi.sql): each alone and with sex.
DIMENSIONS = ("destination", "province", "sex", "age_group", "education", "sector", "occupation", "scheme")
GROUPING_SETS = (
    (),
    *((dimension,) for dimension in DIMENSIONS),
    *(("sex", dimension) for dimension in DIMENSIONS if dimension not in ("sex", "destination")),
    ("sex", "destination"),
)
