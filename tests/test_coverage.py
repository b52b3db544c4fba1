"""SDMI_COVERAGE (GCM objective 1) through the real job, and the totals check beside it."""

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.contracts.checks import MONTHS_MISMATCH_SQL, totals_mismatch_sql
from tests.conftest import query
from tests.test_refugees import HOSTED_2020, POPULATION_2020
from tests.test_tka import HEADER, PERMITS_2022

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

SOURCES = ["Bank Indonesia", "Bank Indonesia, BPS", "KP2MI", "Kemnaker", "UNHCR", "UNHCR, BPS"]
EXPECTED_CELLS = {  # per source and year: the §3 disaggregations plus the total of each indicator
    "Bank Indonesia": 2,  # REMIT_INFLOW: host country, total
    "Bank Indonesia, BPS": 1,  # BX_TRF_PWKR: total
    "KP2MI": 9,  # PMI_PLACED: 8 disaggregations, total
    "Kemnaker": 12,  # TKA_NEW and TKA_STOCK: 5 disaggregations, total
    "UNHCR": 6,  # REF_HOSTED: 5 disaggregations, total
    "UNHCR, BPS": 2,  # REF_HOSTED_PER_100K, SM_POP_REFG_OR: total
}


def coverage(published: Path) -> list[tuple]:
    return query(
        published,
        """SELECT source, year, expected_cells, cells_with_data, share, provisional
           FROM indicators.sdmi_coverage ORDER BY year, source""",
    )


def coverage_observations(published: Path) -> list[tuple]:
    return query(
        published,
        """SELECT time_period, source, value, unit, obs_status FROM indicators.observations
           WHERE indicator_id = 'SDMI_COVERAGE' AND freq = 'A' AND ref_area = 'IDN'
             AND counterpart_area = '_Z' AND sex = '_Z' AND age = '_Z' AND province = '_Z'
             AND education = '_Z' AND sector = '_Z' AND occupation = '_Z' AND scheme = '_Z'
             AND population_type = '_Z' AND location = '_Z'
           ORDER BY time_period, source""",
    )


def year_rows(year: int, with_data: dict[str, int], provisional: set[str] = frozenset()) -> list[tuple]:
    """Expected sdmi_coverage rows of a year: every source, then All sources."""
    rows = [
        (
            source,
            year,
            EXPECTED_CELLS[source],
            with_data.get(source, 0),
            100.0 * with_data.get(source, 0) / EXPECTED_CELLS[source],
            source in provisional,
        )
        for source in SOURCES
    ]
    total = sum(with_data.values())
    rows.append(("All sources", year, 32, total, 100.0 * total / 32, bool(provisional)))
    return sorted(rows, key=lambda row: row[0])


@pytest.fixture
def kp2mi_only(refresh: Callable, warehouse_dir: Path) -> Path:
    """The default raw root: two months (January, February 2023) of KP2MI placements."""
    assert refresh().success
    return warehouse_dir / "sdmi.duckdb"


