"""Attack two consecutive releases (the shipped sample, a generated full year) with tests/lp_attacker.py.

Build and export the sample (release 1, January–April 2023), add May's KP2MI file, build and export
again (release 2); the same with the generated full year of placements, December added to
January–November. A reader holding both releases bounds every suppressed PMI_PLACED count by linear
programs (relations, nonnegativity, "a suppressed row exists, so it is at least 1"); the true values
come from each build's internal warehouse. Nothing may be recovered exactly, and nothing may fall
inside the protection interval of sdmi.toml [disclosure]: the default audit (`bounds`) still leaves a
few cells inside it (expected failures with their measured numbers); the `interval` audit none.
"""

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.samples.placements import generate
from sdmi_pipeline.settings import load_settings
from tests.conftest import sdmi_build
from tests.lp_attacker import KEY, attack, dimensions, exact, inside_protection, read_release, violated
from tests.test_up_to_date import APRIL, MAY_ROWS, SAMPLE, sdmi

pytestmark = pytest.mark.slow


def _truth(warehouse: Path) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.sql("SELECT * FROM indicators.observations").df()


def _attack(first: Path, second: Path) -> pd.DataFrame:
    """Every suppressed PMI_PLACED row of the releases under `second` (the build of `first`, then
    its own), with the attacker's bounds and the true value of its build's internal warehouse."""
    releases = sorted(p for p in (second / "exports").iterdir() if p.name[0].isdigit() and not p.is_symlink())
    assert len(releases) == 2
    truths = [_truth(root / "warehouse" / "sdmi.duckdb") for root in (first, second)]
    published = [read_release(release) for release in releases]
    assert violated(published, truths, {"PMI_PLACED"}) == 0  # the attacker's relations hold
    found = attack(published, {"PMI_PLACED"})
    dims = dimensions(truths[0])
    rows = []
    for number, truth in enumerate(truths):
        hidden = found.rows[found.rows["release"] == number]
        true = truth[[*KEY, *dims, "value"]].rename(columns={"value": "true"})
        rows.append(hidden.merge(true, on=[*KEY, *dims], how="left"))
    return pd.concat(rows, ignore_index=True)


def _build_again(first: Path, second: Path, raw: Path) -> None:
    """Copy the build under `first` to `second` with the raw files `raw`, and build it again."""
    for folder in ("warehouse", "exports", "dagster_home"):
        shutil.copytree(
            first / folder, second / folder, symlinks=True, ignore=shutil.ignore_patterns("*.lock")
        )
    shutil.copytree(raw, second / "raw")
    built = sdmi(second, "build")
    assert built.returncode == 0, built.stderr[-3000:]


def _with_may(first: Path, tmp_path_factory) -> pd.DataFrame:
    """The sample built under `first` (January–April 2023), then May's KP2MI file added."""
    raw = tmp_path_factory.mktemp("raw-with-may") / "raw"
    shutil.copytree(SAMPLE, raw)
    header = (SAMPLE / APRIL).read_text().splitlines(keepends=True)[0]
    (raw / "kp2mi" / "penempatan" / "penempatan_pmi_2023_05.csv").write_text(header + MAY_ROWS)
    second = tmp_path_factory.mktemp("with-may")
    _build_again(first, second, raw)
    return _attack(first, second)


def _with_december(tmp_path_factory) -> pd.DataFrame:
    """The generated full year of placements: January–November, then December added."""
    first = tmp_path_factory.mktemp("to-november")
    raw = tmp_path_factory.mktemp("full-year") / "raw"
    generate(raw, year=2023, scale=1.0, seed=2023, bad_rows=8)
    december = raw / "kp2mi" / "penempatan" / "penempatan_pmi_2023_12.csv"
    shutil.copytree(raw, first / "raw", ignore=shutil.ignore_patterns(december.name))
    built = sdmi_build(first / "raw", first)
    assert built.returncode == 0, built.stderr[-3000:]
    second = tmp_path_factory.mktemp("with-december")
    _build_again(first, second, raw)
    return _attack(first, second)


