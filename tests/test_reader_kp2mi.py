"""KP2MI record-level placement files (spec §0 and §2.1): delimiters, encodings, headers, blank lines
and whole-file errors.
"""

import pandas as pd
import pytest

from sdmi_pipeline.ingest.readers.kp2mi_placements import read_placement_file
from sdmi_pipeline.ingest.readers.text import FileFormatError
from tests.kp2mi_rows import BLANK, FILE_NAME, HEADER, load, only_reject, record, write_csv

# --- Delimiters, encodings and headers -----------------------------------------------------------


def test_comma_delimited(tmp_path):
    path = write_csv(tmp_path, HEADER, [record(), record(id_pmi="PMI-002", negara_penempatan="Hongkong")])
    read, validated = load(path)
    assert read.delimiter == ","
    assert read.encoding == "utf-8"
    assert read.ignored_columns == []
    assert validated.rejects.empty
    assert validated.accepted.index.tolist() == [2, 3]
    first = validated.accepted.loc[2]
    assert first["id_pmi"] == "PMI-001"
    assert first["placement_date"] == pd.Timestamp("2023-01-10")
    assert first["sex"] == "M"
    assert first["age"] == 30
    assert first["education"] == "SMA"
    assert first["province"] == "33"
    assert first["regency"] == "Cilacap"
    assert first["destination"] == "TWN"
    assert first["destination_label"] == "Taiwan"
    assert first["occupation"] == "CAREGIVER"
    assert first["sector"] == "INFORMAL"
    assert first["scheme"] == "P2P"
    assert validated.accepted.loc[3, "destination"] == "HKG"


def test_semicolon_delimited(tmp_path):
    rows = [record(negara_penempatan="Taiwan, Province of China", jenis_kelamin="Perempuan", usia="24")]
    path = write_csv(tmp_path, HEADER, rows, delimiter=";")
    read, validated = load(path)
    assert read.delimiter == ";"
    assert validated.rejects.empty
    row = validated.accepted.loc[2]
    assert (row["destination"], row["sex"], row["age"]) == ("TWN", "F", 24)


def test_comma_delimited_with_a_quoted_comma(tmp_path):
    path = write_csv(tmp_path, HEADER, [record(negara_penempatan="Taiwan, Province of China")])
    read, validated = load(path)
    assert read.delimiter == ","
    assert validated.accepted.loc[2, "destination"] == "TWN"
    assert validated.accepted.loc[2, "destination_label"] == "Taiwan, Province of China"


def test_utf8_with_bom(tmp_path):
    path = write_csv(tmp_path, HEADER, [record(negara_penempatan="Türkiye")], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    read, validated = load(path)
    assert read.encoding == "utf-8-sig"
    assert read.raw.columns[0] == "id_pmi"  # the BOM is not part of the first header
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "id_pmi"] == "PMI-001"
    assert validated.accepted.loc[2, "destination"] == "TUR"


def test_utf8_without_bom(tmp_path):
    path = write_csv(tmp_path, HEADER, [record(negara_penempatan="Türkiye")])
    read, validated = load(path)
    assert read.encoding == "utf-8"
    assert validated.accepted.loc[2, "destination_label"] == "Türkiye"
    assert validated.accepted.loc[2, "destination"] == "TUR"


def test_windows_1252(tmp_path):
    rows = [record(negara_penempatan="Türkiye"), record(id_pmi="PMI-002", kabupaten_asal="Kab. Bené")]
    path = write_csv(tmp_path, HEADER, rows, delimiter=";", encoding="cp1252")
    assert b"T\xfcrkiye" in path.read_bytes()
    read, validated = load(path)
    assert read.encoding == "windows-1252"
    assert read.delimiter == ";"
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "destination"] == "TUR"
    assert validated.accepted.loc[2, "destination_label"] == "Türkiye"
    assert validated.accepted.loc[3, "regency"] == "Kab. Bené"


def test_windows_1252_with_crlf_line_ends(tmp_path):
    lines = [",".join(HEADER), ",".join(record(negara_penempatan="Türkiye")), ""]
    path = tmp_path / FILE_NAME
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    read, validated = load(path)
    assert read.encoding == "windows-1252"
    assert validated.accepted.index.tolist() == [2]
    assert validated.accepted.loc[2, "destination"] == "TUR"
    assert validated.accepted.loc[2, "scheme"] == "P2P"  # no stray \r on the last column


