"""Carry-over: a release takes every file whose inputs did not change from the previous release.

The shipped sample's build writes the first release; a new month (May 2023 for KP2MI) or one changed
value gives the next. What the release rewrites is exactly what changed; what it carries is a hard
link to the previous release's file; and the whole release equals one written without carry-over,
except what two whole writes of one warehouse differ in (the SDMX `Prepared` time, the workbook's
creation time, and so the manifest).
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from sdmi_pipeline.digests import sha256
from sdmi_pipeline.release import writer
from sdmi_pipeline.release.carry import Carry
from sdmi_pipeline.release.site.chart_cache import CHART_CACHE_DIR
from sdmi_pipeline.release.writer import export
from tests.test_release import revised_copy
from tests.test_up_to_date import SAMPLE, deliver_may, sdmi

# Written every time: they hold the time of writing, the vintage, or everything.
ALWAYS_WRITTEN = (
    "CHANGES.md",
    "sdmx/structure.xml",
    "parquet/datapackage.json",
    "open-sdg/translations/id/data.yml",
    "site/index.html",
    "site/en/indicators/index.html",
)
DIFFERS_BETWEEN_WHOLE_WRITES = {"manifest.json", "sdmx/structure.xml", "xlsx/sdmi_{vintage}.xlsx"}


def manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text("utf-8"))


def files_of(release: Path) -> dict[str, str]:
    return {p.relative_to(release).as_posix(): sha256(p) for p in release.rglob("*") if p.is_file()}


def first_release(shipped_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the export root the shipped sample's build wrote (its one release, with input keys)."""
    exports = tmp_path / "exports"
    shutil.copytree(shipped_warehouse.parent.parent / "exports", exports, symlinks=True)
    return exports


def assert_rewrites_only_what_changed(previous: Path, release: Path) -> dict:
    """Every file with an input key is carried exactly when its bytes equal the previous release's."""
    carry = manifest(release)["carry_over"]
    before, after = manifest(previous)["files"], manifest(release)["files"]
    assert carry["previous"] == previous.name
    assert carry["counts"] == {"carried": len(carry["carried"]), "rewritten": len(carry["rewritten"])}
    assert sorted(carry["carried"] + carry["rewritten"]) == sorted(after)
    unchanged = {name for name in carry["keys"] if before.get(name) == after[name]}
    assert set(carry["carried"]) == unchanged
    assert set(ALWAYS_WRITTEN) <= set(carry["rewritten"]) and not set(ALWAYS_WRITTEN) & carry["keys"].keys()
    for name in carry["carried"]:  # a hard link to the previous release's file
        assert os.path.samefile(previous / name, release / name)
    return carry


@pytest.mark.slow
def test_one_changed_value_rewrites_exactly_the_files_that_depend_on_it(
    shipped_warehouse, tmp_path, monkeypatch
):
    exports = first_release(shipped_warehouse, tmp_path)
    previous = (exports / "latest").resolve()
    changed = revised_copy(shipped_warehouse, tmp_path / "changed.duckdb", 9999)

    # A crash after files were carried leaves the previous release whole and `latest` on it.
    def crash(public, out_dir, vintage, carry=None):
        assert carry is not None and carry.carried
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(writer, "WRITERS", [*writer.WRITERS, ("broken", crash)])
        with pytest.raises(RuntimeError, match="disk full"):
            export(changed, exports)
    assert (exports / "latest").resolve() == previous
    assert {p.name for p in exports.iterdir() if not p.name.startswith(".")} == {"latest", previous.name}
    assert files_of(previous) == manifest(previous)["files"] | {
        "manifest.json": sha256(previous / "manifest.json")
    }

    release = export(changed, exports)
    assert release.changes == {"added": 0, "removed": 0, "revised": 1}
    carry = assert_rewrites_only_what_changed(previous, release.path)
    # TKA_NEW 2023 changed: its dataflow, table, downloads and Open SDG file are written again …
    for name in (
        "sdmx/data/DF_SDMI_TKA.csv",
        "parquet/indicators.observations.parquet",
        "site/downloads/TKA_NEW.csv",
        "open-sdg/data/indicator_sdmi-tka-new.csv",
    ):
        assert name in carry["rewritten"]
    # … and the other indicators' files, the reference tables and the style sheet are carried.
    for name in (
        "sdmx/data/DF_SDMI_PMI.csv",
        "parquet/reference.codes.parquet",
        "site/downloads/PMI_PLACED.csv",
        "open-sdg/data/indicator_sdmi-pmi-placed.csv",
        "site/site.css",
    ):
        assert name in carry["carried"]
    # The chart cache keeps the charts the release carried, not only those it read from the cache.
    charts = {p.read_bytes() for p in (release.path / "site" / "charts").rglob("*.svg")}
    assert {p.read_bytes() for p in (exports / CHART_CACHE_DIR).glob("*.svg")} == charts


