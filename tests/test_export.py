"""`sdmi export` end to end on the shipped sample: the release folder, its manifest, re-exports and
revisions (fixtures: export_fixtures.py).
"""

import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.release.site.chart_cache import CHART_CACHE_DIR
from tests.export_command import sdmi_export

pytest_plugins = ["tests.export_fixtures"]  # one export per session, shared by both files

pytestmark = pytest.mark.slow


SUBFOLDERS = {"sdmx", "open-sdg", "parquet", "xlsx", "site"}


def manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text("utf-8"))


# 1. The release folder, the manifest, re-exports and revisions.


def test_export_writes_every_part_and_points_latest_at_it(exported, release, shipped_warehouse):
    export_root, printed, _ = exported
    assert {p.name for p in export_root.iterdir()} == {"latest", release.name, CHART_CACHE_DIR}
    assert (export_root / "latest").is_symlink()
    assert {p.name for p in release.iterdir()} == SUBFOLDERS | {"manifest.json", "CHANGES.md"}
    assert all(any((release / folder).rglob("*.*")) for folder in SUBFOLDERS)
    assert (release / "xlsx" / f"sdmi_{release.name}.xlsx").is_file()
    assert (release / "sdmx" / "structure.xml").is_file() and (release / "site" / "index.html").is_file()
    assert f"Release {release.name} written: {release}" in printed
    assert "disclosure control (threshold 5): 978 cells suppressed, 1758 more to protect them" in printed
    assert "first release: nothing to compare with" in printed and "observations added" not in printed
    assert "First release." in (release / "CHANGES.md").read_text("utf-8")


def test_manifest_hashes_every_file_of_the_release(release):
    files = manifest(release)["files"]
    on_disk = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    assert set(files) == on_disk - {"manifest.json"}
    for name, digest in files.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


def test_manifest_counts_the_cells_disclosure_control_suppressed(release, observations):
    control = manifest(release)["disclosure_control"]
    # Measured on the shipped sample at threshold 5.
    assert (control["threshold"], control["primary"], control["secondary"]) == (5, 978, 1758)
    assert control["total"] == 2736
    assert control["by_indicator"]["PMI_PLACED"] == {"primary": 80, "secondary": 203}
    assert control["by_indicator"]["TKA_NEW"] == {"primary": 291, "secondary": 484}
    # Every count in the manifest is a confidential row of the released observations, and back.
    released = dict(
        observations.execute(
            "SELECT indicator_id, count(*) FROM released WHERE obs_status = 'C' GROUP BY ALL"
        ).fetchall()
    )
    counted = {k: v["primary"] + v["secondary"] for k, v in control["by_indicator"].items()}
    assert released == counted
    assert observations.execute("SELECT count(*) FROM released WHERE obs_status = 'C' AND value IS NOT NULL")
    assert observations.execute(
        "SELECT count(*) FROM released WHERE (obs_status = 'C') <> (value IS NULL)"
    ).fetchone() == (0,)


def test_exporting_the_same_warehouse_again_writes_nothing(exported, release, shipped_warehouse):
    export_root = exported[0]
    before = {p: p.stat().st_mtime_ns for p in release.rglob("*")}
    completed = sdmi_export(shipped_warehouse, export_root)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert f"Release {release.name} already written" in completed.stdout
    assert {p.name for p in export_root.iterdir()} == {"latest", release.name, CHART_CACHE_DIR}
    assert {p: p.stat().st_mtime_ns for p in release.rglob("*")} == before


def test_a_newer_warehouse_with_the_same_public_tables_is_reported_unchanged(
    exported, release, shipped_warehouse, tmp_path
):
    export_root = tmp_path / "exports"
    shutil.copytree(exported[0], export_root, symlinks=True)
    rebuilt = tmp_path / "warehouse" / "sdmi.duckdb"  # a no-op build: written again, nothing new
    rebuilt.parent.mkdir()
    shutil.copyfile(shipped_warehouse, rebuilt)
    os.utime(rebuilt, (shipped_warehouse.stat().st_mtime + 3600,) * 2)
    completed = sdmi_export(rebuilt, export_root)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.splitlines()[:2] == [
        f"Release {release.name} unchanged: {export_root / release.name}",
        "  the published warehouse holds the same public tables as this release; nothing written",
    ]
    assert {p.name for p in export_root.iterdir()} == {"latest", release.name, CHART_CACHE_DIR}
    assert (export_root / "latest").resolve() == export_root / release.name


def test_a_changed_warehouse_gives_a_new_vintage_whose_changes_list_old_and_new_values(
    exported, release, shipped_warehouse, tmp_path
):
    export_root = tmp_path / "exports"
    shutil.copytree(exported[0], export_root, symlinks=True)
    changed = tmp_path / "warehouse" / "sdmi.duckdb"
    changed.parent.mkdir()
    shutil.copyfile(shipped_warehouse, changed)
    with duckdb.connect(str(changed)) as connection:
        old = connection.execute("""
            UPDATE indicators.observations SET value = value + 120 WHERE indicator_id = 'TKA_NEW'
            AND freq = 'A' AND time_period = '2023' AND counterpart_area = 'CHN' AND sex = '_T'
            AND province = '_T' AND sector = '_T' AND occupation = '_T' RETURNING value - 120""").fetchall()
    assert old == [(82_623.0,)]  # Kemnaker's 2023 new permits to Chinese nationals
    os.utime(changed, (shipped_warehouse.stat().st_mtime + 3600,) * 2)
    completed = sdmi_export(changed, export_root)
    assert completed.returncode == 0, completed.stderr[-3000:]
    second = (export_root / "latest").resolve()
    assert second.name > release.name and {p.name for p in export_root.iterdir()} == {
        "latest",
        release.name,
        second.name,
        CHART_CACHE_DIR,
    }
    assert f"since release {release.name}: 0 observations added, 0 removed, 1 revised" in completed.stdout
    assert f"carried over from release {release.name}: " in completed.stdout  # tests/test_release_carry.py
    changes = (second / "CHANGES.md").read_text("utf-8")
    assert f"Compared with release {release.name}." in changes
    assert "| revised | TKA_NEW | 1 |" in changes
    row = "| TKA_NEW | Kemnaker | A | 2023 | IDN | CHN | _T | _Z | _T | _Z | _T | _T | _Z | _Z | _Z "
    assert row + "| 82623 | A | 82743 | A |" in changes.splitlines()
    assert manifest(second)["changes"] == {"added": 0, "removed": 0, "revised": 1}
