"""KP2MI published monthly tables (spec §2.2): every layout variant, every label list, every refusal."""

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.loading import ingest_source
from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.kp2mi_published import read_published_table
from sdmi_pipeline.ingest.readers.printed_table import TableRejectedError
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.sources import KP2MI_PUBLISHED
from sdmi_pipeline.ingest.validation import ValidatedRows, validate_rows
from sdmi_pipeline.warehouse.resource import BOOKKEEPING_TABLES, SCHEMAS, create_documented_table
from tests.workbooks import workbook_bytes

FOLDER = Path("kp2mi/publikasi")
TITLE = [["DATA PENEMPATAN PEKERJA MIGRAN INDONESIA"], ["Periode Januari - Maret 2022"], []]
NOTES = [[], ["Sumber: Pusdatin KP2MI"]]
MONTHS = ["Januari", "Februari", "Maret"]


def table(header: list, body: list[list], closing: list) -> list[list]:
    """A table as KP2MI prints it: title rows, header at sheet row 4, body, closing row, notes."""
    return [*TITLE, header, *body, closing, *NOTES]


def by_country(months: list = MONTHS, total: bool = True) -> list[list]:
    """Three destinations and the rest of the world, January to March 2022 (sheet rows 5-9)."""
    body = [
        [1, "Hongkong", "4.210", "3.905", "5.001", "13.116"],
        [2, "Taiwan", "3.550", "-", "4.120", "7.670"],
        [3, "Korea Selatan", 801, 655, 900, "2.356"],
        [4, "Negara Lainnya", 1_002, "1.100", 998, "3.100"],
    ]
    closing = ["", "Jumlah", "9.563", "5.660", "11.019", "26.242"]
    header = ["No", "Negara Penempatan", *months, "Jumlah"]
    if not total:
        return table(header[:-1], [row[:-1] for row in body], closing[:-1])
    return table(header, body, closing)


def read(name: str, sheets: dict, merged: dict | None = None) -> ReadFile:
    return read_published_table(FOLDER / name, workbook_bytes(sheets, merged))


def validated(read_file: ReadFile) -> ValidatedRows:
    return validate_rows(
        read_file.rows, read_file.raw, contract_for("staging.kp2mi_published"), read_file.issues
    )


def cells(read_file: ReadFile, month: str) -> dict[str, int | None]:
    """code → count of one month (None when not available)."""
    rows = read_file.rows[read_file.rows["month"] == month]
    counts = [None if pd.isna(count) else int(count) for count in rows["count"]]
    return dict(zip(rows["code"], counts, strict=True))


# --- Layout variants ------------------------------------------------------------------------------


def test_a_table_by_country_is_read_long_with_sheet_rows_labels_codes_and_the_closing_row():
    read_file = read("penempatan_menurut_negara_2022.xlsx", {"Tabel 1": by_country()})
    rows = read_file.rows
    assert len(rows) == 15 and rows.index.nunique() == 5
    assert rows.loc[5, ["label", "code", "month", "count"]].values.tolist() == [
        ["Hongkong", "HKG", "2022-01", 4210],
        ["Hongkong", "HKG", "2022-02", 3905],
        ["Hongkong", "HKG", "2022-03", 5001],
    ]
    assert cells(read_file, "2022-02") == {"HKG": 3905, "TWN": 0, "KOR": 655, "_O": 1100, "_T": 5660}
    assert rows.loc[9, "label"].tolist() == ["Jumlah"] * 3 and set(rows["dimension"]) == {"destination"}
    assert set(rows["sheet"]) == {"Tabel 1"}
    assert read_file.header == {
        "label": "Negara Penempatan",
        "2022-01": "Januari",
        "2022-02": "Februari",
        "2022-03": "Maret",
    }
    assert read_file.raw.loc[6, "2022-02"] == "-" and read_file.raw.loc[9, "label"] == "Jumlah"
    assert read_file.issues.empty and read_file.ignored_columns == [] and read_file.encoding is None
    assert validated(read_file).rejects.empty


@pytest.mark.parametrize(
    "months",
    [
        ["January", "February", "March"],
        ["Jan", "Feb", "Mar"],
        ["JAN 2022", "Peb", "Mar-22"],
        [datetime(2022, 1, 1), datetime(2022, 2, 1), datetime(2022, 3, 31)],
    ],
    ids=["english", "short", "with-year", "dates"],
)
def test_month_headers_in_english_short_with_the_year_or_as_dates(months):
    read_file = read("penempatan_menurut_negara_2022.xlsx", {"Sheet1": by_country(months)})
    assert sorted(set(read_file.rows["month"])) == ["2022-01", "2022-02", "2022-03"]
    assert cells(read_file, "2022-03")["_T"] == 11_019