@pytest.mark.slow
def test_a_new_month_carries_what_it_did_not_change_and_equals_a_whole_write(shipped_warehouse, tmp_path):
    root = shipped_warehouse.parent.parent
    for folder in ("warehouse", "exports", "dagster_home"):
        shutil.copytree(root / folder, tmp_path / folder, symlinks=True)
    shutil.copytree(SAMPLE, tmp_path / "raw")
    whole_exports = tmp_path / "whole"
    shutil.copytree(tmp_path / "exports", whole_exports, symlinks=True)
    previous = (tmp_path / "exports" / "latest").resolve()
    deliver_may(tmp_path / "raw")

    built = sdmi(tmp_path, "build")  # the release asset writes the new month's release, with carry-over
    assert built.returncode == 0, built.stderr[-3000:]
    release = (tmp_path / "exports" / "latest").resolve()
    assert release != previous
    carry = assert_rewrites_only_what_changed(previous, release)
    assert carry["counts"] == {"carried": 111, "rewritten": 114}
    assert "sdmx/data/DF_SDMI_PMI.csv" in carry["rewritten"]
    assert "sdmx/data/DF_SDMI_TKA.csv" in carry["carried"]

    # The same warehouse written whole beside the same previous release: the same files.
    whole = export(tmp_path / "warehouse" / "sdmi.duckdb", whole_exports, carry_over=False)
    assert manifest(whole.path)["carry_over"]["counts"] == {"carried": 0, "rewritten": 225}
    assert manifest(whole.path)["carry_over"]["keys"] == carry["keys"]
    one, other = files_of(release), files_of(whole.path)
    assert one.keys() == other.keys()
    allowed = {name.format(vintage=release.name) for name in DIFFERS_BETWEEN_WHOLE_WRITES}
    assert {name for name in one if one[name] != other[name]} == allowed


def test_a_refused_link_copies_and_a_changed_earlier_file_is_written_again(tmp_path, monkeypatch):
    settings = {"threshold": 5}
    earlier = tmp_path / "20260101T000000Z"
    earlier.mkdir()
    first = Carry(earlier, None, settings)
    for name in ("a.csv", "b.csv"):
        first.file(earlier / name, "code", ["rows"], lambda name=name: (earlier / name).write_text(name))
    files = {name: sha256(earlier / name) for name in ("a.csv", "b.csv")}
    manifest = {"carry_over": first.section(list(files)), "files": files}
    (earlier / "manifest.json").write_text(json.dumps(manifest))
    (earlier / "b.csv").write_text("changed since its release")  # no longer the file its manifest names

    def refused(source, target):
        raise PermissionError("links refused")

    monkeypatch.setattr(os, "link", refused)
    release = tmp_path / "20260201T000000Z"
    carry = Carry(release, earlier, settings)
    written = []
    for name in ("a.csv", "b.csv"):
        carry.file(release / name, "code", ["rows"], lambda name=name: written.append(name))
    assert carry.carried == ["a.csv"] and written == ["b.csv"] and carry.keys == first.keys
    assert (release / "a.csv").read_text() == "a.csv"
    assert not os.path.samefile(earlier / "a.csv", release / "a.csv")  # a copy
