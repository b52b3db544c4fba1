"""Published KP2MI tables against the record-level placements, and the months only tables cover,
through the real refresh job.

The raw root holds January and February 2023 at 1% (198 and 215 placements; see conftest). The
tables below cover January to March 2023: January agrees with the records, February's table
counts two more women than the records, and March has no record-level file.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.warehouse.resource import SCHEMAS
from sdmi_pipeline.warehouse.sql_assets import build_sql_table, sql_files
from tests.conftest import query, sdmi_build
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

TITLE = [["DATA PENEMPATAN PEKERJA MIGRAN INDONESIA"], ["Periode Januari - Maret 2023"], []]
SOURCE_NOTE = [[], ["Sumber: Pusdatin KP2MI"]]
BY_SEX = [  # records: January 81 men and 117 women; February 77 and 138
    ["No", "Jenis Kelamin", "Januari", "Februari", "Maret", "Jumlah"],
    [1, "Laki-laki", 81, 77, 100, 258],
    [2, "Perempuan", 117, 140, 150, 407],
    ["", "Jumlah", 198, 217, 250, 665],
]
# records: January Taiwan 62, Malaysia 55, Hong Kong 47 and 34 elsewhere; February 75, 48, 51 and 41
BY_COUNTRY = [
    ["No", "Negara Penempatan", "Jan", "Feb", "Mar", "Total"],
    [1, "Taiwan", 62, 75, 85, 222],
    [2, "Malaysia", 55, 48, 70, 173],
    [3, "Hongkong", 47, 51, 50, 148],
    [4, "Negara Lainnya", 34, 41, 45, 120],
    ["", "Total", 198, 215, 250, 663],
]
BY_PROVINCE = [  # January only, five provinces and no rest-of-Indonesia row; records: 198
    ["No", "Provinsi", "Januari"],
    [1, "JAWA TIMUR", 52],
    [2, "JAWA TENGAH", 37],
    [3, "JAWA BARAT", 47],
    [4, "NTB", 22],
    [5, "LAMPUNG", 13],
    ["", "JUMLAH", 171],
]
PUBLISHED_TABLE = "KP2MI (published table)"


def write_table(raw_root: Path, name: str, rows: list[list]) -> None:
    folder = raw_root / "kp2mi" / "publikasi"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(workbook_bytes({"Tabel": [*TITLE, *rows, *SOURCE_NOTE]}))


@pytest.fixture
def published(raw_root: Path, refresh: Callable, warehouse_dir: Path) -> Path:
    write_table(raw_root, "penempatan_menurut_jenis_kelamin_2023.xlsx", BY_SEX)
    write_table(raw_root, "penempatan_menurut_negara_2023.xlsx", BY_COUNTRY)
    write_table(raw_root, "penempatan_menurut_provinsi_2023.xlsx", BY_PROVINCE)
    result = refresh()
    assert result.success
    assert all(
        evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name != "rejected_rows"
    )
    return warehouse_dir / "sdmi.duckdb"


def reconciliation(published: Path, dimension: str) -> list[tuple]:
    return query(
        published,
        """SELECT month, code, label, record_count, published_count, difference, outcome
           FROM meta.reconciliation WHERE dimension = ? ORDER BY month, code = '_T', code""",
        [dimension],
    )


def test_agree_disagree_and_record_level_missing_by_sex(published: Path) -> None:
    assert reconciliation(published, "sex") == [
        ("2023-01", "F", "Perempuan", 117, 117, 0, "agree"),
        ("2023-01", "M", "Laki-laki", 81, 81, 0, "agree"),
        ("2023-01", "_T", "Jumlah", 198, 198, 0, "agree"),
        ("2023-02", "F", "Perempuan", 138, 140, -2, "disagree"),
        ("2023-02", "M", "Laki-laki", 77, 77, 0, "agree"),
        ("2023-02", "_T", "Jumlah", 215, 217, -2, "disagree"),
        ("2023-03", "F", "Perempuan", None, 150, None, "record-level missing"),
        ("2023-03", "M", "Laki-laki", None, 100, None, "record-level missing"),
        ("2023-03", "_T", "Jumlah", None, 250, None, "record-level missing"),
    ]


def test_countries_the_table_does_not_list_are_compared_with_its_rest_of_the_world_row(
    published: Path,
) -> None:
    rows = reconciliation(published, "destination")
    assert rows[:5] == [
        ("2023-01", "HKG", "Hongkong", 47, 47, 0, "agree"),
        ("2023-01", "MYS", "Malaysia", 55, 55, 0, "agree"),
        ("2023-01", "TWN", "Taiwan", 62, 62, 0, "agree"),
        ("2023-01", "_O", "Negara Lainnya", 34, 34, 0, "agree"),  # Japan 11, Korea 6, Singapore 6 ...
        ("2023-01", "_T", "Total", 198, 198, 0, "agree"),
    ]
    assert {(month, outcome) for month, *_, outcome in rows} == {
        ("2023-01", "agree"),
        ("2023-02", "agree"),
        ("2023-03", "record-level missing"),
    }
    assert len(rows) == 15


def test_values_only_the_records_have_count_zero_in_the_table(published: Path) -> None:
    rows = reconciliation(published, "province")
    listed = [row for row in rows if row[2] is not None]
    assert listed == [
        ("2023-01", "18", "LAMPUNG", 13, 13, 0, "agree"),
        ("2023-01", "32", "JAWA BARAT", 47, 47, 0, "agree"),
        ("2023-01", "33", "JAWA TENGAH", 37, 37, 0, "agree"),
        ("2023-01", "35", "JAWA TIMUR", 52, 52, 0, "agree"),
        ("2023-01", "52", "NTB", 22, 22, 0, "agree"),
        ("2023-01", "_T", "JUMLAH", 198, 171, 27, "disagree"),
    ]
    unlisted = [row for row in rows if row[2] is None]
    assert len(unlisted) == 17 and sum(row[3] for row in unlisted) == 27
    assert ("2023-01", "36", None, 4, 0, 4, "disagree") in unlisted
    assert {row[0] for row in rows} == {"2023-01"}  # the table covers January only


def test_a_month_only_tables_cover_is_published_from_them_and_no_other_month(published: Path) -> None:
    rows = query(
        published,
        """SELECT indicator_id, freq, time_period, counterpart_area, sex, province, sector, scheme, value,
                  obs_status
           FROM indicators.observations WHERE source = ? ORDER BY ALL""",
        [PUBLISHED_TABLE],
    )
    # March: the total all tables print, the breakdowns by country and sex, and the share of women.
    # (An unknown country would refuse the table whole: tests/test_faults.py.)
    assert rows == [
        ("PMI_PLACED", "M", "2023-03", "HKG", "_T", "_T", "_T", "_T", 50.0, "A"),
        ("PMI_PLACED", "M", "2023-03", "MYS", "_T", "_T", "_T", "_T", 70.0, "A"),
        ("PMI_PLACED", "M", "2023-03", "TWN", "_T", "_T", "_T", "_T", 85.0, "A"),
        ("PMI_PLACED", "M", "2023-03", "_O", "_T", "_T", "_T", "_T", 45.0, "A"),
        ("PMI_PLACED", "M", "2023-03", "_T", "F", "_T", "_T", "_T", 150.0, "A"),
        ("PMI_PLACED", "M", "2023-03", "_T", "M", "_T", "_T", "_T", 100.0, "A"),
        ("PMI_PLACED", "M", "2023-03", "_T", "_T", "_T", "_T", "_T", 250.0, "A"),
        ("PMI_PLACED_F_SHARE", "M", "2023-03", "_T", "_Z", "_T", "_T", "_T", 60.0, "A"),
    ]
    record_level = query(
        published,
        """SELECT time_period, value, obs_status, source FROM indicators.observations
           WHERE indicator_id = 'PMI_PLACED' AND counterpart_area = '_T' AND sex = '_T' AND age = '_T'
           AND province = '_T' AND education = '_T' AND sector = '_T' AND occupation = '_T' AND scheme = '_T'
           ORDER BY time_period""",
    )
    # 2023's annual value stays the record-level months', provisional; March is a month of its own.
    assert record_level == [
        ("2023", 413.0, "P", "KP2MI"),
        ("2023-01", 198.0, "A", "KP2MI"),
        ("2023-02", 215.0, "A", "KP2MI"),
        ("2023-03", 250.0, "A", PUBLISHED_TABLE),
    ]


def test_a_revision_that_does_not_add_up_is_quarantined_and_the_last_good_table_stays_published(
    published: Path, raw_root: Path, refresh: Callable
) -> None:
    revised = [list(row) for row in BY_SEX]
    revised[2][4] = 160  # women in March 150 → 160: their row and the March column no longer add up
    write_table(raw_root, "penempatan_menurut_jenis_kelamin_2023.xlsx", revised)
    assert refresh().success
    path = "kp2mi/publikasi/penempatan_menurut_jenis_kelamin_2023.xlsx"
    assert query(
        published, "SELECT status, is_current FROM meta.raw_files WHERE path = ? ORDER BY loaded_at", [path]
    ) == [("loaded", True), ("failed", False)]
    assert query(
        published,
        """SELECT r.line, r.column_name, r.value, r.reason FROM meta.rejects r
           JOIN meta.raw_files f USING (path, sha256) WHERE f.status = 'failed' ORDER BY r.line""",
    ) == [
        (6, "Jumlah", "407", "F6: the row's periods sum to 417 but the total says 407 (difference 10)"),
        (7, "Maret", "250", "E7: the column's rows sum to 260 but the total says 250 (difference 10)"),
    ]
    assert query(
        published,
        """SELECT value FROM indicators.observations WHERE source = ? AND indicator_id = 'PMI_PLACED'
           AND sex = 'F'""",
        [PUBLISHED_TABLE],
    ) == [(150.0,)]


# --- The shipped sample (data/raw/kp2mi): 2022 from the published tables, 2023 from records ------


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shipped_kp2mi")
    shutil.copytree(PROJECT_ROOT / "data" / "raw" / "kp2mi", root / "raw" / "kp2mi")
    completed = sdmi_build(root / "raw", root)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return root / "warehouse" / "sdmi.duckdb"


def placed_2022(shipped: Path, freq: str, dimension: str, period: str = "2022") -> dict[str, float]:
    others = [d for d in ("counterpart_area", "sex", "province", "sector", "scheme") if d != dimension]
    return dict(
        query(
            shipped,
            f"""SELECT {dimension}, value FROM indicators.observations
                WHERE indicator_id = 'PMI_PLACED' AND freq = ? AND time_period = ? AND source = ?
                AND {" AND ".join(f"{d} = '_T'" for d in others)}""",
            [freq, period, PUBLISHED_TABLE],
        )
    )


def test_the_shipped_2022_tables_give_kp2mis_published_figures(shipped: Path) -> None:
    destination = placed_2022(shipped, "A", "counterpart_area")
    top = sorted(destination.items(), key=lambda item: -item[1])[:7]
    assert top == [
        ("_T", 200_761),
        ("HKG", 60_096),
        ("TWN", 53_459),
        ("MYS", 43_163),
        ("KOR", 11_554),
        ("SGP", 6_624),
        ("JPN", 5_832),
    ]
    assert destination["BRN"] == 513 and destination["_O"] == 4_820  # Negara Lainnya, calibrated
    province = placed_2022(shipped, "A", "province")
    assert sorted(province.items(), key=lambda item: -item[1])[1:6] == [
        ("35", 51_348),
        ("33", 47_480),
        ("32", 33_285),
        ("52", 22_790),
        ("18", 14_052),
    ]
    assert len(province) == 35  # the 34 provinces of 2022 and the total
    assert placed_2022(shipped, "A", "sector") == {"_T": 200_761, "FORMAL": 115_944, "INFORMAL": 84_817}
    assert placed_2022(shipped, "A", "scheme") == {
        "_T": 200_761,
        "P2P": 175_123,
        "G2G": 11_445,
        "MANDIRI": 14_079,
        "UKPS": 114,
    }
    assert placed_2022(shipped, "M", "sex", "2022-10") == {"_T": 24_088, "F": 14_238, "M": 9_850}
    assert placed_2022(shipped, "M", "counterpart_area", "2022-02")["_T"] == 5_658
    shares = query(
        shipped,
        """SELECT indicator_id, round(value, 4) FROM indicators.observations
           WHERE freq = 'A' AND time_period = '2022' AND unit = 'percent'
               AND indicator_id LIKE 'PMI_PLACED%' ORDER BY indicator_id""",
    )
    assert shares == [
        ("PMI_PLACED_F_SHARE", 60.0002),
        ("PMI_PLACED_G2G_SHARE", 5.7008),
        ("PMI_PLACED_INFORMAL_SHARE", 42.2477),
    ]


def test_the_shipped_2022_tables_are_record_level_missing_and_2023_stays_record_level(shipped: Path) -> None:
    assert query(shipped, "SELECT outcome, count(*) FROM meta.reconciliation GROUP BY ALL") == [
        ("record-level missing", 12 * (17 + 35 + 3 + 3 + 5))  # 12 months x the values and totals
    ]
    assert query(
        shipped,
        "SELECT DISTINCT source FROM indicators.observations "
        "WHERE time_period LIKE '2023%' AND indicator_id LIKE 'PMI_PLACED%' ORDER BY 1",
    ) == [("KP2MI",)]
    assert query(
        shipped,
        """SELECT path, rows_read, rows_rejected, ignored_columns FROM meta.raw_files
           WHERE source = 'kp2mi_published' AND ignored_columns IS NOT NULL""",
    ) == [
        (
            "kp2mi/publikasi/penempatan_menurut_provinsi_2022.xlsx",
            35,
            0,
            "sheet 'Catatan' holds no table (no header cell naming province / province of origin / "
            "provinsi / provinsi asal)",
        )
    ]


# --- Which total, which breakdown: the SQL on hand-made current tables --------------------------


def observations_from_tables(published_rows: list[tuple]) -> list[tuple]:
    """indicators.observations_pmi_published built from `published_rows` (dimension, code, month, count)."""
    connection = duckdb.connect()
    for schema in SCHEMAS:
        connection.execute(f"CREATE SCHEMA {schema}")
    for table in ("core.pmi_placements", "core.pmi_monthly_counts", "core.pmi_published", "meta.raw_files"):
        connection.execute(contract_for(table).create_table_sql())
    connection.executemany(
        "INSERT INTO core.pmi_published BY NAME SELECT ? AS dimension, ? AS code, ? AS month, ? AS count, "
        "left(?, 4)::INTEGER AS year, 'f.xlsx' AS source_file, 1 AS source_line",
        [(*row, row[2]) for row in published_rows],
    )
    table = "indicators.observations_pmi_published"
    build_sql_table(connection, table, sql_files()[table].read_text(encoding="utf-8"))
    return connection.execute(
        f"""SELECT indicator_id, freq, time_period, counterpart_area, sex, province, round(value, 4)
            FROM {table} ORDER BY ALL"""
    ).fetchall()


def table_rows(dimension: str, month: str, counts: dict[str, int | None]) -> list[tuple]:
    return [(dimension, code, month, count) for code, count in counts.items()]


def test_the_total_most_tables_print_wins_and_a_breakdown_that_misses_it_is_withheld() -> None:
    rows = [
        *table_rows("destination", "2021-05", {"MYS": 60, "_O": 40, "_T": 100}),
        *table_rows("province", "2021-05", {"35": 70, "33": 30, "_T": 100}),
        *table_rows("sex", "2021-05", {"F": 61, "M": 40, "_T": 101}),  # a typo in KP2MI's sex table
        *table_rows("sex", "2021-06", {"F": 30, "M": 20, "_T": 50}),  # sex alone: its total is the total
        *table_rows("sector", "2021-06", {"FORMAL": None, "INFORMAL": 20, "_T": 50}),  # ".." withholds it
    ]
    assert observations_from_tables(rows) == [
        ("PMI_PLACED", "M", "2021-05", "MYS", "_T", "_T", 60.0),
        ("PMI_PLACED", "M", "2021-05", "_O", "_T", "_T", 40.0),
        ("PMI_PLACED", "M", "2021-05", "_T", "_T", "33", 30.0),
        ("PMI_PLACED", "M", "2021-05", "_T", "_T", "35", 70.0),
        ("PMI_PLACED", "M", "2021-05", "_T", "_T", "_T", 100.0),
        ("PMI_PLACED", "M", "2021-06", "_T", "F", "_T", 30.0),
        ("PMI_PLACED", "M", "2021-06", "_T", "M", "_T", 20.0),
        ("PMI_PLACED", "M", "2021-06", "_T", "_T", "_T", 50.0),
        ("PMI_PLACED_F_SHARE", "M", "2021-06", "_T", "_Z", "_T", 60.0),
    ]


def test_a_tie_between_two_totals_goes_to_the_table_by_destination() -> None:
    rows = [
        *table_rows("sex", "2021-05", {"F": 61, "M": 40, "_T": 101}),
        *table_rows("destination", "2021-05", {"MYS": 60, "_O": 40, "_T": 100}),
    ]
    totals = [row for row in observations_from_tables(rows) if row[3:6] == ("_T", "_T", "_T")]
    assert totals == [("PMI_PLACED", "M", "2021-05", "_T", "_T", "_T", 100.0)]


def test_a_year_of_twelve_published_months_has_annual_values_and_shares() -> None:
    rows = [
        row
        for month in range(1, 13)
        for row in table_rows("sex", f"2021-{month:02d}", {"F": month, "M": 1, "_T": month + 1})
    ]
    annual = [row for row in observations_from_tables(rows) if row[1] == "A"]
    assert annual == [  # women 1 + 2 + ... + 12 = 78, men 12
        ("PMI_PLACED", "A", "2021", "_T", "F", "_T", 78.0),
        ("PMI_PLACED", "A", "2021", "_T", "M", "_T", 12.0),
        ("PMI_PLACED", "A", "2021", "_T", "_T", "_T", 90.0),
        ("PMI_PLACED_F_SHARE", "A", "2021", "_T", "_Z", "_T", 86.6667),
    ]
