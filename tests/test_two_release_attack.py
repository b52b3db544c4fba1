"""Attack two consecutive releases (the shipped sample, a generated full year) with tests/lp_attacker.py.

Build and export the sample (release 1, January–April 2023), add May's KP2MI file, build and export
again (release 2); the same with the generated full year of placements, December added to
January–November. A reader holding both releases bounds every suppressed count of placements
(PMI_PLACED) and of foreign worker permits (TKA_NEW, TKA_STOCK: the sample's two full years) by
linear programs (relations, nonnegativity, "a suppressed row exists, so it is at least 1", and the
permit holders' stock-flow inequalities); the true values come from each build's internal
warehouse. Under the default audit (`interval`) no small count (1 to 4 persons, the cells the
protection interval of sdmi.toml [disclosure] is owed to) may be recovered exactly or bounded inside
that interval, and no suppressed placement may be recovered exactly. A permit count hidden only to
protect another may be: where no permit ended in a month, holders this month are exactly last
month's plus the new ones (docs/release.md, "Whose interval").
"""

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sdmi_pipeline.samples.placements import generate
from sdmi_pipeline.settings import load_settings
from tests.conftest import sdmi_build
from tests.lp_attacker import KEY, attack, dimensions, exact, inside_protection, read_release, violated
from tests.test_up_to_date import SAMPLE, deliver_may, sdmi

pytestmark = pytest.mark.slow
PLACEMENTS, PERMITS = {"PMI_PLACED"}, {"TKA_NEW", "TKA_STOCK"}


def _truth(warehouse: Path) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.sql("SELECT * FROM indicators.observations").df()


def _attack(first: Path, second: Path) -> pd.DataFrame:
    """Every suppressed placement and permit count of the releases under `second` (the build of
    `first`, then its own), with the attacker's bounds and the true value of its build's internal
    warehouse."""
    releases = sorted(p for p in (second / "exports").iterdir() if p.name[0].isdigit() and not p.is_symlink())
    assert len(releases) == 2
    truths = [_truth(root / "warehouse" / "sdmi.duckdb") for root in (first, second)]
    published = [read_release(release) for release in releases]
    assert violated(published, truths, PLACEMENTS | PERMITS) == 0  # the attacker's relations hold
    found = attack(published, PLACEMENTS | PERMITS)
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
    deliver_may(raw)
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


@pytest.fixture(scope="module")
def sample(shipped_warehouse: Path, tmp_path_factory) -> pd.DataFrame:
    """The shipped sample and May, under the default audit."""
    return _with_may(shipped_warehouse.parent.parent, tmp_path_factory)


@pytest.fixture(scope="module")
def full_year(tmp_path_factory) -> pd.DataFrame:
    """The full year and December, under the default audit."""
    return _with_december(tmp_path_factory)


def _outside(attacked: pd.DataFrame) -> pd.DataFrame:
    assert attacked["true"].notna().all()
    return attacked[
        (attacked["lower"] > attacked["true"] + 1e-6) | (attacked["upper"] < attacked["true"] - 1e-6)
    ]


def _exact(attacked: pd.DataFrame) -> pd.DataFrame:
    return attacked[exact(attacked["lower"], attacked["upper"])]


def _inside_protection(rows: pd.DataFrame) -> pd.Series:
    """Rows bounded inside the protection interval of sdmi.toml [disclosure]."""
    settings = load_settings()
    threshold, protection = settings.disclosure_threshold, settings.disclosure_protection
    return inside_protection(rows["lower"], rows["upper"], rows["true"], threshold, protection)


def _small(attacked: pd.DataFrame) -> pd.DataFrame:
    """Small counts (1 to threshold - 1): the cells owed the protection interval."""
    return attacked[attacked["true"] < load_settings().disclosure_threshold]


def test_every_interval_of_the_attacker_holds_the_true_value(sample, full_year):
    assert _outside(sample).empty, _outside(sample)
    assert _outside(full_year).empty, _outside(full_year)


def _placements(attacked: pd.DataFrame) -> pd.DataFrame:
    return attacked[attacked["indicator_id"].isin(PLACEMENTS)]


def test_no_suppressed_placement_of_the_sample_is_recovered_exactly(sample):
    placements = _placements(sample)
    assert _exact(placements).empty, f"{len(_exact(placements))} of {len(placements)} recovered exactly"


def test_no_suppressed_placement_of_the_full_year_is_recovered_exactly(full_year):
    assert _exact(_placements(full_year)).empty, _exact(_placements(full_year))


def test_the_permits_are_attacked_with_their_stock_flow_inequalities(sample):
    permits = sample[sample["indicator_id"].isin(PERMITS)]
    small = _small(permits)
    print(  # the figures docs/release.md gives (pytest -rP)
        f"permits: {len(permits)} suppressed rows, {len(small)} small, {len(_exact(small))} small exact, "
        f"{len(_exact(permits))} complements exact"
    )
    assert len(small) > 300 and _exact(small).empty


def test_no_small_count_is_bounded_inside_its_protection_interval(sample, full_year):
    for name, attacked in (("sample", sample), ("full year", full_year)):
        small = _small(attacked)
        inside = small[_inside_protection(small)]
        print(  # the figures docs/release.md gives (pytest -rP)
            f"{name}: {len(attacked)} suppressed rows in two releases, {len(small)} small, "
            f"{len(_exact(attacked))} exact, {int(_inside_protection(attacked).sum())} inside ±10 % "
            "(complements included)"
        )
        assert len(small) > 50  # the sample's and the full year's small cells are attacked
        assert inside.empty, f"{len(inside)} of {len(small)} small counts inside the protection interval"
