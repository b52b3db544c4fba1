"""The release of the shipped sample: disclosure control, Parquet data package, manifest, CHANGES."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sdmi_pipeline.release.public import open_public_with_report
from sdmi_pipeline.release.site.chart_cache import CHART_CACHE_DIR
from sdmi_pipeline.release.writer import export, release_vintage
from tests.attacker import recoverable
from tests.conftest import sdmi_build

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

SAMPLE_RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The shipped sample built once (its own warehouse and exports)."""
    root = tmp_path_factory.mktemp("sample")
    completed = sdmi_build(SAMPLE_RAW, root)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return root / "warehouse" / "sdmi.duckdb"


@pytest.fixture(scope="module")
def public(published):
    connection, report = open_public_with_report(published, threshold=5)
    return connection.sql("SELECT * FROM indicators.observations").df(), report


def test_primary_suppression_hides_every_count_from_1_to_4(public, published):
    observations, report = public
    # 80 of 2,282 PMI_PLACED cells and 291 of 5,738 TKA_NEW cells hold 1 to 4.
    assert report.by_indicator["PMI_PLACED"]["primary"] == 80
    assert report.by_indicator["TKA_NEW"]["primary"] == 291
    with duckdb.connect(str(published), read_only=True) as warehouse:
        full = warehouse.sql("SELECT * FROM indicators.observations").df()
    counts = full["indicator_id"].isin(["PMI_PLACED", "TKA_NEW", "TKA_STOCK", "REF_HOSTED"])
    small = full[counts & full["value"].between(1, 4)]
    hidden = observations[observations["obs_status"] == "C"]
    key = [c for c in full.columns if c not in ("value", "unit", "obs_status", "vintage")]
    assert len(small.merge(hidden, on=key)) == len(small) == 80 + 291 + 31 + 8
    assert hidden["value"].isna().all()
    # Hand-checked: no count of 1 to 4 persons is published anywhere.
    published_counts = observations[observations["indicator_id"].isin(["PMI_PLACED", "TKA_NEW"])]
    assert not published_counts["value"].between(1, 4).any()
    # The warehouse keeps the full values.
    assert len(full) == len(observations) and full["value"].notna().all()


def test_no_suppressed_cell_can_be_recovered_from_the_published_margins(public):
    observations, report = public
    assert report.secondary > 0
    found = recoverable(observations)
    # Only shares of 0 % come out: a zero is never a row, so the missing count row shows it anyway.
    assert found["numerator"].all() and (found["recovered"].abs() < 1e-6).all(), found
    assert found["indicator_id"].str.endswith("_SHARE").all()


def test_a_share_is_hidden_with_its_count_cells(public):
    observations, _ = public
    share = observations[observations["indicator_id"] == "PMI_PLACED_F_SHARE"]
    placed = observations[observations["indicator_id"] == "PMI_PLACED"]
    key = ["source", "freq", "time_period", "counterpart_area", "age", "province", "education", "sector",
           "occupation", "scheme"]  # fmt: skip
    women = share.merge(placed[placed["sex"] == "F"], on=key, suffixes=("", "_count"))
    assert (women.loc[women["obs_status_count"] == "C", "obs_status"] == "C").all()
    totals = share.merge(placed[placed["sex"] == "_T"], on=key, suffixes=("", "_count"))
    assert (totals.loc[totals["obs_status_count"] == "C", "obs_status"] == "C").all()


def test_release_folder_manifest_changes_and_latest(published, tmp_path):
    release = export(published, tmp_path)
    root = release.path
    assert root.name == release_vintage(published) and (tmp_path / "latest").resolve() == root
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["disclosure_control"]["by_indicator"]["PMI_PLACED"]["primary"] == 80
    assert "parquet/indicators.observations.parquet" in manifest["files"]
    assert {"path", "sha256", "vintage"} <= set(manifest["raw_files"][0])
    assert manifest["code_version"]["package"] == "0.1.0"
    assert "First release." in (root / "CHANGES.md").read_text()
    # The same warehouse again: the same release, not a second one.
    assert export(published, tmp_path).written is False
    assert {p.name for p in tmp_path.iterdir()} == {"latest", release.vintage, CHART_CACHE_DIR}
    # A revised figure in a newer warehouse shows in CHANGES.md with old and new values.
    second = export(revised_copy(published, tmp_path / "newer.duckdb", 9999), tmp_path)
    assert second.changes == {"added": 0, "removed": 0, "revised": 1}
    changes = (second.path / "CHANGES.md").read_text()
    assert "| 9999 | A |" in changes and f"Compared with release {release.vintage}" in changes
    assert (tmp_path / "latest").resolve() == second.path


