"""`sdmi build` on the shipped sample (data/raw) gives back the published figures exactly:
Kemnaker's 2023 foreign worker permits, UNHCR's refugees in Indonesia and BPS population."""

from pathlib import Path

import pytest

from tests.conftest import query

TKA_2023_TOTALS = "freq = 'A' AND time_period = '2023' AND indicator_id = 'TKA_NEW'"


@pytest.fixture(scope="module")
def published(shipped_warehouse: Path) -> Path:
    return shipped_warehouse


def tka_new_2023(published: Path, dimension: str) -> dict[str, float]:
    others = [d for d in ("counterpart_area", "sex", "province", "sector", "occupation") if d != dimension]
    rows = query(
        published,
        f"""SELECT {dimension}, value FROM indicators.observations
            WHERE {TKA_2023_TOTALS} AND {" AND ".join(f"{d} = '_T'" for d in others)}""",
    )
    return dict(rows)


def test_foreign_worker_permits_2023_come_back_exactly(published: Path) -> None:
    assert tka_new_2023(published, "sex") == {"_T": 168_048, "M": 144_334, "F": 23_714}
    nationality = tka_new_2023(published, "counterpart_area")
    assert {code: nationality[code] for code in ("CHN", "JPN", "KOR", "IND", "MYS")} == {
        "CHN": 82_623,
        "JPN": 15_961,
        "KOR": 15_660,
        "IND": 8_747,
        "MYS": 5_794,
    }
    assert tka_new_2023(published, "sector") == {
        "_T": 168_048,
        "SERVICES": 82_649,
        "INDUSTRY": 80_661,
        "AGRI_MARITIME": 4_738,
    }
    province = tka_new_2023(published, "province")
    assert {code: province[code] for code in ("72", "31", "32", "81", "82")} == {
        "72": 18_678,
        "31": 13_862,
        "32": 10_807,
        "81": 6_382,
        "82": 6_364,
    }
    assert province["LP"] > 0 and sum(v for k, v in province.items() if k != "_T") == 168_048


def test_the_bad_permits_and_the_repeat_across_files_are_rejected(published: Path) -> None:
    reasons = query(
        published,
        """SELECT reason FROM meta.rejects WHERE path = 'kemnaker/tka/tka_2023.csv' ORDER BY line""",
    )
    assert [reason for (reason,) in reasons] == [
        "no_notifikasi repeated across files: already in kemnaker/tka/tka_2022.csv line 1236",
        "permit ends (tanggal_akhir) before it starts (tanggal_mulai)",
        "nationality is missing or not a known country name",
        "permit id (no_notifikasi) repeated within the file",
        "sex is missing or not one of L/P/M/F/Laki-laki/Perempuan/Male/Female",
    ]


def test_stock_at_the_end_of_2023_counts_2022_permits_still_valid(published: Path) -> None:
    (stock,) = query(
        published,
        """SELECT value FROM indicators.observations WHERE indicator_id = 'TKA_STOCK' AND freq = 'A'
           AND time_period = '2023' AND counterpart_area = '_T' AND sex = '_T' AND province = '_T'
           AND sector = '_T' AND occupation = '_T'""",
    )[0]
    (expected,) = query(
        published,
        """SELECT count(*) FROM core.tka_permits
           WHERE start_date <= DATE '2023-12-31' AND end_date >= DATE '2023-12-31'""",
    )[0]
    (from_2022,) = query(
        published,
        """SELECT count(*) FROM core.tka_permits WHERE start_year = 2022 AND end_date >= DATE '2023-12-31'""",
    )[0]
    assert stock == expected and from_2022 == 33_421


def test_refugees_hosted_at_year_end_2015_to_2020(published: Path) -> None:
    rows = query(
        published,
        """SELECT time_period, value FROM indicators.observations WHERE indicator_id = 'REF_HOSTED'
           AND freq = 'A' AND counterpart_area = '_T' AND population_type = '_T' ORDER BY time_period""",
    )
    assert rows == [
        ("2015", 13_548),
        ("2016", 14_405),
        ("2017", 13_840),
        ("2018", 14_016),
        ("2019", 13_657),
        ("2020", 13_912),
    ]


def test_snapshot_july_2023(published: Path) -> None:
    rows = query(
        published,
        """SELECT counterpart_area, value FROM indicators.observations WHERE indicator_id = 'REF_HOSTED'
           AND time_period = '2023-07' AND counterpart_area IN ('_T', 'AFG', 'SOM', 'MMR') AND sex = '_T'
           AND age = '_T' AND population_type = '_T' AND location = '_T' ORDER BY counterpart_area""",
    )
    assert rows == [("AFG", 6_572), ("MMR", 879), ("SOM", 1_248), ("_T", 12_097)]


def test_rates_use_the_bps_population(published: Path) -> None:
    population = dict(
        query(published, "SELECT year, population FROM core.population WHERE province = '_T' AND sex = '_T'")
    )
    assert population[2020] == 270_203_900 and population[2023] == 278_696_200
    rates = dict(
        query(
            published,
            """SELECT time_period, value FROM indicators.observations
               WHERE indicator_id = 'REF_HOSTED_PER_100K' AND time_period IN ('2020', '2023-07')""",
        )
    )
    assert rates == pytest.approx({"2020": 13_912 / 2_702.039, "2023-07": 12_097 / 2_786.962})
    years = query(
        published, "SELECT time_period FROM indicators.observations WHERE indicator_id = 'SM_POP_REFG_OR'"
    )
    assert sorted(year for (year,) in years) == ["2015", "2016", "2017", "2018", "2019", "2020"]
