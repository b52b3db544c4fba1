"""Where the project, the raw landing folder and the warehouse live."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
SQL_ASSETS_DIR = PROJECT_ROOT / "assets"
PUBLISHED_NAME = "sdmi.duckdb"
BUILD_NAME = "sdmi.build.duckdb"  # the build in progress, renamed over PUBLISHED_NAME when it passed


def default_raw_dir() -> str:
    """Raw root: `SDMI_RAW_DIR` or `data/raw/` in the project."""
    return os.environ.get("SDMI_RAW_DIR") or str(PROJECT_ROOT / "data" / "raw")


def default_warehouse_dir() -> str:
    """Warehouse folder: `SDMI_WAREHOUSE_DIR` or `data/warehouse/` in the project."""
    return os.environ.get("SDMI_WAREHOUSE_DIR") or str(PROJECT_ROOT / "data" / "warehouse")
