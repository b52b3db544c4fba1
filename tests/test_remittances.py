"""REMIT_INFLOW and BX_TRF_PWKR (SDG 17.3.2) through the real job, on the shipped sample and on
hand-checked tables with a value not available and a quarantined revision."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.contracts.checks import MONTHS_MISMATCH_SQL, totals_mismatch_sql
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.samples.remittances import (
    check_remittance_samples,
    remittance_workbook,
    write_remittance_samples,
)
from sdmi_pipeline.warehouse.resource import create_documented_table
from tests.conftest import query
from tests.workbooks import workbook_bytes

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

GDP_2022 = 1_319_100.22  # World Bank WDI, USD million (data/raw/bps/pdb_usd.csv)


def observations(published: Path, where: str) -> list[tuple]:
    return query(
        published,
        f"""SELECT indicator_id, freq, time_period, counterpart_area, value, unit, source
            FROM indicators.observations WHERE {where} ORDER BY ALL""",
    )


def values(published: Path, where: str) -> dict[str, float]:
    rows = query(
        published,
        f"""SELECT counterpart_area, value FROM indicators.observations
            WHERE indicator_id = 'REMIT_INFLOW' AND {where}""",
    )
    return dict(rows)


def check_results(result) -> dict[tuple[str, str], bool]:
    return {
        (evaluation.asset_key.to_user_string(), evaluation.check_name): evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
    }


# --- The shipped sample --------------------------------------------------------------------------


@pytest.fixture
def sample(raw_root: Path, refresh: Callable, warehouse_dir: Path) -> Path:
    write_remittance_samples(raw_root)
    result = refresh()
    assert result.success
    assert check_results(result)[("indicators/observations", "totals_add_up")] is True
    return warehouse_dir / "sdmi.duckdb"


def test_the_shipped_files_are_what_the_generator_writes(tmp_path):
    written = write_remittance_samples(tmp_path)
    for path in written:
        shipped = PROJECT_ROOT / "data" / "raw" / path.relative_to(tmp_path)
        assert shipped.read_bytes() == path.read_bytes(), f"{shipped} is not what the generator writes"
    assert remittance_workbook() == remittance_workbook()
    summary = check_remittance_samples(tmp_path)
    assert summary["remittances 2022 (USD million)"] == "9,710.00"
    assert summary["rest of the world (Lainnya)"] == "469.00"


def test_remittances_2022_come_back_exactly_by_host_country(sample: Path):
    assert values(sample, "freq = 'A' AND time_period = '2022'") == {
        "SAU": 2830.0,
        "MYS": 2570.0,
        "TWN": 1470.0,
        "HKG": 1370.0,
        "SGP": 607.0,
        "ARE": 199.0,
        "JOR": 195.0,
        "_O": 469.0,
        "_T": 9710.0,
    }
    assert observations(
        sample, "indicator_id = 'REMIT_INFLOW' AND freq = 'A' AND counterpart_area = '_T'"
    ) == [("REMIT_INFLOW", "A", "2022", "_T", 9710.0, "USD million", "Bank Indonesia")]


def test_quarterly_values_by_host_and_in_total(sample: Path):
    totals = query(
        sample,
        """SELECT time_period, value FROM indicators.observations
           WHERE indicator_id = 'REMIT_INFLOW' AND freq = 'Q' AND counterpart_area = '_T' ORDER BY 1""",
    )
    assert totals == [("2022-Q1", 2291.55), ("2022-Q2", 2544.02), ("2022-Q3", 2408.08), ("2022-Q4", 2466.35)]
    saudi = query(
        sample,
        """SELECT time_period, value FROM indicators.observations
           WHERE indicator_id = 'REMIT_INFLOW' AND freq = 'Q' AND counterpart_area = 'SAU' ORDER BY 1""",
    )
    assert saudi == [("2022-Q1", 667.88), ("2022-Q2", 741.46), ("2022-Q3", 701.84), ("2022-Q4", 718.82)]
    assert query(
        sample,
        """SELECT count(*), count(DISTINCT counterpart_area), min(sex), max(location), min(obs_status)
           FROM indicators.observations WHERE indicator_id = 'REMIT_INFLOW' AND freq = 'Q'""",
    ) == [(36, 9, "_Z", "_Z", "A")]


def test_remittances_as_a_share_of_gdp(sample: Path):
    rows = query(
        sample,
        """SELECT time_period, counterpart_area, round(value, 10), unit, source, obs_status,
                  vintage IS NOT NULL
           FROM indicators.observations WHERE indicator_id = 'BX_TRF_PWKR'""",
    )
    assert rows == [("2022", "_T", 0.7361078296, "percent", "Bank Indonesia, BPS", "A", True)]
    assert rows[0][2] == round(9710 / GDP_2022 * 100, 10)
    # 2023 has GDP but no remittances: no share.
    assert query(sample, "SELECT year FROM core.gdp ORDER BY year") == [(2022,), (2023,)]


def test_core_tables_keep_the_exact_values_and_their_rows(sample: Path):
    assert query(
        sample,
        """SELECT year, quarter, host, host_label, value_usd_million, source_file, source_line
           FROM core.remittances WHERE host IN ('SAU', '_O') AND quarter = '2022-Q1' ORDER BY host""",
    ) == [
        (2022, "2022-Q1", "SAU", "Arab Saudi", Decimal("667.88"), "bi/remitansi_pmi.xlsx", 6),
        (2022, "2022-Q1", "_O", "Lainnya", Decimal("110.68"), "bi/remitansi_pmi.xlsx", 13),
    ]
    assert query(sample, "SELECT sum(value_usd_million) FROM core.remittances") == [(9710,)]
    assert query(
        sample,
        """SELECT rows_read, rows_accepted, rows_rejected, status FROM meta.raw_files
           WHERE source = 'bi_remittances'""",
    ) == [(8, 8, 0, "loaded")]


# --- A value not available, and a revision that does not reconcile --------------------------------

HEADER = ["Negara", "Tw I 2023", "Tw II 2023", "Tw III 2023", "Tw IV 2023"]
COMPLETE = [
    ["Malaysia", 100.5, 110.25, 120, 130],
    ["Jordan", 10, 10, 10, 10],
    ["Lainnya", 5, 5, 5.5, 5],
    ["Total", 115.5, 125.25, 135.5, 145],
]
WITH_A_GAP = [
    ["Malaysia", 100.5, 110.25, 120, 130],
    ["Jordan", 10, "..", 10, 10],
    ["Lainnya", 5, 5, 5.5, 5],
    ["Total", 115.5, 125.25, 135.5, 145],
]


def deliver(raw_root: Path, rows: list[list], gdp: str = "tahun;pdb_usd_juta\n2023;1.371.171\n") -> None:
    (raw_root / "bi").mkdir(exist_ok=True)
    (raw_root / "bps").mkdir(exist_ok=True)
    (raw_root / "bi" / "remitansi_pmi.xlsx").write_bytes(
        workbook_bytes({"Tabel": [["Remitansi PMI (Juta USD)"], [], HEADER, *rows]})
    )
    (raw_root / "bps" / "pdb_usd.csv").write_text(gdp)


def test_a_value_not_available_leaves_its_quarter_and_year_without_a_total(
    raw_root: Path, refresh: Callable, warehouse_dir: Path
):
    deliver(raw_root, WITH_A_GAP)
    result = refresh()
    assert result.success
    assert check_results(result)[("indicators/observations", "totals_add_up")] is True
    published = warehouse_dir / "sdmi.duckdb"
    assert values(published, "time_period = '2023-Q2'") == {"MYS": 110.25, "_O": 5.0}
    assert values(published, "time_period = '2023-Q3'") == {"MYS": 120.0, "JOR": 10.0, "_O": 5.5, "_T": 135.5}
    assert values(published, "freq = 'A'") == {"MYS": 460.75, "_O": 20.5}
    assert observations(published, "indicator_id = 'BX_TRF_PWKR'") == []
    assert query(
        published, "SELECT value_usd_million FROM core.remittances WHERE host = 'JOR' ORDER BY quarter"
    ) == [
        (10,),
        (None,),
        (10,),
        (10,),
    ]


@pytest.mark.slow
def test_a_revision_that_does_not_reconcile_keeps_the_published_figures(
    raw_root: Path, refresh: Callable, warehouse_dir: Path
):
    deliver(raw_root, COMPLETE)
    assert refresh().success
    published = warehouse_dir / "sdmi.duckdb"
    before = values(published, "freq = 'A'")
    assert before == {"MYS": 460.75, "JOR": 40.0, "_O": 20.5, "_T": 521.25}
    share = observations(published, "indicator_id = 'BX_TRF_PWKR'")
    assert share == [
        (
            "BX_TRF_PWKR",
            "A",
            "2023",
            "_T",
            pytest.approx(521.25 / 1_371_171 * 100),
            "percent",
            "Bank Indonesia, BPS",
        )
    ]

    revised = [list(row) for row in COMPLETE]
    revised[0][1] = 200.5  # Malaysia Q1 revised, the Total row not
    deliver(raw_root, revised)
    result = refresh()
    assert result.success  # the file fails; the build, its checks and the publication do not
    assert values(published, "freq = 'A'") == before
    assert query(
        published,
        """SELECT line, column_name, value FROM meta.rejects r JOIN meta.raw_files f USING (path, sha256)
           WHERE f.status = 'failed'""",
    ) == [(7, "Tw I 2023", "115.5")]
    assert check_results(result)[("staging/bi_remittances", "files_readable")] is False


# --- totals_add_up on amounts ----------------------------------------------------------------------


def observation(indicator: str, freq: str, period: str, area: str, value: float, unit: str) -> tuple:
    return (indicator, freq, period, "IDN", area, *["_Z"] * 9, value, unit, "A", "test", "2024-01-01")


def mismatches(rows: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA indicators")
    create_documented_table(connection, "indicators.observations")
    connection.executemany(f"INSERT INTO indicators.observations VALUES ({', '.join(['?'] * 19)})", rows)
    breakdowns = connection.execute(totals_mismatch_sql()).fetchall()
    years = connection.execute(MONTHS_MISMATCH_SQL).fetchall()
    return [row[:5] for row in breakdowns], [
        (row[0], *row[2:4], row[5], round(row[15], 9), row[16]) for row in years
    ]


def test_totals_add_up_checks_amounts_by_host_and_quarters_against_the_year():
    usd = "USD million"
    rows = [
        observation("REMIT_INFLOW", "Q", "2022-Q1", "SAU", 0.1, usd),
        observation("REMIT_INFLOW", "Q", "2022-Q1", "_O", 0.2, usd),
        observation("REMIT_INFLOW", "Q", "2022-Q1", "_T", 0.3, usd),  # 0.1 + 0.2 in DOUBLE is not 0.3
        observation("REMIT_INFLOW", "Q", "2022-Q2", "SAU", 1.0, usd),
        observation("REMIT_INFLOW", "Q", "2022-Q2", "_T", 1.5, usd),  # _O forgotten
        observation("REMIT_INFLOW", "Q", "2022-Q3", "SAU", 2.0, usd),  # no total: a cell not available
        observation("REMIT_INFLOW", "A", "2022", "_T", 9.0, usd),
        observation("PMI_PLACED", "M", "2022-01", "MYS", 5.0, "persons"),  # a count needs its total
    ]
    breakdowns, years = mismatches(rows)
    assert breakdowns == [
        ("PMI_PLACED", "M", "2022-01", "IDN", "counterpart_area"),
        ("REMIT_INFLOW", "Q", "2022-Q2", "IDN", "counterpart_area"),
    ]
    assert years == [("REMIT_INFLOW", "Q", "2022", "_T", 1.8, 9.0)]  # the quarters' totals are not the year's
