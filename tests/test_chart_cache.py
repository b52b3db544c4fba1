"""The chart cache: a chart is drawn once per input, a release from a warm cache is byte-identical to
one drawn whole, entries are written atomically, and the cache keeps only the latest release's charts.

vl-convert is counted by wrapping `vl_convert.vegalite_to_svg`. The release figures are measured on
the shipped sample (80 charts: 40 per language) and hand-checked.
"""

import os
import shutil
from pathlib import Path

import pytest
import vl_convert

from sdmi_pipeline.release import writer
from sdmi_pipeline.release.public import open_public
from sdmi_pipeline.release.site import charts, write_site
from sdmi_pipeline.release.site.chart_cache import CHART_CACHE_DIR, ChartCache, chart_key
from sdmi_pipeline.release.site.i18n import ENGLISH, INDONESIAN

pytest_plugins = ["tests.export_fixtures"]  # the session's one `sdmi export` (a new process, no cache)

# 40 charts of the shipped sample's portal, in English and in Indonesian.
CHARTS_PER_RELEASE = 80
# What differs between two releases of one warehouse written without a cache: the SDMX header's
# `Prepared` time, the workbook's creation time, and their sha256 in the manifest.
DIFFERS_WITHOUT_CACHE = {"manifest.json", "sdmx/structure.xml", "xlsx/sdmi_{vintage}.xlsx"}
BARS = charts.bar_chart([("Malaysia", 1200.0), ("Taiwan", 950.5)], "persons", 0)
HEAT = charts.heat_map([{"source": "KP2MI", "year": 2023, "share": 80.0, "label": "80"}], "share")


@pytest.fixture
def drawn(monkeypatch) -> list[dict]:
    """Every spec vl-convert draws during the test."""
    specs: list[dict] = []
    draw = vl_convert.vegalite_to_svg

    def counting(spec, *args, **kwargs):
        specs.append(spec)
        return draw(spec, *args, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    return specs


def files_of(release: Path) -> dict[str, bytes]:
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in release.rglob("*") if p.is_file()}


def differing(first: Path, second: Path) -> set[str]:
    """The files of two releases whose bytes differ (both must hold the same files)."""
    one, other = files_of(first), files_of(second)
    assert one.keys() == other.keys()
    return {name for name in one if one[name] != other[name]}


# 1. One chart, drawn through the cache.


def test_a_chart_is_drawn_once_per_spec_and_language(tmp_path, drawn):
    cache = ChartCache(tmp_path / CHART_CACHE_DIR)
    indonesian = charts.render(BARS, INDONESIAN, cache)
    assert charts.render(BARS, INDONESIAN, cache) == indonesian
    english = charts.render(BARS, ENGLISH, cache)
    assert (len(drawn), cache.misses, cache.hits) == (2, 2, 1)
    assert ">1.200<" in indonesian and ">1,200<" in english  # the axis in each language's format
    entries = sorted(cache.folder.iterdir())
    assert len(entries) == 2 and {p.read_text("utf-8") for p in entries} == {indonesian, english}
    assert all(len(p.stem) == 64 and p.suffix == ".svg" for p in entries)
    # A new export finds them: nothing drawn.
    again = ChartCache(cache.folder)
    assert charts.render(BARS, ENGLISH, again) == english and (len(drawn), again.hits) == (2, 1)


def test_the_key_covers_the_data_the_locale_vl_convert_and_the_render_revision(tmp_path, monkeypatch):
    cache = ChartCache(tmp_path)
    charts.render(BARS, ENGLISH, cache)
    charts.render(charts.bar_chart([("Malaysia", 1201.0), ("Taiwan", 950.5)], "persons", 0), ENGLISH, cache)
    charts.render(BARS, INDONESIAN, cache)
    monkeypatch.setattr(vl_convert, "__version__", "99.0.0")
    charts.render(BARS, ENGLISH, cache)
    monkeypatch.setattr(charts, "RENDER_REVISION", charts.RENDER_REVISION + 1)
    charts.render(BARS, ENGLISH, cache)
    assert (cache.misses, cache.hits, len(list(tmp_path.glob("*.svg")))) == (5, 0, 5)
    assert chart_key({"a": 1, "b": 2}) != chart_key({"b": 2, "a": 1})  # key order is input too


def test_a_chart_drawn_twice_in_one_process_has_the_same_bytes():
    # Vega numbers gradients from a process-wide counter: the heat map's legend was `gradient_0`
    # the first time and `gradient_1` the next, so a release's bytes depended on what the process
    # had drawn before it. Renumbered per SVG, both are `gradient_0`.
    first, second = charts.render(HEAT, ENGLISH), charts.render(HEAT, ENGLISH)
    assert first == second
    assert first.count('id="gradient_0"') == 1 and first.count("url(#gradient_0)") == 1
    clipped = {"data": {"values": [{"x": 1}]}, "mark": {"type": "bar", "clip": True}, "encoding": {}}
    assert 'id="clip1"' in charts.render(clipped, ENGLISH) and 'id="clip1"' in charts.render(clipped, ENGLISH)


