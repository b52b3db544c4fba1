"""Where each part of a release lives, and which dataflow carries which indicator.

A release is one folder under the export root (`data/exports/`, or `SDMI_EXPORT_DIR`):

    <vintage>/manifest.json            vintage, sha256 of every file, raw files, code version
    <vintage>/CHANGES.md               figures revised since the previous release
    <vintage>/sdmx/structure.xml       SDMX-ML structure: DSD, code lists, concepts, dataflows
    <vintage>/sdmx/data/<DATAFLOW>.csv SDMX-CSV 2.0, one file per dataflow
    <vintage>/open-sdg/data/indicator_<id>.csv and open-sdg/meta/ (bilingual metadata)
    <vintage>/parquet/<schema>.<table>.parquet and parquet/datapackage.json
    <vintage>/xlsx/sdmi_<vintage>.xlsx
    <vintage>/site/                    the bilingual portal (index.html)
    latest -> <vintage>
    .chart-cache/<sha256>.svg          the charts the latest release drew (release/site/chart_cache.py)

Every writer has the signature `write(public, out_dir, vintage, carry=None)`: `public` is the
connection of `release.public.open_public`, `out_dir` its subfolder of the release being written,
`carry` the carry-over of unchanged files from the previous release (release/carry.py).
"""

import os
from pathlib import Path

from dagster import AssetKey

from sdmi_pipeline.paths import PROJECT_ROOT

RELEASE_KEY = AssetKey(["release"])  # the `release` asset (release/asset.py)

SDMX_DIR, OPEN_SDG_DIR, PARQUET_DIR, XLSX_DIR, SITE_DIR = "sdmx", "open-sdg", "parquet", "xlsx", "site"
MANIFEST_NAME, CHANGES_NAME, LATEST_NAME = "manifest.json", "CHANGES.md", "latest"

# One SDMX dataflow per indicator family; every indicator of the catalogue with observations is in one.
DATAFLOWS: dict[str, tuple[str, ...]] = {
    "DF_SDMI_PMI": ("PMI_PLACED", "PMI_PLACED_F_SHARE", "PMI_PLACED_INFORMAL_SHARE", "PMI_PLACED_G2G_SHARE"),
    "DF_SDMI_TKA": ("TKA_NEW", "TKA_STOCK"),
    "DF_SDMI_REFUGEES": ("REF_HOSTED", "REF_HOSTED_PER_100K", "SM_POP_REFG_OR"),
    "DF_SDMI_REMITTANCES": ("REMIT_INFLOW", "BX_TRF_PWKR"),
    "DF_SDMI_COVERAGE": ("SDMI_COVERAGE",),
}


def dataflow_of(indicator_id: str) -> str:
    """The dataflow that carries an indicator."""
    for dataflow, indicators in DATAFLOWS.items():
        if indicator_id in indicators:
            return dataflow
    raise KeyError(f"indicator {indicator_id} is in no dataflow of release.layout.DATAFLOWS")


def default_export_dir() -> Path:
    """Export root: `SDMI_EXPORT_DIR` or `data/exports/` in the project."""
    return Path(os.environ.get("SDMI_EXPORT_DIR") or PROJECT_ROOT / "data" / "exports")


def xlsx_name(vintage: str) -> str:
    return f"sdmi_{vintage}.xlsx"