@contextmanager
def _audit(kind: str, folder: Path) -> Iterator[None]:
    """Builds (subprocesses) under sdmi.toml with `[disclosure] audit = kind`."""
    settings = folder / "sdmi.toml"
    settings.write_text(
        re.sub(r'(?m)^audit = ".*"$', f'audit = "{kind}"', (PROJECT_ROOT / "sdmi.toml").read_text())
    )
    before = os.environ.get("SDMI_CONFIG")
    os.environ["SDMI_CONFIG"] = str(settings)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SDMI_CONFIG"]
        else:
            os.environ["SDMI_CONFIG"] = before


@pytest.fixture(scope="module")
def sample(shipped_warehouse: Path, tmp_path_factory) -> pd.DataFrame:
    """The shipped sample and May, under the default audit."""
    return _with_may(shipped_warehouse.parent.parent, tmp_path_factory)


@pytest.fixture(scope="module")
def full_year(tmp_path_factory) -> pd.DataFrame:
    """The full year and December, under the default audit."""
    return _with_december(tmp_path_factory)


@pytest.fixture(scope="module")
def sample_interval(tmp_path_factory) -> pd.DataFrame:
    """The shipped sample and May, under the `interval` audit."""
    with _audit("interval", tmp_path_factory.mktemp("interval-settings")):
        first = tmp_path_factory.mktemp("sample-interval")
        built = sdmi_build(SAMPLE, first)
        assert built.returncode == 0, built.stderr[-3000:]
        return _with_may(first, tmp_path_factory)


@pytest.fixture(scope="module")
def full_year_interval(tmp_path_factory) -> pd.DataFrame:
    """The full year and December, under the `interval` audit."""
    with _audit("interval", tmp_path_factory.mktemp("interval-settings")):
        return _with_december(tmp_path_factory)


def _outside(attacked: pd.DataFrame) -> pd.DataFrame:
    assert attacked["true"].notna().all()
    return attacked[
        (attacked["lower"] > attacked["true"] + 1e-6) | (attacked["upper"] < attacked["true"] - 1e-6)
    ]


def _exact(attacked: pd.DataFrame) -> pd.DataFrame:
    return attacked[exact(attacked["lower"], attacked["upper"])]


def _inside(attacked: pd.DataFrame) -> pd.DataFrame:
    settings = load_settings()
    inside = inside_protection(
        attacked["lower"],
        attacked["upper"],
        attacked["true"],
        settings.disclosure_threshold,
        settings.disclosure_protection,
    )
    return attacked[inside]


def test_every_interval_of_the_attacker_holds_the_true_value(sample, full_year):
    assert _outside(sample).empty, _outside(sample)
    assert _outside(full_year).empty, _outside(full_year)


def test_no_suppressed_count_of_the_sample_is_recovered_exactly(sample):
    assert _exact(sample).empty, f"{len(_exact(sample))} of {len(sample)} suppressed rows recovered exactly"


def test_no_suppressed_count_of_the_full_year_is_recovered_exactly(full_year):
    assert _exact(full_year).empty, _exact(full_year)


@pytest.mark.xfail(
    strict=True,
    reason="measured with audit = 'bounds' (the default): 7 of 925 suppressed PMI_PLACED rows of "
    "release 1 and 4 of 974 of release 2 fall inside the protection interval (none recovered exactly; "
    "with 'linear' 476 and 474). Bound propagation is weaker than the attacker's LP.",
)
def test_no_suppressed_count_of_the_sample_is_bounded_inside_its_protection_interval(sample):
    assert _inside(sample).empty, f"{len(_inside(sample))} of {len(sample)} inside the protection interval"


@pytest.mark.xfail(
    strict=True,
    reason="measured with audit = 'bounds' (the default): 11 of 342 suppressed PMI_PLACED rows of "
    "release 1 (January-November) and 10 of 718 of release 2 (December added) fall inside the "
    "protection interval; none is recovered exactly (with 'linear' 22 and 22).",
)
def test_no_suppressed_count_of_the_full_year_is_bounded_inside_its_protection_interval(full_year):
    assert _inside(full_year).empty, (
        f"{len(_inside(full_year))} of {len(full_year)} inside the protection interval"
    )


def test_the_interval_audit_leaves_no_count_inside_its_protection_interval(
    sample_interval, full_year_interval
):
    for attacked in (sample_interval, full_year_interval):
        assert _outside(attacked).empty, _outside(attacked)
        assert _exact(attacked).empty, _exact(attacked)
        assert _inside(attacked).empty, (
            f"{len(_inside(attacked))} of {len(attacked)} inside the protection interval"
        )