# 2. Atomic entries and the prune rule.


def test_a_crash_while_storing_leaves_no_entry_and_no_partial_file(tmp_path, monkeypatch):
    cache = ChartCache(tmp_path)

    def full(*args):
        raise OSError(28, "No space left on device")  # failing between writing and renaming

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError, match="No space left"):
        charts.render(BARS, ENGLISH, cache)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    # A temporary file a dead export left is no entry: the chart is drawn, and the export removes it.
    key = chart_key({"left": "behind"})
    (tmp_path / f".tmp-{key}-999999999").write_text("<svg", "utf-8")
    assert ChartCache(tmp_path).svg({"left": "behind"}, lambda: "<svg/>") == "<svg/>"
    writer._remove_stale(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"{key}.svg"]


def test_prune_keeps_the_entries_this_export_used_and_what_other_exports_are_writing(tmp_path):
    old = ChartCache(tmp_path)
    kept, dropped = (
        old.svg({"chart": 1}, lambda: "<svg>1</svg>"),
        old.svg({"chart": 2}, lambda: "<svg>2</svg>"),
    )
    writing = tmp_path / f".tmp-{chart_key({'chart': 3})}-{os.getppid()}"  # a live export's
    writing.write_text("<svg>3", "utf-8")
    new = ChartCache(tmp_path)
    assert new.svg({"chart": 1}, lambda: "<svg>drawn</svg>") == kept and dropped == "<svg>2</svg>"
    assert new.prune() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{chart_key({'chart': 1})}.svg", writing.name]
    )


# 3. Real releases of the shipped sample.


@pytest.mark.slow
def test_a_release_from_a_warm_cache_draws_nothing_and_is_byte_identical(
    exported, release, shipped_warehouse, tmp_path, drawn
):
    cold_root = exported[0]  # `sdmi export` in a new process, from an empty cache
    cached = {p.name: p.read_bytes() for p in (cold_root / CHART_CACHE_DIR).iterdir()}
    assert len(cached) == CHARTS_PER_RELEASE  # every chart of the release, none twice
    charts_of_release = {p.read_bytes() for p in (release / "site" / "charts").rglob("*.svg")}
    assert set(cached.values()) == charts_of_release
    # What two cold writes of one warehouse differ in, checked first: a second cold write here.
    again = writer.export(shipped_warehouse, tmp_path / "cold")
    assert len(drawn) == CHARTS_PER_RELEASE
    allowed = {name.format(vintage=release.name) for name in DIFFERS_WITHOUT_CACHE}
    assert differing(release, again.path) == allowed
    # A warm export root: the cold export's cache, an entry no release uses and a dead export's file.
    warm_root = tmp_path / "warm"
    shutil.copytree(cold_root / CHART_CACHE_DIR, warm_root / CHART_CACHE_DIR)
    unused = warm_root / CHART_CACHE_DIR / f"{'0' * 64}.svg"
    unused.write_text("<svg/>", "utf-8")
    (warm_root / CHART_CACHE_DIR / f".tmp-{'1' * 64}-999999999").write_text("<sv", "utf-8")
    drawn.clear()
    warm = writer.export(shipped_warehouse, warm_root)
    assert warm.written and drawn == []
    assert differing(release, warm.path) == allowed
    manifests = writer.read_manifest(release)["files"], writer.read_manifest(warm.path)["files"]
    assert {name for name in manifests[0] if manifests[0][name] != manifests[1][name]} == allowed - {
        "manifest.json"
    }
    # Pruned: exactly the charts this release used.
    assert {p.name: p.read_bytes() for p in (warm_root / CHART_CACHE_DIR).iterdir()} == cached


@pytest.mark.slow
def test_a_changed_figure_redraws_only_its_charts(shipped_warehouse, tmp_path, drawn):
    cache = ChartCache(tmp_path / CHART_CACHE_DIR)
    public = open_public(shipped_warehouse)
    write_site(public, tmp_path / "first", "2024-06-30", cache)
    assert (len(drawn), cache.misses, cache.hits) == (CHARTS_PER_RELEASE, CHARTS_PER_RELEASE, 0)
    # 2023 complete in the coverage matrix: the heat map changes, in both languages, and
    # nothing else the portal charts (SDMI_COVERAGE has no series or breakdown chart of its own).
    public.execute("UPDATE indicators.sdmi_coverage SET share = 100 WHERE share < 100 AND year = 2023")
    drawn.clear()
    second = ChartCache(cache.folder)
    write_site(public, tmp_path / "second", "2024-06-30", second)
    assert (len(drawn), second.misses, second.hits) == (2, 2, CHARTS_PER_RELEASE - 2)
    # The heat maps: 7 sources × 9 years (2015-2023), 2023 now full everywhere.
    assert [len(spec["data"]["values"]) for spec in drawn] == [63, 63]
    assert {cell["share"] for cell in drawn[0]["data"]["values"] if cell["year"] == 2023} == {100.0}
    assert second.prune() == 2 and len(list(cache.folder.iterdir())) == CHARTS_PER_RELEASE