def test_two_months_of_kp2mi_cover_every_placement_cell_of_2023_and_nothing_else(kp2mi_only: Path) -> None:
    assert coverage(kp2mi_only) == year_rows(2023, {"KP2MI": 9}, provisional={"KP2MI"})
    assert coverage(kp2mi_only)[0] == ("All sources", 2023, 32, 9, 28.125, True)
    assert coverage_observations(kp2mi_only) == [
        ("2023", "All sources", 28.125, "percent", "P"),
        ("2023", "Bank Indonesia", 0.0, "percent", "A"),
        ("2023", "Bank Indonesia, BPS", 0.0, "percent", "A"),
        ("2023", "KP2MI", 100.0, "percent", "P"),  # two months: the annual figures are provisional
        ("2023", "Kemnaker", 0.0, "percent", "A"),
        ("2023", "UNHCR", 0.0, "percent", "A"),
        ("2023", "UNHCR, BPS", 0.0, "percent", "A"),
    ]
    placements = query(
        kp2mi_only,
        """SELECT disaggregation, observation_column, holds_data FROM indicators.sdmi_coverage_cells
           WHERE indicator_id = 'PMI_PLACED' ORDER BY disaggregation""",
    )
    assert placements == [
        ("age", "age", True),
        ("destination", "counterpart_area", True),
        ("education", "education", True),
        ("occupation", "occupation", True),
        ("province", "province", True),
        ("scheme", "scheme", True),
        ("sector", "sector", True),
        ("sex", "sex", True),
        ("total", None, True),
    ]
    missing = query(
        kp2mi_only,
        """SELECT source, cells_without_data FROM indicators.sdmi_coverage
           WHERE source IN ('KP2MI', 'UNHCR', 'All sources') ORDER BY source""",
    )
    assert missing == [
        (
            "All sources",
            "Bank Indonesia: REMIT_INFLOW host country, REMIT_INFLOW total; Bank Indonesia, BPS: BX_TRF_PWKR "
            "total; Kemnaker: TKA_NEW nationality, TKA_NEW position, TKA_NEW province, TKA_NEW sector, "
            "TKA_NEW sex, TKA_NEW total, TKA_STOCK nationality, TKA_STOCK position, TKA_STOCK province, "
            "TKA_STOCK sector, TKA_STOCK sex, TKA_STOCK total; UNHCR: REF_HOSTED age, REF_HOSTED location, "
            "REF_HOSTED origin, REF_HOSTED population type, REF_HOSTED sex, REF_HOSTED total; UNHCR, BPS: "
            "REF_HOSTED_PER_100K total, SM_POP_REFG_OR total",
        ),
        ("KP2MI", None),
        (
            "UNHCR",
            "REF_HOSTED age, REF_HOSTED location, REF_HOSTED origin, REF_HOSTED population type, "
            "REF_HOSTED sex, REF_HOSTED total",
        ),
    ]


def test_expected_cells_are_the_catalogue_disaggregations_and_publishers(kp2mi_only: Path) -> None:
    cells = query(
        kp2mi_only,
        """SELECT c.indicator_id, any_value(c.source), any_value(k.source), any_value(k.disaggregations),
                  list(c.disaggregation ORDER BY c.disaggregation)
           FROM indicators.sdmi_coverage_cells AS c JOIN indicators.catalogue AS k USING (indicator_id)
           GROUP BY ALL ORDER BY ALL""",
    )
    assert [row[0] for row in cells] == [
        "BX_TRF_PWKR",
        "PMI_PLACED",
        "REF_HOSTED",
        "REF_HOSTED_PER_100K",
        "REMIT_INFLOW",
        "SM_POP_REFG_OR",
        "TKA_NEW",
        "TKA_STOCK",
    ]
    for indicator, source, catalogue_source, disaggregations, expected in cells:
        assert source == catalogue_source, indicator
        catalogue = sorted([*(disaggregations or "").split(", "), "total"]) if disaggregations else ["total"]
        assert expected == catalogue, indicator


@pytest.fixture
def four_years(raw_root: Path, refresh: Callable, warehouse_dir: Path) -> Path:
    """KP2MI January-February 2023, Kemnaker permits of 2022, UNHCR's 2020 answer for refugees in
    Indonesia and the 2020 population; no snapshot, no answer for refugees from Indonesia, nothing
    in 2021."""
    (raw_root / "kemnaker" / "tka").mkdir(parents=True)
    (raw_root / "kemnaker" / "tka" / "tka_2022.csv").write_text("\n".join([HEADER, *PERMITS_2022]) + "\n")
    (raw_root / "unhcr").mkdir()
    (raw_root / "unhcr" / "population_coa_IDN_2020.json").write_text(json.dumps(HOSTED_2020))
    (raw_root / "bps").mkdir()
    (raw_root / "bps" / "penduduk_1975_2020.json").write_text(json.dumps(POPULATION_2020))
    assert refresh().success  # the blocking checks, totals_add_up among them, pass
    return warehouse_dir / "sdmi.duckdb"