def test_a_crashed_export_leaves_the_previous_release(published, tmp_path, monkeypatch):
    from sdmi_pipeline.release import writer

    first = export(published, tmp_path)
    (tmp_path / ".tmp-20000101T000000Z-999999999").mkdir()  # left by a dead export
    newer = revised_copy(published, tmp_path / "newer.duckdb", 9999)

    def crash(public, out_dir, vintage, carry=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "WRITERS", [*writer.WRITERS, ("broken", crash)])
    with pytest.raises(RuntimeError, match="disk full"):
        export(newer, tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"latest", first.vintage, "newer.duckdb", CHART_CACHE_DIR}
    assert (tmp_path / "latest").resolve() == first.path


def test_the_data_package_passes_frictionless_validate(published, tmp_path):
    release = export(published, tmp_path)
    package = release.path / "parquet" / "datapackage.json"
    frictionless = Path(sys.executable).parent / "frictionless"
    completed = subprocess.run([str(frictionless), "validate", str(package)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-3000:]
    descriptor = json.loads(package.read_text())
    observations = next(r for r in descriptor["resources"] if r["name"] == "indicators.observations")
    value = next(f for f in observations["schema"]["fields"] if f["name"] == "value")
    assert value["type"] == "number" and "|" in value["description"]  # English | Indonesian
    assert {
        "fields": "indicator_id",
        "reference": {"resource": "indicators.catalogue", "fields": "indicator_id"},
    } in (observations["schema"]["foreignKeys"])
    frame = pd.read_parquet(release.path / "parquet" / "indicators.observations.parquet")
    assert (frame.loc[frame["obs_status"] == "C", "value"].isna()).all()


def revised_copy(published: Path, target: Path, tka_new_2023: float | None, later: int = 60) -> Path:
    """A copy of the published warehouse written `later` seconds after it, with Kemnaker's 2023 total of
    new permits set to `tka_new_2023` (None: the same content)."""
    target.write_bytes(published.read_bytes())
    if tka_new_2023 is not None:
        with duckdb.connect(str(target)) as connection:
            connection.execute(
                """UPDATE indicators.observations SET value = ? WHERE indicator_id = 'TKA_NEW'
                AND freq = 'A' AND time_period = '2023' AND counterpart_area = '_T' AND sex = '_T'
                AND province = '_T' AND sector = '_T' AND occupation = '_T'""",
                [tka_new_2023],
            )
    os.utime(target, (published.stat().st_mtime + later,) * 2)
    return target


def test_a_newer_warehouse_with_the_same_public_tables_writes_no_new_release(published, tmp_path):
    exports = tmp_path / "exports"
    first = export(published, exports)
    fingerprint = json.loads((first.path / "manifest.json").read_text())["fingerprint"]
    assert fingerprint.startswith("sha256:") and len(fingerprint) == 7 + 64
    # A no-op build: the warehouse is written again (a newer vintage) with equal public tables.
    same = revised_copy(published, tmp_path / "same.duckdb", None)
    assert release_vintage(same) != first.vintage
    again = export(same, exports)
    assert (again.written, again.unchanged, again.status) == (False, True, "unchanged")
    assert again.path == first.path and again.vintage == first.vintage
    assert again.changes == {"added": 0, "removed": 0, "revised": 0}
    assert again.suppression["by_indicator"]["PMI_PLACED"]["primary"] == 80
    assert {p.name for p in exports.iterdir()} == {"latest", first.vintage, CHART_CACHE_DIR}
    # A changed indicator value gives a new release.
    changed = revised_copy(published, tmp_path / "changed.duckdb", 9999, later=120)
    third = export(changed, exports)
    assert (third.written, third.unchanged, third.status) == (True, False, "written")
    assert third.vintage == release_vintage(changed) and third.changes == {
        "added": 0,
        "removed": 0,
        "revised": 1,
    }
    assert json.loads((third.path / "manifest.json").read_text())["fingerprint"] != fingerprint
    assert (exports / "latest").resolve() == third.path
