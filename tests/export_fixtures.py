"""One real `sdmi export` of the shipped sample per session, and the release read back: fixtures, loaded with
`pytest_plugins = ["tests.export_fixtures"]`.

The release is written once a session through the CLI (a subprocess, as a user runs it), from the
warehouse `sdmi build` publishes from data/raw. The figures are measured on the shipped sample at
the threshold 5 of sdmi.toml and hand-checked.
"""

import time
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.release.public import open_public
from tests.export_command import THRESHOLD, sdmi_export


@pytest.fixture(scope="session")
def exported(shipped_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, float]:
    """The export root of one real `sdmi export`, what it printed, and how long it took."""
    export_root = tmp_path_factory.mktemp("export") / "exports"
    started = time.monotonic()
    completed = sdmi_export(shipped_warehouse, export_root)
    seconds = time.monotonic() - started
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return export_root, completed.stdout, seconds


@pytest.fixture(scope="session")
def release(exported: tuple[Path, str, float]) -> Path:
    return (exported[0] / "latest").resolve()


@pytest.fixture(scope="session")
def public(shipped_warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The public connection the release was written from (disclosure-controlled, with the report views)."""
    return open_public(shipped_warehouse, THRESHOLD)


@pytest.fixture(scope="session")
def observations(release: Path) -> duckdb.DuckDBPyConnection:
    """The release's own observations (parquet), with its SDMX-CSV and portal CSVs, in one connection."""
    connection = duckdb.connect()
    connection.execute(f"""CREATE VIEW released AS
        SELECT * FROM read_parquet('{release}/parquet/indicators.observations.parquet')""")
    connection.execute(f"""CREATE VIEW sdmx AS SELECT * FROM read_csv('{release}/sdmx/data/*.csv',
        all_varchar = true, union_by_name = true, filename = true)""")
    connection.execute(f"""CREATE VIEW portal AS SELECT * FROM read_csv('{release}/site/downloads/*.csv',
        all_varchar = true, union_by_name = true)""")
    return connection
