"""`sdmi build` on the generated full year gives back BP2MI's published 2023 figures exactly."""

import subprocess
from pathlib import Path

import pytest

from sdmi_pipeline.definitions import REFRESH_JOB, defs
from sdmi_pipeline.samples.placements import PUBLISHED_2023, generate
from tests.conftest import query, sdmi_build

pytestmark = pytest.mark.slow  # builds the calibrated full year (about a minute)

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
    steps = len(defs.resolve_job_def(REFRESH_JOB).graph.node_names())
    assert f"[{steps - 1}/{steps}] published_warehouse" in completed.stderr
    assert f"[{steps}/{steps}] release" in completed.stderr


def test_no_suppressed_cell_of_the_full_year_release_can_be_recovered(full_year):
    import pandas as pd

    from tests.attacker import recoverable

    published, _ = full_year
    release = published.parent.parent / "exports" / "latest"
    observations = pd.read_parquet(release / "parquet" / "indicators.observations.parquet")
    suppressed = observations[observations["obs_status"] == "C"]
    assert len(suppressed) == 3082 and suppressed["value"].isna().all()
    found = recoverable(observations)
    # Only shares of 0 %, which the missing count row of a zero shows anyway.
    assert found["numerator"].all() and (found["recovered"].abs() < 1e-6).all(), found


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


def test_the_report_views_give_the_published_2023_figures(full_year):
    published, _ = full_year

    def year_2023(view: str, columns: str) -> list[tuple]:
        return query(published, f"SELECT {columns} FROM report.{view} WHERE year = 2023 AND month IS NULL")

    destinations = year_2023(
        "pmi_placed_by_destination", "destination, placed, women_percent, status_label_en"
    )
    assert {code: placed for code, placed, *_ in destinations if code in PUBLISHED_2023["destination"]} == (
        PUBLISHED_2023["destination"]
    )
    # A complete year: final figures, the total last, the share of women rounded to one decimal.
    assert destinations[-1] == ("_T", 274_965, round(100 * 167_863 / 274_965, 1), "Normal")
    assert destinations[0][0] == "TWN" and sum(row[1] for row in destinations[:-1]) == 274_965
    assert year_2023("pmi_placed_by_sex", "sex_label_id, placed") == [
        ("Perempuan", 167_863),
        ("Laki-laki", 107_102),
        ("Jumlah", 274_965),
    ]
    assert year_2023("pmi_placed_by_sector", "sector, placed") == [
        ("FORMAL", 152_760),
        ("INFORMAL", 122_205),
        ("_T", 274_965),
    ]
    provinces = dict(year_2023("pmi_placed_by_province", "province, placed"))
    assert {code: provinces[code] for code in PUBLISHED_2023["province"]} == PUBLISHED_2023["province"]
    months = query(
        published,
        "SELECT count(*), sum(placed) FROM report.pmi_placed_by_destination "
        "WHERE year = 2023 AND month IS NOT NULL AND destination = '_T'",
    )
    assert months == [(12, 274_965)]
