"""Bank Indonesia's remittance table and the GDP file (spec §0, §2.6): reading, validation, loading."""

from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.loading import ingest_source
from sdmi_pipeline.ingest.readers.bi_remittances import read_remittance_table
from sdmi_pipeline.ingest.readers.bps_gdp import read_gdp_file
from sdmi_pipeline.ingest.readers.numbers import ENGLISH, INDONESIAN, printed_numbers
from sdmi_pipeline.ingest.readers.printed_table import TableRejectedError
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.sources import BI_REMITTANCES, BPS_GDP
from sdmi_pipeline.ingest.validation import validate_rows
from sdmi_pipeline.warehouse.resource import BOOKKEEPING_TABLES, SCHEMAS, create_documented_table
from tests.workbooks import workbook_bytes

WORKBOOK = Path("bi/remitansi_pmi.xlsx")
GDP_FILE = Path("bps/pdb_usd.csv")
TITLE = [["REMITANSI PEKERJA MIGRAN INDONESIA MENURUT NEGARA PENEMPATAN"], ["(Juta USD)"], []]
HEADER = ["Negara", "Tw I 2023", "Tw II 2023", "Total"]
BODY = [
    ["Arab Saudi", 700.55, "720.45", "1,421.00"],
    ["Malaysia", "1,000.25", 650, "1,650.25"],
    ["Hongkong", "..", 310.5, ""],
    ["Lainnya", 40, "-", 40],
]
CLOSING = ["Total", "2,040.80", "1,680.95", "3,111.25"]
NOTE = [[], ["Catatan: angka sementara."], ["Sumber: Bank Indonesia"]]


def table(body=BODY, closing=CLOSING, header=HEADER) -> list[list]:
    return [*TITLE, header, *body, closing, *NOTE]


def read(sheets: dict, merged: dict | None = None):
    return read_remittance_table(WORKBOOK, workbook_bytes(sheets, merged))


def validated(sheets: dict):
    read_file = read(sheets)
    return read_file, validate_rows(read_file.rows, read_file.raw, BI_REMITTANCES.contract, read_file.issues)


# --- The remittance table ------------------------------------------------------------------------


def test_a_table_becomes_one_row_per_host_and_quarter_with_its_sheet_row():
    read_file = read({"Tabel": table(), "Catatan": [["Catatan:"], ["Angka 2023 sementara."]], "Kosong": []})
    rows = read_file.rows
    assert list(rows.index) == [5, 5, 6, 6, 7, 7, 8, 8]
    assert rows["quarter"].tolist() == ["2023-Q1", "2023-Q2"] * 4
    assert rows["host"].tolist() == ["SAU", "SAU", "MYS", "MYS", "HKG", "HKG", "_O", "_O"]
    assert rows["host_label"].tolist()[::2] == ["Arab Saudi", "Malaysia", "Hongkong", "Lainnya"]
    assert rows["value_usd_million"].tolist() == [
        Decimal("700.55"),
        Decimal("720.45"),
        Decimal("1000.25"),  # English thousands separator
        Decimal(650),
        None,  # `..` is not available, not zero
        Decimal("310.5"),
        Decimal(40),
        Decimal(0),  # `-` is nil
    ]
    assert read_file.issues.empty
    assert read_file.header == {
        "host_label": "Negara",
        "2023-Q1": "Tw I 2023",
        "2023-Q2": "Tw II 2023",
    }
    assert read_file.raw.loc[7, "2023-Q1"] == ".." and read_file.raw.loc[6, "host_label"] == "Malaysia"
    assert read_file.ignored_columns == [
        "sheet 'Catatan' holds no table (no header cell naming country / host country / negara / "
        "negara penempatan)",
        "sheet 'Kosong' is empty",
    ]