def test_a_table_without_the_total_column_is_read():
    read_file = read("penempatan_menurut_negara_2022.xlsx", {"Sheet1": by_country(total=False)})
    assert cells(read_file, "2022-01") == {"HKG": 4210, "TWN": 3550, "KOR": 801, "_O": 1002, "_T": 9563}


def test_a_second_sheet_with_notes_and_an_empty_sheet_are_ignored_and_reported():
    notes = [["Catatan:"], ["1. Data sementara, dapat berubah."], ["2. - : nihil"]]
    read_file = read(
        "penempatan_menurut_negara_2022.xlsx", {"Tabel": by_country(), "Catatan": notes, "Sheet3": []}
    )
    assert read_file.ignored_columns == [
        "sheet 'Catatan' holds no table (no header cell naming country / destination country / negara / "
        "negara penempatan / negara tujuan)",
        "sheet 'Sheet3' is empty",
    ]
    assert cells(read_file, "2022-01")["_T"] == 9563


def test_not_available_is_null_not_zero():
    rows = by_country()
    rows[5][3] = ".."  # Taiwan February
    rows[5][5] = "n.a."  # and its total
    rows[8][3] = ".."  # the February total cannot be checked either
    read_file = read("penempatan_menurut_negara_2022.xlsx", {"Tabel": rows})
    assert cells(read_file, "2022-02") == {"HKG": 3905, "TWN": None, "KOR": 655, "_O": 1100, "_T": None}


@pytest.mark.parametrize(
    ("name", "header", "labels", "codes"),
    [
        (
            "penempatan_menurut_provinsi_2022.xlsx",
            "Provinsi Asal",
            ["JAWA TIMUR", "D.I. Yogyakarta", "NTB", "Kep. Riau", "DKI Jakarta", "Papua Barat Daya"],
            ["35", "34", "52", "21", "31", "92"],
        ),
        ("penempatan_menurut_provinsi_2022.xlsx", "Provinsi", ["Jatim", "Jateng"], ["35", "33"]),
        (
            "penempatan_menurut_jenis_kelamin_2022.xlsx",
            "Jenis Kelamin",
            ["Laki-laki", "Perempuan"],
            ["M", "F"],
        ),
        ("penempatan_menurut_jenis_kelamin_2022.xlsx", "Jenis Kelamin", ["L", "P"], ["M", "F"]),
        ("penempatan_menurut_sektor_2022.xlsx", "Sektor", ["Formal", "INFORMAL"], ["FORMAL", "INFORMAL"]),
        (
            "penempatan_menurut_skema_2022.xlsx",
            "Skema Penempatan",
            ["P to P", "G to G", "Perseorangan", "UKPS"],
            ["P2P", "G2G", "MANDIRI", "UKPS"],
        ),
        ("penempatan_menurut_skema_2022.xlsx", "Skema", ["P3MI", "Mandiri"], ["P2P", "MANDIRI"]),
        (
            "PENEMPATAN_MENURUT_NEGARA_2022.xlsx",
            "Negara",
            ["Korsel", "Arab Saudi", "Türkiye", "UEA", "Others"],
            ["KOR", "SAU", "TUR", "ARE", "_O"],
        ),
    ],
)
def test_labels_of_every_dimension_map_to_the_reference_codes(name, header, labels, codes):
    body = [[number, label, 1, 2, 3, 6] for number, label in enumerate(labels, start=1)]
    n = len(labels)
    read_file = read(
        name,
        {"Tabel": table(["No", header, *MONTHS, "Jumlah"], body, ["", "Jumlah", n, 2 * n, 3 * n, 6 * n])},
    )
    assert read_file.rows.loc[read_file.rows["month"] == "2022-01", "code"].tolist() == [*codes, "_T"]
    assert read_file.issues.empty


# --- Rows rejected, the rest loads ------------------------------------------------------------------


def test_an_unknown_label_rejects_its_row_in_every_month_the_rest_loads():
    rows = by_country()
    rows[6][1] = "Atlantis"  # sheet row 7, Korea Selatan's numbers
    read_file = read("penempatan_menurut_negara_2022.xlsx", {"Tabel": rows})
    result = validated(read_file)
    assert result.rejects[["line", "column_name", "value"]].values.tolist() == [[7, "label", "Atlantis"]]
    assert result.rejects["reason"].tolist() == [
        'unknown country "Atlantis" (expected an ISO 3166 country name in English or Indonesian, '
        "or Lainnya / Negara Lainnya / Others)"
    ]
    assert result.rejected_lines == 1
    assert sorted(set(result.accepted.index)) == [5, 6, 8, 9] and len(result.accepted) == 12


