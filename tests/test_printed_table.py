"""Printed tables in workbooks: layout, number formats, periods, reconciliation and refusals."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from sdmi_pipeline.ingest.readers.numbers import ENGLISH, INDONESIAN, printed_number
from sdmi_pipeline.ingest.readers.printed_table import TableRejectedError, read_printed_table
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.reference.periods import PeriodLabelError, month_period, quarter_period
from tests.workbooks import workbook_bytes

PATH = Path("kp2mi/publikasi/penempatan_menurut_negara_2023.xlsx")
TITLE = [["DATA PENEMPATAN PEKERJA MIGRAN INDONESIA"], ["Periode Januari - Maret 2023"], []]
HEADER = ["No", "Negara Penempatan", "Januari", "Feb", "Maret", "Jumlah"]
BODY = [
    [1, "Malaysia", "1.234", "1.000", 766, "3.000"],
    [2, "Taiwan", "-", 10, "5", "15"],
    [3, "Hongkong", "..", 2, 3, ".."],
]
CLOSING = ["", "Jumlah", "1.234", "1.012", "774", "3.015"]
NOTES = [[], ["Sumber: KP2MI, diolah"]]


def month_of_2023(label: object) -> str:
    return month_period(label, 2023)


def read(sheets: dict, merged: dict | None = None, **options):
    content = workbook_bytes(sheets, merged)
    arguments = {"convention": INDONESIAN} | options
    return read_printed_table(PATH, content, {"Negara Penempatan"}, month_of_2023, **arguments)


def printed(body=BODY, closing=CLOSING, header=HEADER) -> list[list]:
    return [*TITLE, header, *body, closing, *NOTES]


def test_a_printed_table_is_read_with_its_periods_labels_and_sheet_rows():
    table = read({"Tabel 1": printed()})
    assert table.sheet == "Tabel 1" and table.label_header == "Negara Penempatan"
    assert list(table.labels.index) == [5, 6, 7]
    assert list(table.labels) == ["Malaysia", "Taiwan", "Hongkong"]
    assert list(table.values.columns) == ["2023-01", "2023-02", "2023-03"]
    assert table.values.loc[5].tolist() == [Decimal(1234), Decimal(1000), Decimal(766)]
    assert table.values.loc[6].tolist() == [Decimal(0), Decimal(10), Decimal(5)]  # "-" is nil
    assert table.values.loc[7, "2023-01"] is None  # ".." is not available, not zero
    assert table.headers == {"2023-01": "Januari", "2023-02": "Feb", "2023-03": "Maret"}
    assert table.raw.loc[5, "Januari"] == "1.234" and table.raw.loc[6, "Negara Penempatan"] == "Taiwan"
    assert table.ignored == []


def test_the_closing_row_is_kept_with_its_sheet_row_and_label():
    table = read({"Tabel 1": printed(closing=["", "JUMLAH", "1.234", "1.012", "774", "3.015"])})
    assert table.totals == {"2023-01": Decimal(1234), "2023-02": Decimal(1012), "2023-03": Decimal(774)}
    assert (table.total_line, table.total_label) == (8, "JUMLAH")


def test_a_table_without_a_total_column_reconciles_its_columns_only():
    header = HEADER[:-1]
    body = [row[:-1] for row in BODY]
    table = read({"Sheet1": printed(body, CLOSING[:-1], header)})
    assert table.values.loc[6, "2023-02"] == Decimal(10)


def test_month_headers_that_excel_turned_into_dates_are_months():
    header = ["No", "Negara Penempatan", datetime(2023, 1, 1), datetime(2023, 2, 1), "Mar 2023", "Total"]
    table = read({"Sheet1": printed(header=header)})
    assert list(table.values.columns) == ["2023-01", "2023-02", "2023-03"]


def test_a_notes_sheet_and_an_empty_sheet_are_ignored_and_reported():
    table = read({"Kosong": [], "Tabel": printed(), "Catatan": [["Catatan:"], ["Angka sementara."]]})
    assert table.sheet == "Tabel"
    assert table.ignored == [
        "sheet 'Kosong' is empty",
        "sheet 'Catatan' holds no table (no header cell naming negara penempatan)",
    ]


def test_totals_that_do_not_add_up_quarantine_the_table_listing_each_cell():
    body = [list(row) for row in BODY]
    body[0][3] = "1.010"  # Malaysia February: its row and the February column no longer add up
    with pytest.raises(TableRejectedError) as refused:
        read({"Tabel": printed(body)})
    rejects = refused.value.rejects()
    assert rejects["line"].tolist() == [5, 8]
    assert rejects["column_name"].tolist() == ["Jumlah", "Feb"]
    assert rejects["value"].tolist() == ["3000", "1012"]
    assert rejects["reason"].tolist() == [
        "F5: the row's periods sum to 3010 but the total says 3000 (difference 10)",
        "D8: the column's rows sum to 1022 but the total says 1012 (difference 10)",
    ]
    assert "totals that do not add up, table quarantined" in str(refused.value)


def test_a_month_column_that_cannot_be_read_quarantines_the_table():
    header = ["No", "Negara Penempatan", "Januari", "Februarie", "Maret", "Jumlah"]
    with pytest.raises(TableRejectedError) as refused:
        read({"Tabel": printed(header=header)})
    assert refused.value.rejects()[["line", "column_name"]].values.tolist() == [[4, "Februarie"]]
    assert 'D4 (Februarie): "Februarie" is not a month name' in str(refused.value)


def test_a_month_of_another_year_is_refused():
    header = ["No", "Negara Penempatan", "Januari", "Feb 2022", "Maret", "Jumlah"]
    with pytest.raises(TableRejectedError, match='"Feb 2022" is not a month of 2023'):
        read({"Tabel": printed(header=header)})


def test_a_merged_cell_header_is_refused_naming_the_range():
    rows = [*TITLE, ["No", "Negara Penempatan", "Bulan", None, None, "Jumlah"], HEADER, *BODY, CLOSING]
    with pytest.raises(FileFormatError, match=r"row 4: merged cells C4:E4 in the table header"):
        read({"Tabel": rows}, merged={"Tabel": ["C4:E4"]})


def test_merged_cells_in_the_title_and_the_closing_label_are_fine():
    rows = printed(closing=["Jumlah", None, *CLOSING[2:]])
    table = read({"Tabel": rows}, merged={"Tabel": ["A1:F1", "A8:B8"]})
    assert table.values.loc[5, "2023-01"] == Decimal(1234)


def test_a_number_in_neither_format_quarantines_the_table_naming_the_cell():
    body = [list(row) for row in BODY]
    body[1][4] = "5 0"
    with pytest.raises(TableRejectedError) as refused:
        read({"Tabel": printed(body)})
    assert refused.value.rejects()["reason"].tolist() == [
        'E6: "5 0" is not a whole number (Indonesian "1.234,5" or English "1,234.5"; "-" for nil; '
        '"..", "n.a." or empty when not available)'
    ]


def test_an_empty_workbook_is_refused():
    with pytest.raises(FileFormatError, match=r"no table found: sheet 'Sheet1' is empty"):
        read({"Sheet1": []})


def test_two_sheets_with_tables_are_refused():
    with pytest.raises(FileFormatError, match=r"sheets 'A', 'B' each hold a table"):
        read({"A": printed(), "B": printed()})


def test_a_table_without_its_closing_total_row_is_refused():
    with pytest.raises(FileFormatError, match="no closing Jumlah/Total row"):
        read({"Tabel": [*TITLE, HEADER, *BODY]})


def test_a_file_that_is_no_workbook_is_refused():
    with pytest.raises(FileFormatError, match=r"not a readable \.xlsx workbook"):
        read_printed_table(PATH, b"No;Negara\n", {"Negara"}, month_of_2023, INDONESIAN)


@pytest.mark.parametrize(
    ("value", "convention", "whole", "expected"),
    [
        ("274.965", INDONESIAN, True, Decimal(274965)),
        ("1.234,5", INDONESIAN, False, Decimal("1234.5")),
        ("1.234", INDONESIAN, False, Decimal(1234)),
        ("1.234", ENGLISH, False, Decimal("1.234")),
        ("1,234", INDONESIAN, True, Decimal(1234)),  # a count cannot be 1.234: English thousands
        ("1,234.5", INDONESIAN, False, Decimal("1234.5")),  # both marks: one reading
        ("2,830.50", ENGLISH, False, Decimal("2830.50")),
        ("12,5", ENGLISH, False, Decimal("12.5")),
        (" - ", INDONESIAN, True, Decimal(0)),
        ("..", INDONESIAN, True, None),
        ("n.a.", ENGLISH, False, None),
        (None, INDONESIAN, True, None),
        (607, ENGLISH, False, Decimal(607)),
        (199.5, ENGLISH, False, Decimal("199.5")),
    ],
)
def test_printed_numbers(value, convention, whole, expected):
    assert printed_number(value, convention, whole) == expected


@pytest.mark.parametrize("value", ["12 345", "1.23.4", "1.234,5", "abc", "12,34,5", True])
def test_printed_numbers_refused_as_counts(value):
    with pytest.raises(ValueError, match="is not a"):
        printed_number(value, INDONESIAN, whole=True)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Januari", "2023-01"),
        ("AGT", "2023-08"),
        ("Ags", "2023-08"),
        ("Agu", "2023-08"),
        ("Okt", "2023-10"),
        ("October", "2023-10"),
        ("Des", "2023-12"),
        ("Mei 2023", "2023-05"),
        ("Mar-23", "2023-03"),
        (datetime(2023, 9, 1), "2023-09"),
    ],
)
def test_month_headers(label, expected):
    assert month_period(label, 2023) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Tw I 2023", "2023-Q1"), ("TW. IV 2022", "2022-Q4"), ("Q3 2023", "2023-Q3"), ("q2  2023", "2023-Q2")],
)
def test_quarter_headers(label, expected):
    assert quarter_period(label) == expected


@pytest.mark.parametrize("label", ["Tw V 2023", "Q5 2023", "2023", "Triwulan"])
def test_unreadable_quarter_headers(label):
    with pytest.raises(PeriodLabelError, match="is not a quarter"):
        quarter_period(label)
