"""`sdmi build` on the generated full year gives back BP2MI's published 2023 figures exactly."""

import subprocess
from pathlib import Path

import pytest

from sdmi_pipeline.sample_data import PUBLISHED_2023, generate
from tests.conftest import query, sdmi_build

TOTALS = {
    "counterpart_area": "_T",
    "sex": "_T",
    "age": "_T",
    "province": "_T",
    "education": "_T",
    "sector": "_T",
    "occupation": "_T",
    "scheme": "_T",
}


@pytest.fixture(scope="module")
def full_year(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("full_year")
    generate(root / "raw", year=2023, scale=1.0, seed=2023, bad_rows=8)
    completed = sdmi_build(root / "raw", root)
    return root / "warehouse" / "sdmi.duckdb", completed


def annual(published: Path, indicator: str, **breakdown: str) -> float:
    cell = TOTALS | breakdown
    if indicator.endswith("_SHARE"):
        measured = {
            "PMI_PLACED_F_SHARE": "sex",
            "PMI_PLACED_INFORMAL_SHARE": "sector",
            "PMI_PLACED_G2G_SHARE": "scheme",
        }[indicator]
        cell[measured] = "_Z"
    where = " AND ".join(f"{column} = ?" for column in cell)
    rows = query(
        published,
        f"""SELECT value, obs_status FROM indicators.observations
        WHERE indicator_id = ? AND freq = 'A' AND time_period = '2023' AND {where}""",
        [indicator, *cell.values()],
    )
    assert len(rows) == 1 and rows[0][1] == "A", rows
    return rows[0][0]


def test_build_succeeds_and_summarises(full_year):
    _, completed = full_year
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "kp2mi_placements: 12 files, 12 read (0 unreadable), 0 unchanged" in completed.stdout
    assert "this build 274,965 rows accepted, 96 rejected" in completed.stdout
    assert "PMI_PLACED:" in completed.stdout
    assert "[96/96] published_warehouse" in completed.stderr


def test_published_2023_totals(full_year):
    published, _ = full_year
    assert annual(published, "PMI_PLACED") == 274_965
    assert annual(published, "PMI_PLACED", sex="F") == 167_863
    assert annual(published, "PMI_PLACED", sex="M") == 107_102
    assert annual(published, "PMI_PLACED", sector="FORMAL") == 152_760
    assert annual(published, "PMI_PLACED", sector="INFORMAL") == 122_205


@pytest.mark.parametrize("destination", sorted(PUBLISHED_2023["destination"]))
def test_published_2023_destinations(full_year, destination):
    published, _ = full_year
    expected = PUBLISHED_2023["destination"][destination]
    assert annual(published, "PMI_PLACED", counterpart_area=destination) == expected


@pytest.mark.parametrize("province", sorted(PUBLISHED_2023["province"]))
def test_published_2023_provinces(full_year, province):
    published, _ = full_year
    assert annual(published, "PMI_PLACED", province=province) == PUBLISHED_2023["province"][province]


def test_published_2023_shares(full_year):
    published, _ = full_year
    assert annual(published, "PMI_PLACED_F_SHARE") == pytest.approx(100 * 167_863 / 274_965, abs=1e-9)
    assert annual(published, "PMI_PLACED_INFORMAL_SHARE") == pytest.approx(100 * 122_205 / 274_965, abs=1e-9)
    g2g = query(published, "SELECT count(*) FROM core.pmi_placements WHERE scheme = 'G2G'")[0][0]
    assert annual(published, "PMI_PLACED_G2G_SHARE") == pytest.approx(100 * g2g / 274_965, abs=1e-9)


def test_twelve_months_add_up_to_the_year(full_year):
    published, _ = full_year
    months = query(
        published,
        """SELECT count(*), sum(value) FROM indicators.observations
        WHERE indicator_id = 'PMI_PLACED' AND freq = 'M' AND counterpart_area = '_T' AND sex = '_T'
        AND age = '_T' AND province = '_T' AND education = '_T' AND sector = '_T'
        AND occupation = '_T' AND scheme = '_T'""",
    )
    assert months == [(12, 274_965)]
