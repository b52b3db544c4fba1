"""`sdmi export` run as a user runs it (a subprocess), at the disclosure threshold of sdmi.toml."""

import os
import subprocess
import sys
from pathlib import Path

THRESHOLD = 5


def sdmi_export(warehouse: Path, export_root: Path) -> subprocess.CompletedProcess:
    """`sdmi export --out export_root` on the published warehouse `warehouse`, in a subprocess."""
    environment = os.environ | {
        "SDMI_WAREHOUSE_DIR": str(warehouse.parent),
        "DAGSTER_HOME": str(export_root.parent / "dagster_home"),
    }
    return subprocess.run(
        [sys.executable, "-m", "sdmi_pipeline.cli", "export", "--out", str(export_root)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