@pytest.mark.parametrize("spelling", [str.upper, str.title], ids=["upper", "mixed"])
def test_header_names_are_case_insensitive(tmp_path, spelling):
    header = [spelling(column) for column in HEADER]
    path = write_csv(tmp_path, header, [record(header, usia="41", provinsi_asal="Jawa Tengah")])
    read, validated = load(path)
    assert list(read.raw.columns) == HEADER
    assert read.ignored_columns == []
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "age"] == 41
    assert validated.accepted.loc[2, "province"] == "33"


def test_header_with_spaces_instead_of_underscores(tmp_path):
    header = [" ".join(column.split("_")).title() for column in HEADER]  # e.g. "Kode Provinsi"
    path = write_csv(tmp_path, header, [record(HEADER, kode_provinsi="35", provinsi_asal="Jawa Timur")])
    _, validated = load(path)
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "province"] == "35"


def test_header_in_another_order(tmp_path):
    header = list(reversed(HEADER))
    rows = [record(header, usia="52", jenis_kelamin="P", negara_penempatan="Arab Saudi", skema="G2G")]
    path = write_csv(tmp_path, header, rows)
    _, validated = load(path)
    assert validated.rejects.empty
    row = validated.accepted.loc[2]
    assert (row["age"], row["sex"], row["destination"], row["scheme"]) == (52, "F", "SAU", "G2G")
    assert row["placement_date"] == pd.Timestamp("2023-01-10")


def test_extra_columns_are_ignored_and_reported(tmp_path):
    header = ["No", *HEADER[:4], "Catatan", *HEADER[4:]]
    rows = [["1", *record()[:4], "berangkat pagi", *record()[4:]]]
    path = write_csv(tmp_path, header, rows)
    read, validated = load(path)
    assert read.ignored_columns == ["No", "Catatan"]
    assert validated.rejects.empty
    assert "catatan" not in validated.accepted.columns
    assert validated.accepted.loc[2, "age"] == 30


# --- Blank lines and line numbers ----------------------------------------------------------------


def test_blank_lines_keep_physical_line_numbers(tmp_path):
    rows = [
        BLANK,  # line 2
        record(id_pmi="A"),  # line 3
        BLANK,  # line 4
        BLANK,  # line 5
        record(id_pmi="B", usia="16"),  # line 6: rejected
        [""] * len(HEADER),  # line 7: only delimiters
        record(id_pmi="C", negara_penempatan="Jepang"),  # line 8
        BLANK,  # line 9
    ]
    read, validated = load(write_csv(tmp_path, HEADER, rows))
    assert read.rows.index.tolist() == [3, 6, 8]
    assert read.rows["id_pmi"].tolist() == ["A", "B", "C"]
    assert validated.accepted.index.tolist() == [3, 8]
    assert validated.accepted.loc[8, "destination"] == "JPN"
    reject = only_reject(validated)
    assert (reject["line"], reject["column_name"], reject["value"]) == (6, "usia", "16")


def test_blank_lines_in_a_semicolon_windows_1252_file(tmp_path):
    rows = [record(id_pmi="A"), BLANK, record(id_pmi="B", negara_penempatan="Türkiye", usia="x")]
    read, validated = load(write_csv(tmp_path, HEADER, rows, delimiter=";", encoding="cp1252"))
    assert read.encoding == "windows-1252"
    assert validated.accepted.index.tolist() == [2]
    reject = only_reject(validated)
    assert (reject["line"], reject["column_name"], reject["value"]) == (4, "usia", "x")
    assert read.rows.loc[4, "destination"] == "TUR"


def test_quoted_multiline_field_keeps_physical_line_numbers(tmp_path):
    rows = [
        record(id_pmi="A", jabatan="Domestic\nWorker"),  # lines 2-3
        record(id_pmi="B", usia="16"),
    ]  # line 4
    read, validated = load(write_csv(tmp_path, HEADER, rows))
    assert read.rows.index.tolist() == [2, 4]
    assert only_reject(validated)["line"] == 4


# --- Whole-file errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["usia", "negara_penempatan", "id_pmi"])
def test_missing_required_column(tmp_path, missing):
    header = [column for column in HEADER if column != missing]
    path = write_csv(tmp_path, header, [record(header)])
    with pytest.raises(FileFormatError) as error:
        read_placement_file(path)
    message = str(error.value)
    assert str(path) in message
    assert "line 1" in message
    assert missing in message