def test_every_year_from_the_first_to_the_last_with_data_is_covered(four_years: Path) -> None:
    assert coverage(four_years) == [
        # UNHCR's annual answer: total, by origin, by population type; no sex, age or location.
        # REF_HOSTED_PER_100K from it and the population; SM_POP_REFG_OR needs the coo=IDN answer.
        *year_rows(2020, {"UNHCR": 3, "UNHCR, BPS": 1}),
        *year_rows(2021, {}),
        # the 2022 stocks miss the permits of 2021, not delivered: provisional
        *year_rows(2022, {"Kemnaker": 12}, provisional={"Kemnaker"}),
        *year_rows(2023, {"KP2MI": 9}, provisional={"KP2MI"}),
    ]
    all_sources = [row for row in coverage_observations(four_years) if row[1] == "All sources"]
    assert all_sources == [
        ("2020", "All sources", 12.5, "percent", "A"),
        ("2021", "All sources", 0.0, "percent", "A"),
        ("2022", "All sources", 37.5, "percent", "P"),
        ("2023", "All sources", 28.125, "percent", "P"),
    ]
    refugees_2020 = query(
        four_years,
        """SELECT indicator_id, disaggregation, holds_data FROM indicators.sdmi_coverage_cells
           WHERE year = 2020 AND source LIKE 'UNHCR%' ORDER BY ALL""",
    )
    assert refugees_2020 == [
        ("REF_HOSTED", "age", False),
        ("REF_HOSTED", "location", False),
        ("REF_HOSTED", "origin", True),
        ("REF_HOSTED", "population type", True),
        ("REF_HOSTED", "sex", False),
        ("REF_HOSTED", "total", True),
        ("REF_HOSTED_PER_100K", "total", True),
        ("SM_POP_REFG_OR", "total", False),
    ]


OBSERVATION_COLUMNS = (
    "indicator_id VARCHAR, freq VARCHAR, time_period VARCHAR, ref_area VARCHAR, counterpart_area VARCHAR, "
    "sex VARCHAR, age VARCHAR, province VARCHAR, education VARCHAR, sector VARCHAR, occupation VARCHAR, "
    "scheme VARCHAR, population_type VARCHAR, location VARCHAR, value DOUBLE, unit VARCHAR, "
    "obs_status VARCHAR, source VARCHAR, vintage VARCHAR"
)


def observation(
    indicator: str, period: str, value: float, unit: str, source: str, **dimensions: str
) -> tuple:
    freq = "M" if "-" in period else "A"
    codes = [dimensions.get(name, "_T") for name in ("counterpart_area", "sex", "age", "province")]
    rest = [dimensions.get(name, "_Z") for name in ("education", "sector", "occupation", "scheme")]
    return (indicator, freq, period, "IDN", *codes, *rest, "_Z", "_Z", value, unit, "A", source, "2024-01-01")


def test_coverage_rows_do_not_disturb_the_totals_check() -> None:
    """Coverage shares per source are percentages with every dimension `_Z`: the check sums counts
    only, so they are neither breakdowns nor totals, and a real mismatch is still the only finding."""
    rows = [
        observation("PMI_PLACED", "2023", 10, "persons", "KP2MI"),
        observation("PMI_PLACED", "2023", 6, "persons", "KP2MI", sex="F"),
        observation("PMI_PLACED", "2023", 3, "persons", "KP2MI", sex="M"),  # 6 + 3 is not 10
        observation("PMI_PLACED", "2023-01", 10, "persons", "KP2MI"),
        *[
            observation("SDMI_COVERAGE", "2023", share, "percent", source)
            for source, share in [("KP2MI", 100.0), ("Kemnaker", 0.0), ("All sources", 28.125)]
        ],
    ]
    with duckdb.connect() as connection:
        connection.execute("CREATE SCHEMA indicators")
        connection.execute(f"CREATE TABLE indicators.observations ({OBSERVATION_COLUMNS})")
        connection.executemany(f"INSERT INTO indicators.observations VALUES ({', '.join(['?'] * 19)})", rows)
        breakdowns = connection.execute(totals_mismatch_sql()).fetchall()
        months = connection.execute(MONTHS_MISMATCH_SQL).fetchall()
    assert breakdowns == [("PMI_PLACED", "A", "2023", "IDN", "sex", 9.0, 10.0)]
    assert months == []
