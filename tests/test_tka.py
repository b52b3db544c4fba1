"""TKA_NEW and TKA_STOCK from two yearly permit files, checked by hand, through the real job."""

from collections.abc import Callable
from pathlib import Path

import pytest

from sdmi_pipeline.ingest.readers.kemnaker_permits import SPEC_COLUMNS
from tests.conftest import query

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

HEADER = ",".join(SPEC_COLUMNS)
PERMITS_2022 = [
    "P1,India,L,Profesional,Jasa,62019,Jawa Barat,2022-11-15,2023-02-14",
    "P2,Malaysia,P,Komisaris,Jasa,,Bali,2022-12-01,2023-11-30",
]
PERMITS_2023 = [
    "P3,Tiongkok,L,Teknisi / Supervisor,Industri,24202,Sulawesi Tengah,2023-01-10,2023-07-09",
    "P4,Jepang,P,Manajer,Jasa,,Lintas Provinsi,2023-02-01,2024-01-31",
    "P5,RRT,Laki-laki,Profesional,Industri,24202,Maluku Utara,20/03/2023,31/12/2023",
    "P2,Malaysia,P,Komisaris,Jasa,,Bali,2023-12-01,2024-11-30",
    "P6,Narnia,L,Direksi,Jasa,,DKI Jakarta,2023-03-01,2024-02-28",
    "P7,India,L,Direksi,Jasa,,DKI Jakarta,2023-03-01,2023-02-28",
]


@pytest.fixture
def permits(raw_root: Path) -> Path:
    folder = raw_root / "kemnaker" / "tka"
    folder.mkdir(parents=True)
    (folder / "tka_2022.csv").write_text("\n".join([HEADER, *PERMITS_2022]) + "\n", encoding="utf-8")
    (folder / "tka_2023.csv").write_text("\n".join([HEADER, *PERMITS_2023]) + "\n", encoding="utf-8")
    return folder


def totals(published: Path, indicator: str) -> dict[tuple[str, str], tuple[float, str]]:
    rows = query(
        published,
        """SELECT freq, time_period, value, obs_status FROM indicators.observations
           WHERE indicator_id = ? AND counterpart_area = '_T' AND sex = '_T' AND province = '_T'
             AND sector = '_T' AND occupation = '_T'""",
        [indicator],
    )
    return {(freq, period): (value, status) for freq, period, value, status in rows}


@pytest.fixture
def published(permits: Path, refresh: Callable, warehouse_dir: Path) -> Path:
    assert refresh().success
    return warehouse_dir / "sdmi.duckdb"


def test_rejects_name_the_repeat_across_files_the_unknown_nationality_and_the_reversed_validity(
    published: Path,
) -> None:
    rejects = query(
        published,
        """SELECT path, line, column_name, value, reason FROM meta.rejects
           WHERE source = 'kemnaker_permits' ORDER BY line""",
    )
    assert rejects == [
        (
            "kemnaker/tka/tka_2023.csv",
            5,
            "no_notifikasi",
            "P2",
            "no_notifikasi repeated across files: already in kemnaker/tka/tka_2022.csv line 3",
        ),
        (
            "kemnaker/tka/tka_2023.csv",
            6,
            "kewarganegaraan",
            "Narnia",
            "nationality is missing or not a known country name",
        ),
        (
            "kemnaker/tka/tka_2023.csv",
            7,
            "tanggal_akhir",
            "2023-02-28",
            "permit ends (tanggal_akhir) before it starts (tanggal_mulai)",
        ),
    ]
    files = query(
        published,
        "SELECT path, rows_read, rows_accepted, rows_rejected FROM meta.raw_files "
        "WHERE source = 'kemnaker_permits' ORDER BY path",
    )
    assert files == [("kemnaker/tka/tka_2022.csv", 2, 2, 0), ("kemnaker/tka/tka_2023.csv", 6, 3, 3)]


def test_new_permits_count_by_start(published: Path) -> None:
    assert totals(published, "TKA_NEW") == {
        ("A", "2022"): (2.0, "A"),
        ("A", "2023"): (3.0, "A"),
        ("M", "2022-11"): (1.0, "A"),
        ("M", "2022-12"): (1.0, "A"),
        ("M", "2023-01"): (1.0, "A"),
        ("M", "2023-02"): (1.0, "A"),
        ("M", "2023-03"): (1.0, "A"),
    }
    by_sex = query(
        published,
        """SELECT sex, value FROM indicators.observations WHERE indicator_id = 'TKA_NEW' AND freq = 'A'
           AND time_period = '2023' AND sex <> '_T' AND counterpart_area = '_T' AND province = '_T'
           AND sector = '_T' AND occupation = '_T' ORDER BY sex""",
    )
    assert by_sex == [("F", 1.0), ("M", 2.0)]


def test_stock_counts_permits_valid_at_month_end_across_files(published: Path) -> None:
    stock = totals(published, "TKA_STOCK")
    # 2022 has no earlier file: its stocks are provisional. 2023 months end at the latest start
    # (March). Months with no valid permit (2022-01 to 2022-10) have no observation.
    assert stock == {
        ("M", "2022-11"): (1.0, "P"),
        ("M", "2022-12"): (2.0, "P"),
        ("A", "2022"): (2.0, "P"),
        ("M", "2023-01"): (3.0, "A"),  # P1 (to 14 Feb), P2 from 2022's file, P3
        ("M", "2023-02"): (3.0, "A"),  # P1 ended; P4 started
        ("M", "2023-03"): (4.0, "A"),  # P5 started
    }
    by_province = query(
        published,
        """SELECT province, value FROM indicators.observations WHERE indicator_id = 'TKA_STOCK'
           AND time_period = '2023-03' AND province <> '_T' AND sex = '_T' ORDER BY province""",
    )
    assert by_province == [("51", 1.0), ("72", 1.0), ("82", 1.0), ("LP", 1.0)]


def test_position_goes_in_the_occupation_column_and_nationality_in_counterpart_area(published: Path) -> None:
    rows = query(
        published,
        """SELECT counterpart_area, occupation, value, unit FROM indicators.observations
           WHERE indicator_id = 'TKA_NEW' AND freq = 'A' AND time_period = '2023' AND sex = '_T'
             AND province = '_T' AND sector = '_T' AND (counterpart_area <> '_T' OR occupation <> '_T')
           ORDER BY ALL""",
    )
    assert rows == [
        ("CHN", "_T", 2.0, "permits"),
        ("JPN", "_T", 1.0, "permits"),
        ("_T", "MANAGER", 1.0, "permits"),
        ("_T", "PROFESSIONAL", 1.0, "permits"),
        ("_T", "TECHNICIAN", 1.0, "permits"),
    ]
