"""GCM objectives, the indicator map and the progress table, through the real job."""

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import query
from tests.test_refugees import HOSTED_2020, INDONESIA, POPULATION_2020, item

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

SPEC_MAP = {  # spec §3: indicator -> GCM objectives
    "PMI_PLACED": {5, 6},
    "PMI_PLACED_F_SHARE": {7},
    "PMI_PLACED_INFORMAL_SHARE": {6, 7},
    "PMI_PLACED_G2G_SHARE": {5, 23},
    "TKA_NEW": {5, 18},
    "TKA_STOCK": {5},
    "REF_HOSTED": {7, 13},
    "REF_HOSTED_PER_100K": {7},
    "SM_POP_REFG_OR": {2},
    "REMIT_INFLOW": {20},
    "BX_TRF_PWKR": {20},
    "SDMI_COVERAGE": {1},
}


def population(year: int, thousands: float) -> dict:
    """A BPS WebAPI answer with Indonesia's population of `year` (in thousands) and nothing else."""
    answer = copy.deepcopy(POPULATION_2020)
    tahun = year - 1900
    answer["vervar"] = [{"val": 9999, "label": "INDONESIA"}]
    answer["tahun"] = [{"val": tahun, "label": str(year)}]
    answer["datacontent"] = {
        f"99991975{turvar}{tahun}0": value
        for turvar, value in [(1, thousands / 2), (2, thousands / 2), (3, thousands)]
    }
    return answer


HOSTED_2021 = {
    "page": 1,
    "maxPages": 1,
    "total": 2,
    "items": [
        item(2021, ("AFG", "Afghanistan"), INDONESIA, 350, 100),
        item(2021, ("SOM", "Somalia"), INDONESIA, 100, 50),
    ],
}
FROM_INDONESIA_2021 = {
    "page": 1,
    "maxPages": 1,
    "total": 2,
    "items": [
        item(2021, INDONESIA, ("AUS", "Australia"), 120, 9),
        item(2021, INDONESIA, ("USA", "United States of America"), 30, 0),
    ],
}


@pytest.fixture
def published(raw_root: Path, refresh: Callable, warehouse_dir: Path) -> Path:
    """Two months of KP2MI 2023 (the default raw root), refugees hosted in 2020 (500) and 2021 (600),
    refugees from Indonesia in 2021 only (150), and the population of 2020 (1,000,000) and 2021
    (1,500,000)."""
    unhcr, bps = raw_root / "unhcr", raw_root / "bps"
    unhcr.mkdir()
    bps.mkdir()
    (unhcr / "population_coa_IDN_2020.json").write_text(json.dumps(HOSTED_2020))
    (unhcr / "population_coa_IDN_2021.json").write_text(json.dumps(HOSTED_2021))
    (unhcr / "population_coo_IDN_2021.json").write_text(json.dumps(FROM_INDONESIA_2021))
    (bps / "penduduk_1975_2020.json").write_text(json.dumps(population(2020, 1000.0)))
    (bps / "penduduk_1975_2021.json").write_text(json.dumps(population(2021, 1500.0)))
    assert refresh().success
    return warehouse_dir / "sdmi.duckdb"


def test_the_23_objectives_with_english_and_indonesian_titles(published: Path) -> None:
    objectives = query(published, "SELECT objective, title_en, title_id FROM indicators.gcm_objectives")
    assert [row[0] for row in objectives] == list(range(1, 24))
    assert objectives[0] == (
        1,
        "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
        "Mengumpulkan dan memanfaatkan data yang akurat dan terpilah sebagai dasar kebijakan berbasis bukti",
    )
    assert objectives[19][1] == (
        "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants"
    )
    assert objectives[22][1:] == (
        "Strengthen international cooperation and global partnerships for safe, orderly and regular "
        "migration",
        "Memperkuat kerja sama internasional dan kemitraan global untuk migrasi yang aman, tertib, dan "
        "teratur",
    )
    for column in (1, 2):
        titles = [row[column] for row in objectives]
        assert len(set(titles)) == 23 and all(title.strip() == title and len(title) > 20 for title in titles)
    assert all(title_en != title_id for _, title_en, title_id in objectives)
    described = query(
        published,
        """SELECT column_name, comment FROM duckdb_columns()
           WHERE schema_name = 'indicators' AND table_name = 'gcm_objectives' ORDER BY column_index""",
    )
    assert [name for name, _ in described] == ["objective", "title_en", "title_id"]
    assert all(" | " in comment for _, comment in described)


def test_the_map_is_the_catalogue_objectives_of_spec_3(published: Path) -> None:
    mapped = query(
        published, "SELECT indicator_id, objective, sdg_indicator FROM indicators.gcm_indicator_map"
    )
    catalogue = query(
        published,
        """SELECT indicator_id, gcm_objectives, sdg_indicator FROM indicators.catalogue
           WHERE indicator_id IN ?""",
        [list(SPEC_MAP)],
    )
    from_catalogue = {
        (indicator, int(objective), sdg)
        for indicator, objectives, sdg in catalogue
        for objective in objectives.split(",")
    }
    assert set(mapped) == from_catalogue
    assert len(mapped) == len(from_catalogue) == 17
    assert {(indicator, objective) for indicator, objective, _ in mapped} == {
        (indicator, objective) for indicator, objectives in SPEC_MAP.items() for objective in objectives
    }
    assert {(indicator, sdg) for indicator, _, sdg in mapped if sdg} == {
        ("SM_POP_REFG_OR", "10.7.4"),
        ("BX_TRF_PWKR", "17.3.2"),
    }