def test_q1_headers_a_country_column_english_names_and_no_total_column():
    header = ["No", "Country", "Q3 2022", "Q4 2022"]
    body = [[1, "Saudi Arabia", "1,234.5", 1], [2, "Hong Kong SAR", 2.25, 3], [3, "Others", 0.25, ".."]]
    read_file = read({"Sheet1": [*TITLE, header, *body, ["", "Total", "1,237.0", 4]]})
    assert read_file.rows["quarter"].tolist() == ["2022-Q3", "2022-Q4"] * 3
    assert read_file.rows["host"].tolist() == ["SAU", "SAU", "HKG", "HKG", "_O", "_O"]
    assert read_file.rows["value_usd_million"].tolist() == [
        Decimal("1234.5"),
        Decimal(1),
        Decimal("2.25"),
        Decimal(3),
        Decimal("0.25"),
        None,
    ]
    assert read_file.header["host_label"] == "Country"


def test_rounded_totals_within_a_million_are_accepted():
    body = [["Arab Saudi", 700.4, 720.4, 1420.8], ["Malaysia", 1000.4, 650.4, 1650.8]]
    read_file = read({"Tabel": table(body, ["Total", 1701, 1371, 3072])})  # rows sum to 1700.8, 1370.8
    assert len(read_file.rows) == 4


def test_an_unknown_country_a_repeated_host_and_a_negative_value_reject_their_rows_only():
    body = [
        ["Arab Saudi", 700.55, "720.45", "1,421.00"],
        ["Atlantis", 10, 10, 20],
        ["KSA", 1, 1, 2],
        ["Malaysia", "1,000.25", -5, "995.25"],
    ]
    closing = ["Total", "1,711.80", "726.45", "2,438.25"]
    read_file, result = validated({"Tabel": table(body, closing)})
    assert result.accepted.index.unique().tolist() == [5]
    assert result.rejects[["line", "column_name", "value", "reason"]].values.tolist() == [
        [
            6,
            "host_label",
            "Atlantis",
            "host country is missing or not a known country name (Lainnya / Others is the rest of the world)",
        ],
        [7, "host_label", "KSA", 'host country "KSA" (SAU) is already on sheet row 5'],
        [8, "2023-Q2", "-5", "Tw II 2023: a remittance inflow is not negative"],
    ]
    assert read_file.header["2023-Q2"] == "Tw II 2023"  # ingest shows the column as printed


def test_totals_off_beyond_the_tolerance_quarantine_the_table_cell_by_cell():
    body = [list(row) for row in BODY]
    body[2] = ["Hongkong", 300, 310.5, 610.5]
    body[1][3] = "1,652.25"  # Malaysia's quarters sum to 1,650.25
    closing = ["Total", "2,042.80", "1,680.95", "3,721.75"]  # the first quarter's rows sum to 2,040.80
    with pytest.raises(TableRejectedError) as refused:
        read({"Tabel": table(body, closing)})
    rejects = refused.value.rejects()
    assert rejects[["line", "column_name", "value"]].values.tolist() == [
        [6, "Total", "1652.25"],
        [9, "Tw I 2023", "2042.80"],
        [9, "Total", "3721.75"],
    ]
    assert rejects["reason"].tolist() == [
        "D6: the row's periods sum to 1650.25 but the total says 1652.25 (difference -2.00)",
        "B9: the column's rows sum to 2040.80 but the total says 2042.80 (difference -2.00)",
        "D9: the column's rows sum to 3723.75 but the total says 3721.75 (difference 2.00)",
    ]


def test_a_sum_with_a_cell_not_available_is_not_checked():
    closing = ["Total", "9,999", "1,680.95", "9,999"]  # Hongkong's first quarter and total are not available
    assert len(read({"Tabel": table(closing=closing)}).rows) == 8


