"""The Dagster UI as a user sees it: a real webserver on loopback, Debian's Chromium, Playwright."""

import os
import shutil
import subprocess
import sys

import pytest

from sdmi_pipeline.paths import PROJECT_ROOT
from tests.servers import dagster_webserver

pytestmark = pytest.mark.slow  # dagster-webserver and Chromium on a built warehouse (about a minute)
UNREADABLE = "kp2mi/penempatan/penempatan_pmi_2023_05.csv"
# What dagster-daemon's freshness daemon does on a tick, run once with the clock two days ahead.
FRESHNESS_TWO_DAYS_LATER = """
import sys
from datetime import UTC, datetime, timedelta
from sdmi_pipeline.dagster_internals import run_freshness_daemon_once

run_freshness_daemon_once(sys.argv[1], datetime.now(UTC) + timedelta(days=2))
"""


@pytest.fixture(scope="module")
def ui(tmp_path_factory, browser):
    """A built warehouse (one unreadable file among the deliveries) and the UI on its instance."""
    root = tmp_path_factory.mktemp("ui")
    shutil.copytree(PROJECT_ROOT / "data" / "raw", root / "raw")
    (root / "raw" / UNREADABLE).write_text("a,b\n1,2\n")
    environment = {
        "SDMI_RAW_DIR": str(root / "raw"),
        "SDMI_WAREHOUSE_DIR": str(root / "warehouse"),
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    build = subprocess.run(
        [sys.executable, "-m", "sdmi_pipeline.cli", "build"],
        env=os.environ | environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 3, build.stderr[-2000:]  # published, with the unreadable file refused
    freshness = subprocess.run(
        [sys.executable, "-c", FRESHNESS_TWO_DAYS_LATER, str(PROJECT_ROOT / "workspace.yaml")],
        env=os.environ | environment,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert freshness.returncode == 0, freshness.stderr[-2000:]
    with dagster_webserver(PROJECT_ROOT, environment) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})

        def visit(path: str, ready: str):
            page.goto(url + path)
            page.get_by_text(ready, exact=True).first.wait_for(timeout=60_000)
            skip = page.get_by_role("button", name="Skip")  # Dagster's community prompt
            if skip.count():
                skip.click()
            return page

        yield visit
        page.close()


def visible_text(page) -> str:
    return page.inner_text("body")


def test_the_asset_graph_shows_every_group_and_the_indicator_assets(ui):
    page = ui("/asset-groups", "Global asset lineage")
    groups = ["raw", "reference", "staging", "core", "indicators", "meta", "report", "publish"]
    # every group is listed in the side bar and drawn as a node of the graph: its name twice
    page.wait_for_function(
        "groups => groups.every(g => document.body.innerText.split('\\n').filter(l => l === g).length >= 2)",
        arg=groups,
        timeout=30_000,
    )
    # the group's graph is taller than the window and draws only what is in view; its list names
    # every asset of the group
    page = ui("/locations/sdmi_pipeline/asset-groups/indicators/list", "indicators / observations")
    for asset in ("figures", "catalogue", "gcm_progress", "observations_pmi"):
        page.get_by_text(f"indicators / {asset}", exact=True).first.wait_for(timeout=30_000)
    assert "report / pmi_placed_by_destination" not in visible_text(page)  # another group's asset
    # catalogue feeds the report views too, which pushes it out of the group's window: a report
    # view's lineage shows it, with observations and the reference tables the view labels from
    page = ui("/assets/report/pmi_placed_by_destination?view=lineage", "pmi_placed_by_destination")
    for asset in ("catalogue", "observations", "countries", "codes"):
        page.get_by_text(asset, exact=True).first.wait_for(timeout=30_000)
    # a stacked per-source table and its upstream core table, on that table's lineage
    page = ui("/assets/indicators/observations_pmi?view=lineage", "observations_pmi")
    page.get_by_text("pmi_monthly_counts", exact=True).first.wait_for(timeout=30_000)


def test_a_failing_check_shows_its_result_and_metadata(ui):
    page = ui("/assets/staging/kp2mi_placements?view=checks", "files_readable")
    page.get_by_text("Failed", exact=True).first.wait_for()
    page.get_by_text("Every file of the source could be read as a whole").first.wait_for()
    page.get_by_text("files_failed", exact=True).first.wait_for()
    text = visible_text(page)
    assert "files_readable\nFailed" in text or "files_readable\n\nFailed" in text
    assert "rejected_rows" in text and "Succeeded" in text
    assert "Every file of the source could be read as a whole (name, encoding, header), and every " in text
    assert "files_failed\n1" in text


def test_the_nightly_schedule_shows_its_time_and_timezone(ui):
    page = ui("/locations/sdmi_pipeline/schedules/nightly_refresh", "Execution timezone")
    text = visible_text(page)
    assert "Every night at 01:00 Asia/Jakarta: load new raw files, rebuild, check, publish." in text
    assert "(0 1 * * *)" in text
    assert "Execution timezone\tAsia/Jakarta" in text
    assert "refresh_warehouse" in text


def test_a_stale_warehouse_shows_its_failed_freshness(ui):
    page = ui("/assets/published_warehouse", "Freshness policy")
    page.get_by_text("Failed", exact=True).first.wait_for()
    assert "Freshness policy\nFailed" in visible_text(page)