def test_a_label_that_repeats_a_code_rejects_the_later_row():
    rows = by_country()
    rows[6][1] = "Hong Kong SAR"  # HKG again, at sheet row 7
    result = validated(read("penempatan_menurut_negara_2022.xlsx", {"Tabel": rows}))
    assert result.rejects[["line", "value", "reason"]].values.tolist() == [
        [7, "Hong Kong SAR", 'country "Hong Kong SAR" is HKG, already given by sheet row 5']
    ]


def test_a_row_with_counts_but_no_label_is_rejected():
    rows = by_country()
    rows[6][1] = None
    result = validated(read("penempatan_menurut_negara_2022.xlsx", {"Tabel": rows}))
    assert result.rejects[["line", "reason"]].values.tolist() == [[7, "row has counts but no country"]]


def test_an_unknown_province_and_a_negative_count_name_their_column():
    body = [[1, "Jawa Utara", 1, 1, 1, 3], [2, "Bali", 5, "-2", 2, 5], [3, "Lampung", 2, 2, 2, 6]]
    rows = table(["No", "Provinsi", *MONTHS, "Jumlah"], body, ["", "JUMLAH", 8, 1, 5, 14])
    result = validated(read("penempatan_menurut_provinsi_2022.xlsx", {"Tabel": rows}))
    assert result.rejects[["line", "column_name", "value", "reason"]].values.tolist() == [
        [
            5,
            "label",
            "Jawa Utara",
            'unknown province "Jawa Utara" (expected one of the 38 provinces or a '
            "name variant of spec 1 (DIY, NTB, Jatim ...))",
        ],
        [6, "2022-02", "-2", "count in Februari is negative"],
    ]
    assert sorted(set(result.accepted.index)) == [7, 8]


# --- Files refused whole ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["penempatan_menurut_usia_2022.xlsx", "penempatan_negara_2022.xlsx", "penempatan_menurut_negara_22.xlsx"],
)
def test_a_name_that_does_not_say_dimension_and_year_is_refused(name):
    with pytest.raises(FileFormatError, match=r"name does not match penempatan_menurut_<negara\|provinsi"):
        read(name, {"Tabel": by_country()})


def test_totals_that_do_not_add_up_quarantine_the_table_with_one_issue_per_cell():
    rows = by_country()
    rows[4][3] = "3.915"  # Hongkong February 3,905 → 3,915: its row and the February column
    with pytest.raises(TableRejectedError) as refused:
        read("penempatan_menurut_negara_2022.xlsx", {"Tabel": rows})
    assert refused.value.rejects()[["line", "column_name", "reason"]].values.tolist() == [
        [5, "Jumlah", "F5: the row's periods sum to 13126 but the total says 13116 (difference 10)"],
        [9, "Februari", "D9: the column's rows sum to 5670 but the total says 5660 (difference 10)"],
    ]


def test_a_month_column_that_cannot_be_read_is_refused():
    with pytest.raises(TableRejectedError, match=r'D4 \(Febuari\): "Febuari" is not a month name'):
        read("penempatan_menurut_negara_2022.xlsx", {"Tabel": by_country(["Januari", "Febuari", "Maret"])})


def test_a_month_of_another_year_than_the_file_is_refused():
    with pytest.raises(TableRejectedError, match=r'"Maret 2023" is not a month of 2022'):
        read(
            "penempatan_menurut_negara_2022.xlsx",
            {"Tabel": by_country(["Januari", "Februari", "Maret 2023"])},
        )


def test_a_merged_cell_header_is_refused():
    rows = [*TITLE, ["No", "Negara Penempatan", "Bulan", None, None, "Jumlah"], *by_country()[3:]]
    with pytest.raises(FileFormatError, match=r"merged cells C4:E4 in the table header"):
        read("penempatan_menurut_negara_2022.xlsx", {"Tabel": rows}, merged={"Tabel": ["C4:E4"]})


def test_a_number_in_neither_format_is_refused_naming_the_cell():
    rows = by_country()
    rows[6][2] = "8 01"
    with pytest.raises(TableRejectedError, match=r'C7 \(Januari\): "8 01" is not a whole number'):
        read("penempatan_menurut_negara_2022.xlsx", {"Tabel": rows})


def test_a_workbook_of_empty_sheets_is_refused():
    with pytest.raises(
        FileFormatError, match=r"no table found: sheet 'Tabel' is empty; sheet 'Catatan' is empty"
    ):
        read("penempatan_menurut_negara_2022.xlsx", {"Tabel": [], "Catatan": []})


def test_a_table_by_another_dimension_than_the_name_says_is_refused():
    with pytest.raises(FileFormatError, match=r"no header cell naming gender / jenis kelamin / sex"):
        read("penempatan_menurut_jenis_kelamin_2022.xlsx", {"Tabel": by_country()})