@pytest.mark.parametrize(
    ("sheets", "merged", "message"),
    [
        (
            {"Tabel": table(header=["Negara", "Tw I 2023", "Triwulan II", "Total"])},
            None,
            r"C4 \(Triwulan II\): \"Triwulan II\" is not a quarter",
        ),
        (
            {"Tabel": [*TITLE, ["Negara", "2023", None, "Total"], HEADER, *BODY, CLOSING]},
            {"Tabel": ["B4:C4"]},
            r"row 4: merged cells B4:C4 in the table header",
        ),
        (
            {"Tabel": table([["Arab Saudi", "700 55", 720.45, 1421], *BODY[1:]])},
            None,
            r"B5 \(Tw I 2023\): \"700 55\" is not a number",
        ),
        ({"Kosong": []}, None, r"no table found: sheet 'Kosong' is empty"),
        ({"Tabel": [*TITLE, HEADER, *BODY]}, None, r"no closing Jumlah/Total row"),
    ],
    ids=["unreadable quarter", "merged header", "number in neither format", "empty sheet", "no total row"],
)
def test_a_table_that_cannot_be_read_is_refused(sheets, merged, message):
    with pytest.raises(FileFormatError, match=message):
        read(sheets, merged)


# --- Loading: vintages, quarantine, counts -------------------------------------------------------


def warehouse() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for schema in SCHEMAS:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table_name in BOOKKEEPING_TABLES:
        create_documented_table(connection, table_name)
    return connection


def deliver(raw_root: Path, rows: list[list]) -> None:
    (raw_root / "bi").mkdir(exist_ok=True)
    (raw_root / WORKBOOK).write_bytes(workbook_bytes({"Tabel": rows}))


def test_the_contract_makes_a_documented_table_with_exact_decimals():
    contract = contract_for("staging.bi_remittances")
    assert contract.primary_key == ("source_file", "file_sha256", "line", "quarter")
    assert all(column.description_en and column.description_id for column in contract.columns)
    connection = warehouse()
    create_documented_table(connection, contract.table)
    assert connection.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'bi_remittances' "
        "ORDER BY column_index"
    ).fetchall() == [
        ("source_file", "VARCHAR"),
        ("file_sha256", "VARCHAR"),
        ("line", "INTEGER"),
        ("quarter", "VARCHAR"),
        ("host", "VARCHAR"),
        ("host_label", "VARCHAR"),
        ("value_usd_million", "DECIMAL(18,6)"),
    ]


def test_a_table_loads_in_long_form_counting_sheet_rows(tmp_path):
    deliver(tmp_path, table(BODY, ["Total", "2,040.80", "1,680.95", "3,111.25"]))
    connection = warehouse()
    report = ingest_source(connection, tmp_path, BI_REMITTANCES)
    assert [(f.status, f.rows_read, f.rows_accepted, f.rows_rejected) for f in report.files] == [
        ("loaded", 4, 4, 0)
    ]
    assert connection.execute(
        "SELECT line, quarter, host, value_usd_million FROM staging.bi_remittances ORDER BY line, quarter"
    ).fetchall() == [
        (5, "2023-Q1", "SAU", Decimal("700.550000")),
        (5, "2023-Q2", "SAU", Decimal("720.450000")),
        (6, "2023-Q1", "MYS", Decimal("1000.250000")),
        (6, "2023-Q2", "MYS", Decimal("650.000000")),
        (7, "2023-Q1", "HKG", None),
        (7, "2023-Q2", "HKG", Decimal("310.500000")),
        (8, "2023-Q1", "_O", Decimal("40.000000")),
        (8, "2023-Q2", "_O", Decimal("0.000000")),
    ]
    assert connection.execute(
        "SELECT rows_read, rows_accepted, rows_rejected, encoding, delimiter FROM meta.raw_files"
    ).fetchall() == [(4, 4, 0, None, None)]

    # Issue 13: an unknown country in a revision refuses it whole; the table above stays current.
    deliver(tmp_path, table([*BODY, ["Atlantis", 1, 1, 2]], ["Total", "2,041.80", "1,681.95", "3,113.25"]))
    report = ingest_source(connection, tmp_path, BI_REMITTANCES)
    assert [(f.status, f.rows_read, f.rows_accepted, f.rows_rejected) for f in report.files] == [
        ("failed", 5, 0, 5)
    ]
    assert connection.execute(
        "SELECT rows_read, status, is_current FROM meta.raw_files ORDER BY loaded_at"
    ).fetchall() == [(4, "loaded", True), (5, "failed", False)]
    assert connection.execute("SELECT line, column_name, value FROM meta.rejects").fetchall() == [
        (9, "Negara", "Atlantis")
    ]