@pytest.mark.parametrize(
    "name",
    ["placements.csv", "penempatan_pmi_2023_1.csv", "penempatan_pmi_2023_01.xlsx", "penempatan_2023_01.csv"],
)
def test_bad_file_name(tmp_path, name):
    path = write_csv(tmp_path, HEADER, [record()], name=name)
    with pytest.raises(FileFormatError, match=r"penempatan_pmi_YYYY_MM\.csv") as error:
        read_placement_file(path)
    assert name in str(error.value)


@pytest.mark.parametrize("month", ["13", "00"])
def test_month_that_does_not_exist(tmp_path, month):
    name = f"penempatan_pmi_2023_{month}.csv"
    path = write_csv(tmp_path, HEADER, [record()], name=name)
    with pytest.raises(FileFormatError, match=f"month {month}") as error:
        read_placement_file(path)
    assert name in str(error.value)


def test_a_line_neither_utf8_nor_windows_1252_is_rejected_on_its_own(tmp_path):
    # Issue 13: one undecodable line no longer refuses the file; the good line loads.
    path = tmp_path / FILE_NAME
    good = ",".join(record(id_pmi="PMI-GOOD")).encode()
    bad = b"PMI-\x81," + b",".join(v.encode() for v in record()[1:])
    path.write_bytes(b"\n".join([",".join(HEADER).encode(), bad, good]))
    _, validated = load(path)
    assert validated.accepted.index.tolist() == [3]
    reject = only_reject(validated)
    assert (reject["line"], reject["reason"]) == (2, "line is neither UTF-8 nor Windows-1252 text")
    assert reject["value"].startswith("PMI-\\x81,2023-01-10")


def test_content_argument_is_read_instead_of_the_disk(tmp_path):
    path = tmp_path / FILE_NAME  # never written
    content = "\n".join([";".join(HEADER), ";".join(record(usia="33"))]).encode("cp1252")
    read = read_placement_file(path, content)
    assert read.delimiter == ";"
    assert read.rows.loc[2, "age"] == 33


def test_empty_header_line(tmp_path):
    path = tmp_path / FILE_NAME
    path.write_bytes(b"\n" + ",".join(HEADER).encode())
    with pytest.raises(FileFormatError, match="line 1"):
        read_placement_file(path)


def test_bom_followed_by_undecodable_bytes(tmp_path):
    path = tmp_path / FILE_NAME
    path.write_bytes(b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\n\x81")
    read, validated = load(path)
    assert read.encoding == "utf-8-sig"
    assert validated.accepted.empty
    assert only_reject(validated)["reason"] == "line is neither UTF-8 nor Windows-1252 text"


def test_file_name_with_a_prefix_is_rejected(tmp_path):
    # A copy left in kp2mi/penempatan/ would otherwise load as a second January 2023 file.
    path = write_csv(tmp_path, HEADER, [record()], name="salinan_penempatan_pmi_2023_01.csv")
    with pytest.raises(FileFormatError):
        read_placement_file(path)


def test_repeated_column_is_a_file_format_error(tmp_path):
    header = [*HEADER, "usia"]
    path = write_csv(tmp_path, header, [[*record(), "12"]])
    with pytest.raises(FileFormatError, match=r"line 1: column\(s\) usia appear more than once"):
        read_placement_file(path)


def test_any_kode_provinsi_column_carries_bps_codes(tmp_path):
    header = ["kode_provinsi_asal" if column == "kode_provinsi" else column for column in HEADER]
    rows = [record(header, kode_provinsi_asal="35", provinsi_asal="")]
    read, validated = load(write_csv(tmp_path, header, rows))
    assert read.ignored_columns == []
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "province"] == "35"


def test_typed_rows_come_in_line_order_whatever_order_duckdb_gives(tmp_path):
    rows = [record(id_pmi=name) for name in "ABCD"]
    read = read_placement_file(write_csv(tmp_path, HEADER, rows))
    connection = read.connection
    view = connection.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'typed'").fetchone()[0]
    connection.execute("DROP VIEW typed")
    connection.execute(f"{view.rstrip(';')} ORDER BY d.line DESC")  # the same view, lines reversed
    typed = read.typed()
    assert typed["line"].to_pylist() == [2, 3, 4, 5]
    assert typed["id_pmi"].to_pylist() == ["A", "B", "C", "D"]
