"""Fixtures: a generated raw root, a temporary warehouse, and the real refresh job run on them."""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, ExecuteInProcessResult

from sdmi_pipeline.definitions import REFRESH_JOB, build_definitions
from sdmi_pipeline.ingest.partitions import delivered_months, range_tags
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.samples.placements import generate
from sdmi_pipeline.warehouse.resource import WarehouseResource

SMALL_SCALE = 0.01
BAD_ROWS_PER_FILE = 8


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on the shipped sample's built warehouse is slow: the session's `sdmi build` of it
    (and its export) cost most of the quick loop (DEVELOPERS.md, "Marker slow")."""
    for item in items:
        if "shipped_warehouse" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def export_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Releases that a refresh or `sdmi build` writes go to the test's folder, never data/exports/."""
    monkeypatch.setenv("SDMI_EXPORT_DIR", str(tmp_path / "exports"))
    return tmp_path / "exports"


@pytest.fixture
def raw_root(tmp_path: Path) -> Path:
    """Two months of generated placements at 1% of the 2023 volume, 8 bad rows per file."""
    root = tmp_path / "raw"
    generate(root, scale=SMALL_SCALE, bad_rows=BAD_ROWS_PER_FILE, months=[1, 2])
    return root


@pytest.fixture
def warehouse_dir(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"


@pytest.fixture
def refresh(
    raw_root: Path, warehouse_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], ExecuteInProcessResult]:
    """Run the real Definitions' refresh job on the fixture's raw root and warehouse."""
    monkeypatch.setenv("SDMI_RAW_DIR", str(raw_root))
    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(warehouse_dir))

    def run(months: list[str] | None = None) -> ExecuteInProcessResult:
        """A refresh of `months` (default: every delivered month), as `sdmi build` runs it."""
        job = build_definitions().resolve_job_def(REFRESH_JOB)
        tags = range_tags(months or delivered_months(raw_root))
        with DagsterInstance.ephemeral() as instance:
            return job.execute_in_process(instance=instance, raise_on_error=False, tags=tags)

    return run


@pytest.fixture
def warehouse(raw_root: Path, warehouse_dir: Path) -> WarehouseResource:
    return WarehouseResource(raw_dir=str(raw_root), warehouse_dir=str(warehouse_dir))


def copy_shipped_placements(root: Path) -> Path:
    """A raw root with the shipped sample's placement files (PMI_PLACED 2023 = 83,864; April 19,248)."""
    shutil.copytree(PROJECT_ROOT / "data" / "raw" / "kp2mi" / "penempatan", root / "kp2mi" / "penempatan")
    return root


def build_environment(raw_dir: Path, root: Path) -> dict[str, str]:
    """The environment of an `sdmi build` on `raw_dir`, with its warehouse and DAGSTER_HOME under `root`."""
    return os.environ | {
        "SDMI_RAW_DIR": str(raw_dir),
        "SDMI_WAREHOUSE_DIR": str(root / "warehouse"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "SDMI_EXPORT_DIR": str(root / "exports"),
    }


def sdmi_build(raw_dir: Path, root: Path, *options: str) -> subprocess.CompletedProcess:
    """`sdmi build` in a subprocess on `raw_dir`, with its warehouse and DAGSTER_HOME under `root`."""
    return subprocess.run(
        [sys.executable, "-m", "sdmi_pipeline.cli", "build", *options],
        env=build_environment(raw_dir, root),
        capture_output=True,
        text=True,
        timeout=900,
    )


def query(path: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    """Rows of a query on a published warehouse, opened read-only."""
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql, parameters or []).fetchall()


def staging_metadata(result: ExecuteInProcessResult) -> dict:
    """Materialization metadata of the KP2MI staging asset in a run (one event per month, all alike)."""
    events = [
        {key: value.value for key, value in event.materialization.metadata.items()}
        for event in result.get_asset_materialization_events()
        if event.asset_key.path == ["staging", "kp2mi_placements"]
    ]
    assert events and all(event == events[0] for event in events)
    return events[0]


@pytest.fixture(scope="session")
def shipped_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse `sdmi build` publishes from the shipped sample (data/raw), built once a session."""
    root = tmp_path_factory.mktemp("shipped-sample")
    completed = sdmi_build(Path(__file__).parent.parent / "data" / "raw", root)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return root / "warehouse" / "sdmi.duckdb"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the whole session (the portal and UI tests).

    Playwright's sync API runs one event loop per process: two `sync_playwright()` at once fail.
    """
    from tests.servers import require

    require("Chromium (Debian package chromium)", Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