def test_a_revision_whose_totals_do_not_add_up_fails_and_the_earlier_vintage_stays_current(tmp_path):
    connection = warehouse()
    body = [*BODY[:2], ["Hongkong", 300, 310.5, 610.5], BODY[3]]
    closing = ["Total", "2,040.80", "1,680.95", "3,721.75"]
    deliver(tmp_path, table(body, closing))
    ingest_source(connection, tmp_path, BI_REMITTANCES)
    body[0] = ["Arab Saudi", 710.55, "720.45", "1,421.00"]  # Q1 revised up by 10, the totals not
    deliver(tmp_path, table(body, closing))
    report = ingest_source(connection, tmp_path, BI_REMITTANCES)
    assert [(f.status, f.rows_read) for f in report.files] == [("failed", 0)]
    assert "totals that do not add up, table quarantined: D5 (Total)" in report.files[0].error
    assert connection.execute(
        """SELECT r.line, r.column_name, r.value, r.reason FROM meta.rejects r
           JOIN meta.raw_files f ON f.path = r.path AND f.sha256 = r.sha256 WHERE f.status = 'failed'
           ORDER BY r.line, r.column_name"""
    ).fetchall() == [
        (
            5,
            "Total",
            "1421.00",
            "D5: the row's periods sum to 1431.00 but the total says 1421.00 (difference 10.00)",
        ),
        (
            9,
            "Tw I 2023",
            "2040.80",
            "B9: the column's rows sum to 2050.80 but the total says 2040.80 (difference 10.00)",
        ),
    ]
    assert connection.execute(
        "SELECT status, is_current FROM meta.raw_files ORDER BY loaded_at"
    ).fetchall() == [
        ("loaded", True),
        ("failed", False),
    ]
    assert connection.execute(
        """SELECT s.value_usd_million FROM staging.bi_remittances s
           JOIN meta.raw_files f ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
           WHERE s.line = 5 AND s.quarter = '2023-Q1'"""
    ).fetchall() == [(Decimal("700.550000"),)]


# --- GDP -----------------------------------------------------------------------------------------


def gdp(text: str, encoding: str = "utf-8"):
    read_file = read_gdp_file(GDP_FILE, text.encode(encoding))
    result = validate_rows(read_file.rows, read_file.raw, BPS_GDP.contract, read_file.issues)
    return read_file, result


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("tahun,pdb_usd_juta\n2022,1319100.22\n2023,1371171\n", "utf-8", ["1319100.22", "1371171"]),
        (
            "TAHUN;PDB_USD_JUTA\r\n2022;1.319.100,22\r\n2023;1.371.171\r\n",
            "utf-8-sig",
            ["1319100.22", "1371171"],
        ),
        ('pdb_usd_juta,tahun,sumber\n"1,319,100.22",2022,Bank Dunia –\n1319100.5,2023,\n', "cp1252", None),
    ],
    ids=["comma, decimal point", "semicolon, Indonesian format, BOM", "English thousands, extra column"],
)
def test_gdp_file_variants(text, encoding, expected):
    read_file, result = gdp(text, encoding)
    assert result.rejects.empty
    values = [format(value, "f") for value in result.accepted["gdp_usd_million"]]
    assert values == (expected or ["1319100.22", "1319100.5"])
    assert result.accepted["year"].tolist() == [2022, 2023]
    if expected is None:
        assert read_file.ignored_columns == ["sumber"] and read_file.encoding == "windows-1252"


def test_a_value_with_one_separator_reads_in_the_convention_of_its_delimiter():
    _, semicolon = gdp("tahun;pdb_usd_juta\n2022;1.319\n")
    _, comma = gdp("tahun,pdb_usd_juta\n2022,1.319\n")
    assert semicolon.accepted["gdp_usd_million"].tolist() == [Decimal(1319)]
    assert comma.accepted["gdp_usd_million"].tolist() == [Decimal("1.319")]


