"""Refusals that say what the file really is and what to do: encoding, delimiter, format, quoting."""

import pytest

from sdmi_pipeline.ingest.refusals import content_refusal, explain

CSV_HEADER = "id_pmi,tanggal_penempatan,jenis_kelamin\n1,2023-01-05,L\n"


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"", "tka_2023.csv", "the file is empty (0 bytes): the transfer may have failed; deliver it again"),
        (b"\n \r\n", "tka_2023.csv", "the file is blank (only spaces and line breaks): the transfer may"),
        (
            "\ufeff" + CSV_HEADER,
            "penempatan_pmi_2023_01.csv",
            "the file is UTF-16 text (byte order mark FF FE), not the CSV text its name says; "
            "save or export it as UTF-8 CSV text",
        ),
        (
            CSV_HEADER.encode("utf-16-le"),
            "penempatan_pmi_2023_01.csv",
            "the file is binary data or UTF-16 text without a byte order mark (it holds NUL bytes), "
            "not the CSV text its name says",
        ),
        (
            CSV_HEADER.replace(",", "\t").encode(),
            "penempatan_pmi_2023_01.csv",
            "the file is tab-delimited: its header has tabs and no ',' or ';'; "
            "export it as CSV with ',' or ';' between values",
        ),
        (
            b"PK\x03\x04rest of a workbook",
            "tka_2023.csv",
            "the file is a ZIP archive or Excel workbook (.xlsx), not the CSV text its name says",
        ),
        (b"%PDF-1.7 ...", "population_coa_IDN_2020.json", "the file is a PDF document, not the JSON text"),
        (
            CSV_HEADER.encode(),
            "remitansi_pmi.xlsx",
            "the file is text, not an Excel workbook (.xlsx); save it from Excel as .xlsx",
        ),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_saying_what_it_is(content, name, reason):
    data = content.encode("utf-16") if isinstance(content, str) else content
    assert content_refusal(data, name).startswith(reason)


def test_plain_text_and_workbooks_pass_to_their_readers():
    assert content_refusal(CSV_HEADER.encode(), "tka_2023.csv") is None
    assert content_refusal(CSV_HEADER.replace(",", ";").encode("cp1252"), "tka_2023.csv") is None
    assert content_refusal(b"PK\x03\x04...", "penempatan_menurut_negara_2022.xlsx") is None


def test_tokenizer_messages_say_what_to_check():
    assert explain("Error tokenizing data. C error: Expected 3 fields in line 5, saw 4\n") == (
        "line 5 has 4 fields where the header has 3: a delimiter inside an unquoted value, or a stray "
        "quote; quote every value that holds the delimiter "
        "(parser: Error tokenizing data. C error: Expected 3 fields in line 5, saw 4)"
    )
    assert explain("Error tokenizing data. C error: EOF inside string starting at row 12").startswith(
        "a quote opened on data row 12 is never closed (a stray quote, or a file cut short in transfer)"
    )
    assert explain("something else") == "something else"