def progress(published: Path, where: str) -> list[tuple]:
    return query(
        published,
        f"""SELECT objective, indicator_id, unit, latest_year, round(latest_value, 6), latest_obs_status,
                   previous_year, round(previous_value, 6), previous_obs_status, comparison,
                   round(change, 6), round(change_percent, 6)
            FROM indicators.gcm_progress WHERE {where} ORDER BY objective, indicator_id""",
    )


def test_progress_gives_the_latest_year_the_year_before_and_the_change(published: Path) -> None:
    assert progress(published, "indicator_id LIKE 'REF%' OR indicator_id = 'SM_POP_REFG_OR'") == [
        # refugees from Indonesia, 120 + 30, per 100,000 of (1,500,000 + 150); no 2020 answer
        (
            2,
            "SM_POP_REFG_OR",
            "per 100,000",
            2021,
            round(1.5e7 / 1_500_150, 6),
            "A",
            2020,
            None,
            None,
            "NONE",  # indicators.figures: NO_PREVIOUS, never NULL where there is a value
            None,
            None,
        ),
        # refugees and asylum-seekers hosted: 500 in 2020, 600 in 2021, +100 (+20%)
        (7, "REF_HOSTED", "persons", 2021, 600.0, "A", 2020, 500.0, "A", "FULL_YEAR", 100.0, 20.0),
        # per 100,000: 500 / 1,000,000 = 50, then 600 / 1,500,000 = 40: -10 (-20%)
        (
            7,
            "REF_HOSTED_PER_100K",
            "per 100,000",
            2021,
            40.0,
            "A",
            2020,
            50.0,
            "A",
            "FULL_YEAR",
            -10.0,
            -20.0,
        ),
        (13, "REF_HOSTED", "persons", 2021, 600.0, "A", 2020, 500.0, "A", "FULL_YEAR", 100.0, 20.0),
    ]


def test_a_share_changes_in_percentage_points_and_provisional_values_say_so(published: Path) -> None:
    # Coverage, all sources: 9 of 32 cells in 2023 (the placements), none in 2022. 2023 has two
    # months of placements only, so its coverage is provisional, and a share has no same-months
    # basis: no change rather than +28.125 points against a full year.
    assert progress(published, "objective = 1") == [
        (1, "SDMI_COVERAGE", "percent", 2023, 28.125, "P", 2022, None, None, "NONE", None, None),
    ]
    placed, women = query(
        published, "SELECT count(*), count(*) FILTER (WHERE sex = 'F') FROM core.pmi_placements"
    )[0]
    assert placed == 413
    assert progress(published, "indicator_id IN ('PMI_PLACED', 'PMI_PLACED_F_SHARE')") == [
        (5, "PMI_PLACED", "persons", 2023, 413.0, "P", 2022, None, None, "NONE", None, None),
        (6, "PMI_PLACED", "persons", 2023, 413.0, "P", 2022, None, None, "NONE", None, None),
        (
            7,
            "PMI_PLACED_F_SHARE",
            "percent",
            2023,
            round(100 * women / placed, 6),
            "P",
            2022,
            None,
            None,
            "NONE",
            None,
            None,
        ),
    ]


def test_every_objective_is_listed_with_or_without_data(published: Path) -> None:
    rows = query(published, "SELECT objective, indicator_id, latest_value FROM indicators.gcm_progress")
    assert len(rows) == 31  # 17 mapped pairs, and one row for each of the 14 objectives without an indicator
    assert sorted({objective for objective, _, _ in rows}) == list(range(1, 24))
    unmapped = sorted(objective for objective, indicator, _ in rows if indicator is None)
    assert unmapped == [3, 4, 8, 9, 10, 11, 12, 14, 15, 16, 17, 19, 21, 22]
    without_data = sorted(
        (objective, indicator) for objective, indicator, value in rows if indicator and value is None
    )
    assert without_data == [
        (5, "TKA_NEW"),
        (5, "TKA_STOCK"),
        (18, "TKA_NEW"),
        (20, "BX_TRF_PWKR"),
        (20, "REMIT_INFLOW"),
    ]
    assert query(
        published,
        """SELECT objective_title_id, indicator_name_id, unit FROM indicators.gcm_progress
           WHERE objective = 20 ORDER BY indicator_id""",
    ) == [
        (
            "Mendorong pengiriman remitansi yang lebih cepat, lebih aman, dan lebih murah serta memperluas "
            "inklusi keuangan migran",
            "Remitansi sebagai persentase PDB",
            "percent",
        ),
        (
            "Mendorong pengiriman remitansi yang lebih cepat, lebih aman, dan lebih murah serta memperluas "
            "inklusi keuangan migran",
            "Remitansi masuk dari Pekerja Migran Indonesia",
            "USD million",
        ),
    ]