def test_bad_gdp_rows_are_rejected_and_the_rest_loads():
    _, result = gdp(
        "tahun,pdb_usd_juta\n2022,1319100.22\n2022*,1\n2023,..\n2022,5\n2024,-\n2025,12 345\n1900,1\n"
    )
    assert result.accepted["year"].tolist() == [2022, 2023]
    assert result.accepted["gdp_usd_million"].tolist() == [Decimal("1319100.22"), None]  # `..`: not available
    assert result.rejects[["line", "column_name", "value", "reason"]].values.tolist() == [
        [3, "tahun", "2022*", 'tahun "2022*" is not a year'],
        [5, "tahun", "2022", "year (tahun) repeated in the file; the first line keeps it"],
        [6, "pdb_usd_juta", "-", "GDP (pdb_usd_juta) is not positive"],
        [
            7,
            "pdb_usd_juta",
            "12 345",
            'pdb_usd_juta "12 345" is not a number (Indonesian "1.234,5" or English "1,234.5"; "-" for '
            'nil; "..", "n.a." or empty when not available)',
        ],
        [8, "tahun", "1900", "year (tahun) before 1945"],
    ]


def test_a_gdp_file_without_its_columns_is_refused():
    with pytest.raises(
        FileFormatError, match=r"pdb_usd\.csv: line 1: required column\(s\) missing: pdb_usd_juta"
    ):
        read_gdp_file(GDP_FILE, b"tahun,pdb\n2022,1\n")


def test_gdp_loads_exactly(tmp_path):
    (tmp_path / "bps").mkdir()
    (tmp_path / GDP_FILE).write_text("tahun,pdb_usd_juta\n2022,1319100.123456\n2023,1371171.15\n")
    connection = warehouse()
    report = ingest_source(connection, tmp_path, BPS_GDP)
    assert [(f.status, f.rows_read, f.rows_accepted, f.rows_rejected) for f in report.files] == [
        ("loaded", 2, 2, 0)
    ]
    assert connection.execute("SELECT line, year, gdp_usd_million FROM staging.bps_gdp").fetchall() == [
        (2, 2022, Decimal("1319100.123456")),
        (3, 2023, Decimal("1371171.150000")),
    ]
    # Issue 13: a negative GDP in a revision refuses the file whole; the figures above stay current.
    (tmp_path / GDP_FILE).write_text("tahun,pdb_usd_juta\n2022,1319100.123456\n2023,-1\n")
    report = ingest_source(connection, tmp_path, BPS_GDP)
    assert [(f.status, f.rows_read, f.rows_accepted, f.rows_rejected) for f in report.files] == [
        ("failed", 2, 0, 2)
    ]
    assert connection.execute("SELECT line, column_name, value FROM meta.rejects").fetchall() == [
        (3, "pdb_usd_juta", "-1")
    ]
    assert connection.execute(
        "SELECT count(*) FROM staging.bps_gdp JOIN meta.raw_files "
        "ON path = source_file AND sha256 = file_sha256 WHERE is_current"
    ).fetchone() == (2,)


def test_printed_numbers_read_each_value_and_name_the_bad_ones():
    values = pd.Series(["1.234,5", "..", None, "1.234", "abc"], index=[2, 3, 4, 5, 6], dtype="string")
    numbers, issues = printed_numbers(values, "amount", INDONESIAN, "jumlah")
    assert numbers.tolist() == [Decimal("1234.5"), None, None, Decimal(1234), None]
    assert issues[["line", "column", "raw_column"]].values.tolist() == [[6, "amount", "jumlah"]]
    assert issues["reason"].str.startswith('jumlah "abc" is not a number').all()
    english, _ = printed_numbers(values.iloc[[3]], "amount", ENGLISH)
    assert english.tolist() == [Decimal("1.234")]
