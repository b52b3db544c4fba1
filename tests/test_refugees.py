"""REF_HOSTED, REF_HOSTED_PER_100K and SM_POP_REFG_OR on a hand-checked case, through the real job."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import query

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

POPULATION_2020 = {  # thousands (Ribu Jiwa): Indonesia 1,000,000 persons, Jawa Tengah 100,000
    "status": "OK",
    "data-availability": "available",
    "var": [{"val": 1975, "label": "Jumlah Penduduk", "unit": "Ribu Jiwa"}],
    "turvar": [
        {"val": 1, "label": "Laki-laki"},
        {"val": 2, "label": "Perempuan"},
        {"val": 3, "label": "Jumlah"},
    ],
    "labelvervar": "Provinsi",
    "vervar": [{"val": 3300, "label": "JAWA TENGAH"}, {"val": 9999, "label": "INDONESIA"}],
    "tahun": [{"val": 120, "label": "2020"}],
    "turtahun": [{"val": 0, "label": "Tahun"}],
    "datacontent": {
        "3300197511200": 50.0,
        "3300197521200": 50.0,
        "3300197531200": 100.0,
        "9999197511200": 500.0,
        "9999197521200": 500.0,
        "9999197531200": 1000.0,
    },
}


def item(year: int, origin: tuple[str, str], asylum: tuple[str, str], refugees, asylum_seekers) -> dict:
    return {
        "year": year,
        "coo_iso": origin[0],
        "coo_name": origin[1],
        "coa_iso": asylum[0],
        "coa_name": asylum[1],
        "refugees": refugees,
        "asylum_seekers": asylum_seekers,
        "oip": 0,
    }


INDONESIA = ("IDN", "Indonesia")
HOSTED_2020 = [  # pages of one item each, a count as a string, and UNHCR's total ("-"), which agrees
    {
        "page": 1,
        "maxPages": 3,
        "total": 3,
        "items": [item(2020, ("AFG", "Afghanistan"), INDONESIA, 300, "100")],
    },
    {"page": 2, "maxPages": 3, "total": 3, "items": [item(2020, ("SOM", "Somalia"), INDONESIA, 50, 50)]},
    {"page": 3, "maxPages": 3, "total": 3, "items": [item(2020, ("-", "-"), INDONESIA, 350, 150)]},
]
FROM_INDONESIA_2020 = {
    "page": 1,
    "maxPages": 1,
    "total": 3,
    "items": [  # the total over all countries of asylum ("-") is not counted beside them
        item(2020, INDONESIA, ("AUS", "Australia"), 90, 4),
        item(2020, INDONESIA, ("-", "-"), 100, 5),
        item(2020, INDONESIA, ("USA", "United States of America"), 10, 1),
    ],
}
SNAPSHOT_2020_07 = """country_of_origin,population_type,sex,age_group,location,count
Afghanistan,Refugee,Male,18-59,Jakarta,10
Afganistan,Asylum-seeker,Female,0-4,Medan,5
Somalia,Pengungsi,P,18-59,Jakarta,5
"""


@pytest.fixture
def published(raw_root: Path, refresh: Callable, warehouse_dir: Path) -> Path:
    (raw_root / "bps").mkdir()
    (raw_root / "unhcr").mkdir()
    (raw_root / "bps" / "penduduk_1975_2020.json").write_text(json.dumps(POPULATION_2020))
    (raw_root / "unhcr" / "population_coa_IDN_2020.json").write_text(json.dumps(HOSTED_2020))
    (raw_root / "unhcr" / "population_coo_IDN_2020.json").write_text(json.dumps(FROM_INDONESIA_2020))
    (raw_root / "unhcr" / "snapshot_indonesia_2020_07.csv").write_text(SNAPSHOT_2020_07)
    assert refresh().success
    return warehouse_dir / "sdmi.duckdb"


def observations(published: Path, where: str) -> list[tuple]:
    return query(
        published,
        f"""SELECT indicator_id, freq, time_period, counterpart_area, sex, age, population_type, location,
                   round(value, 6), unit
            FROM indicators.observations WHERE {where} ORDER BY ALL""",
    )


def test_annual_hosted_by_origin_and_population_type(published: Path) -> None:
    rows = observations(
        published,
        "indicator_id = 'REF_HOSTED' AND freq = 'A' "
        "AND NOT (counterpart_area <> '_T' AND population_type <> '_T')",
    )
    assert rows == [
        ("REF_HOSTED", "A", "2020", "AFG", "_T", "_T", "_T", "_T", 400.0, "persons"),
        ("REF_HOSTED", "A", "2020", "SOM", "_T", "_T", "_T", "_T", 100.0, "persons"),
        ("REF_HOSTED", "A", "2020", "_T", "_T", "_T", "ASY", "_T", 150.0, "persons"),
        ("REF_HOSTED", "A", "2020", "_T", "_T", "_T", "REF", "_T", 350.0, "persons"),
        ("REF_HOSTED", "A", "2020", "_T", "_T", "_T", "_T", "_T", 500.0, "persons"),
    ]


def test_monthly_hosted_from_the_snapshot(published: Path) -> None:
    total = "counterpart_area = '_T' AND population_type = '_T' AND location = '_T'"
    assert observations(
        published, f"indicator_id = 'REF_HOSTED' AND freq = 'M' AND {total} AND age = '_T'"
    ) == [
        ("REF_HOSTED", "M", "2020-07", "_T", "F", "_T", "_T", "_T", 10.0, "persons"),
        ("REF_HOSTED", "M", "2020-07", "_T", "M", "_T", "_T", "_T", 10.0, "persons"),
        ("REF_HOSTED", "M", "2020-07", "_T", "_T", "_T", "_T", "_T", 20.0, "persons"),
    ]
    by_location = observations(
        published, "indicator_id = 'REF_HOSTED' AND freq = 'M' AND location <> '_T' AND sex = '_T'"
    )
    assert [(row[7], row[8]) for row in by_location] == [("Jakarta", 15.0), ("Medan", 5.0)]
    by_age = observations(
        published, "indicator_id = 'REF_HOSTED' AND freq = 'M' AND age <> '_T' AND sex = '_T'"
    )
    assert [(row[5], row[8]) for row in by_age] == [("Y0T4", 5.0), ("Y18T59", 15.0)]


def test_rates_per_100k_use_bps_population(published: Path) -> None:
    assert observations(published, "indicator_id IN ('REF_HOSTED_PER_100K', 'SM_POP_REFG_OR')") == [
        ("REF_HOSTED_PER_100K", "A", "2020", "_T", "_T", "_T", "_T", "_T", 50.0, "per 100,000"),  # 500 / 1e6
        ("REF_HOSTED_PER_100K", "M", "2020-07", "_T", "_T", "_T", "_T", "_T", 2.0, "per 100,000"),  # 20 / 1e6
        # refugees from Indonesia, 90 + 10, over (1,000,000 + 100); asylum-seekers are not refugees
        (
            "SM_POP_REFG_OR",
            "A",
            "2020",
            "_T",
            "_T",
            "_T",
            "REF",
            "_Z",
            round(1e7 / 1_000_100, 6),
            "per 100,000",
        ),
    ]


def test_rejects_and_provenance(published: Path) -> None:
    rejects = query(
        published,
        """SELECT path, line, column_name, value FROM meta.rejects
           WHERE source IN ('unhcr_population', 'unhcr_snapshot', 'bps_population') ORDER BY path, line""",
    )
    assert rejects == []  # bad cells refuse these files whole: tests/test_faults.py
    files = query(
        published,
        """SELECT path, rows_read, rows_accepted, rows_rejected, status FROM meta.raw_files
           WHERE source <> 'kp2mi_placements' ORDER BY path""",
    )
    assert files == [
        ("bps/penduduk_1975_2020.json", 6, 6, 0, "loaded"),
        ("unhcr/population_coa_IDN_2020.json", 3, 3, 0, "loaded"),
        ("unhcr/population_coo_IDN_2020.json", 3, 3, 0, "loaded"),
        ("unhcr/snapshot_indonesia_2020_07.csv", 3, 3, 0, "loaded"),
    ]
    population = query(published, "SELECT province, sex, population FROM core.population ORDER BY ALL")
    assert population == [
        ("33", "F", 50_000.0),
        ("33", "M", 50_000.0),
        ("33", "_T", 100_000.0),
        ("_T", "F", 500_000.0),
        ("_T", "M", 500_000.0),
        ("_T", "_T", 1_000_000.0),
    ]