# --- Loading ------------------------------------------------------------------------------------------


def ingest(raw_root: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for schema in SCHEMAS:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for bookkeeping in BOOKKEEPING_TABLES:
        create_documented_table(connection, bookkeeping)
    ingest_source(connection, raw_root, KP2MI_PUBLISHED)
    return connection


def write(raw_root: Path, name: str, sheets: dict) -> None:
    folder = raw_root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(workbook_bytes(sheets))


def test_a_table_loads_long_counting_sheet_rows(tmp_path):
    write(tmp_path, "penempatan_menurut_negara_2022.xlsx", {"Tabel": by_country(), "Catatan": [["Catatan:"]]})
    connection = ingest(tmp_path)
    ignored = (
        "sheet 'Catatan' holds no table (no header cell naming country / destination country / negara / "
        "negara penempatan / negara tujuan)"
    )
    assert connection.execute(
        "SELECT status, rows_read, rows_accepted, rows_rejected, ignored_columns, encoding "
        "FROM meta.raw_files"
    ).fetchall() == [("loaded", 5, 5, 0, ignored, None)]
    assert connection.execute(
        "SELECT line, sheet, dimension, label, code, month, count FROM staging.kp2mi_published "
        "WHERE month = '2022-03' ORDER BY line"
    ).fetchall() == [
        (5, "Tabel", "destination", "Hongkong", "HKG", "2022-03", 5001),
        (6, "Tabel", "destination", "Taiwan", "TWN", "2022-03", 4120),
        (7, "Tabel", "destination", "Korea Selatan", "KOR", "2022-03", 900),
        (8, "Tabel", "destination", "Negara Lainnya", "_O", "2022-03", 998),
        (9, "Tabel", "destination", "Jumlah", "_T", "2022-03", 11019),
    ]


def test_an_unknown_label_refuses_the_table_naming_the_printed_column(tmp_path):
    # Issue 13: a table of aggregates loads whole or not at all.
    rows = by_country()
    rows[6][1] = "Atlantis"
    write(tmp_path, "penempatan_menurut_negara_2022.xlsx", {"Tabel": rows, "Catatan": [["Catatan:"]]})
    connection = ingest(tmp_path)
    status = connection.execute(
        "SELECT status, rows_read, rows_accepted, rows_rejected, is_current, error FROM meta.raw_files"
    ).fetchall()
    assert status[0][:5] == ("failed", 5, 0, 5, False)
    assert (
        "1 cell(s) are wrong, so the file is refused and its previous vintage stays current" in (status[0][5])
    )
    assert connection.execute("SELECT path, line, column_name, value FROM meta.rejects").fetchall() == [
        ("kp2mi/publikasi/penempatan_menurut_negara_2022.xlsx", 7, "Negara Penempatan", "Atlantis")
    ]
    assert connection.execute("SELECT count(*) FROM staging.kp2mi_published").fetchone() == (0,)


def test_a_table_that_does_not_add_up_fails_with_one_reject_per_cell_and_the_old_vintage_stays_current(
    tmp_path,
):
    write(tmp_path, "penempatan_menurut_negara_2022.xlsx", {"Tabel": by_country()})
    connection = ingest(tmp_path)
    revised = by_country()
    revised[4][3] = "3.915"
    write(tmp_path, "penempatan_menurut_negara_2022.xlsx", {"Tabel": revised})
    ingest_source(connection, tmp_path, KP2MI_PUBLISHED)
    assert connection.execute(
        "SELECT status, is_current, rows_read FROM meta.raw_files ORDER BY loaded_at"
    ).fetchall() == [("loaded", True, 5), ("failed", False, None)]
    assert connection.execute(
        """SELECT r.line, r.column_name, r.value FROM meta.rejects r
           JOIN meta.raw_files f ON f.sha256 = r.sha256 WHERE f.status = 'failed' ORDER BY r.line"""
    ).fetchall() == [(5, "Jumlah", "13116"), (9, "Februari", "5660")]
    (error,) = connection.execute("SELECT error FROM meta.raw_files WHERE status = 'failed'").fetchone()
    assert error.startswith(
        "kp2mi/publikasi/penempatan_menurut_negara_2022.xlsx: sheet 'Tabel': totals that do not add up, "
        "table quarantined: F5 (Jumlah): the row's periods sum to 13126"
    )
    assert connection.execute(
        """SELECT s.count FROM staging.kp2mi_published s JOIN meta.raw_files f
           ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
           WHERE s.code = 'HKG' AND s.month = '2022-02'"""
    ).fetchall() == [(3905,)]
