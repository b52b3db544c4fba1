"""KP2MI record-level placement files (spec §0 and §2.1): reading, typing and row validation."""

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from sdmi_pipeline.contracts import contract_for
from sdmi_pipeline.readers import ReadFile
from sdmi_pipeline.readers.kp2mi_placements import SPEC_COLUMNS, read_placement_file
from sdmi_pipeline.readers.text import FileFormatError
from sdmi_pipeline.validation import ValidatedRows, validate_file

FILE_NAME = "penempatan_pmi_2023_01.csv"

HEADER = list(SPEC_COLUMNS)
HEADER_WITHOUT_CODE = [column for column in HEADER if column != "kode_provinsi"]
HEADER_KEMENDAGRI = ["kode_provinsi_kemendagri" if c == "kode_provinsi" else c for c in HEADER]

VALID = {
    "id_pmi": "PMI-001",
    "tanggal_penempatan": "2023-01-10",
    "jenis_kelamin": "L",
    "usia": "30",
    "pendidikan": "SMA",
    "kode_provinsi": "33",
    "provinsi_asal": "Jawa Tengah",
    "kabupaten_asal": "Cilacap",
    "negara_penempatan": "Taiwan",
    "jabatan": "Caregiver",
    "sektor": "Informal",
    "skema": "P2P",
}

BLANK: list[str] = []  # a row that writes as an empty line


def record(header: list[str] = HEADER, **changes: str) -> list[str]:
    """A valid placement row in `header` order, with `changes` applied (keys: canonical names)."""
    values = VALID | {"kode_provinsi_kemendagri": VALID["kode_provinsi"]} | changes
    return [values[column.lower()] for column in header]


def write_csv(
    tmp_path: Path,
    header: list[str],
    rows: list[list[str]],
    *,
    name: str = FILE_NAME,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write a delimited file as a publisher would; `BLANK` rows become empty lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def validate(read: ReadFile) -> ValidatedRows:
    return validate_file(read, contract_for("staging.kp2mi_placements"))


def load(path: Path) -> tuple[ReadFile, ValidatedRows]:
    read = read_placement_file(path)
    return read, validate(read)


def reject_records(validated: ValidatedRows) -> list[dict]:
    return validated.rejects.to_dict("records")


def placement_dates(validated: ValidatedRows) -> list[str]:
    return validated.accepted["placement_date"].dt.strftime("%Y-%m-%d").tolist()


def only_reject(validated: ValidatedRows) -> dict:
    rejects = reject_records(validated)
    assert len(rejects) == 1, rejects
    return rejects[0]


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


# --- Dates and ages ------------------------------------------------------------------------------


def test_iso_dates(tmp_path):
    rows = [record(tanggal_penempatan="2023-01-01"), record(id_pmi="B", tanggal_penempatan="2023-01-31")]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert placement_dates(validated) == ["2023-01-01", "2023-01-31"]


def test_day_first_dates(tmp_path):
    rows = [record(tanggal_penempatan="05/01/2023"), record(id_pmi="B", tanggal_penempatan="31/01/2023")]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    # 05/01 is the 5th of January, not the 1st of May.
    assert placement_dates(validated) == ["2023-01-05", "2023-01-31"]


def test_both_date_formats_in_one_file(tmp_path):
    rows = [record(tanggal_penempatan="2023-01-12"), record(id_pmi="B", tanggal_penempatan="13/01/2023")]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert placement_dates(validated) == ["2023-01-12", "2023-01-13"]


def test_file_month_comes_from_the_name(tmp_path):
    rows = [record(tanggal_penempatan="2024-12-31")]
    path = write_csv(tmp_path, HEADER, rows, name="penempatan_pmi_2024_12.csv")
    _, validated = load(path)
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "placement_date"] == pd.Timestamp("2024-12-31")


def test_ages_are_whole_years(tmp_path):
    rows = [record(usia="18"), record(id_pmi="B", usia="45.0"), record(id_pmi="C", usia=" 60 ")]
    read, validated = load(write_csv(tmp_path, HEADER, rows))
    assert read.rows["age"].dtype == "Int64"
    assert validated.rejects.empty
    assert validated.accepted["age"].tolist() == [18, 45, 60]


# --- Provinces -----------------------------------------------------------------------------------


def test_bps_province_code(tmp_path):
    rows = [
        record(kode_provinsi="94", provinsi_asal="Papua"),
        record(id_pmi="B", kode_provinsi="91", provinsi_asal="Papua Barat"),
    ]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["94", "91"]


@pytest.mark.parametrize(
    ("kemendagri", "name", "bps"),
    [
        ("91", "Papua", "94"),
        ("92", "Papua Barat", "91"),
        ("93", "Papua Selatan", "95"),
        ("94", "Papua Tengah", "96"),
        ("95", "Papua Pegunungan", "97"),
        ("96", "Papua Barat Daya", "92"),
        ("33", "Jawa Tengah", "33"),
    ],
)
def test_kemendagri_province_code(tmp_path, kemendagri, name, bps):
    rows = [record(HEADER_KEMENDAGRI, kode_provinsi_kemendagri=kemendagri, provinsi_asal=name)]
    read, validated = load(write_csv(tmp_path, HEADER_KEMENDAGRI, rows))
    assert read.ignored_columns == []
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "province"] == bps


def test_province_from_name_when_there_is_no_code_column(tmp_path):
    rows = [
        record(HEADER_WITHOUT_CODE, provinsi_asal="Jawa Barat"),
        record(HEADER_WITHOUT_CODE, id_pmi="B", provinsi_asal="Papua"),
    ]
    read, validated = load(write_csv(tmp_path, HEADER_WITHOUT_CODE, rows))
    assert read.ignored_columns == []
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["32", "94"]


def test_province_from_name_when_the_code_cell_is_empty(tmp_path):
    rows = [
        record(kode_provinsi="", provinsi_asal="Jawa Barat"),
        record(id_pmi="B", kode_provinsi="", provinsi_asal="NTT"),
    ]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["32", "53"]


def test_province_from_code_when_the_name_is_empty(tmp_path):
    _, validated = load(write_csv(tmp_path, HEADER, [record(kode_provinsi="51", provinsi_asal="")]))
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "province"] == "51"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("JAWA TIMUR", "35"),
        ("Jatim", "35"),
        ("Jateng", "33"),
        ("Jabar", "32"),
        ("D.K.I. Jakarta", "31"),
        ("Jakarta", "31"),
        ("DIY", "34"),
        ("D.I. Yogyakarta", "34"),
        ("Kep. Bangka Belitung", "19"),
        ("Babel", "19"),
        ("Kepri", "21"),
        ("NTB", "52"),
        ("NTT", "53"),
    ],
)
def test_province_name_variants(tmp_path, name, code):
    rows = [record(HEADER_WITHOUT_CODE, provinsi_asal=name)]
    _, validated = load(write_csv(tmp_path, HEADER_WITHOUT_CODE, rows))
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "province"] == code


def test_province_code_and_name_variant_agree(tmp_path):
    rows = [
        record(kode_provinsi="31", provinsi_asal="D.K.I. Jakarta"),
        record(id_pmi="B", kode_provinsi="34", provinsi_asal="DIY"),
    ]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["31", "34"]


# --- Countries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Hongkong", "HKG"),
        ("Hong Kong SAR", "HKG"),
        ("  korea   SELATAN ", "KOR"),
        ("Korsel", "KOR"),
        ("Arab Saudi", "SAU"),
        ("KSA", "SAU"),
        ("Tiongkok", "CHN"),
        ("RRT", "CHN"),
        ("Chinese Taipei", "TWN"),
        ("Uni Emirat Arab", "ARE"),
        ("Jepang", "JPN"),
        ("SINGAPURA", "SGP"),
        ("Turki", "TUR"),
        ("Brunei Darussalam", "BRN"),
        ("Amerika Serikat", "USA"),
        ("Malaysia", "MYS"),
        ("Polandia", "POL"),
    ],
)
def test_country_name_variants(tmp_path, name, iso3):
    _, validated = load(write_csv(tmp_path, HEADER, [record(negara_penempatan=name)]))
    assert validated.rejects.empty
    assert validated.accepted.loc[2, "destination"] == iso3
    assert validated.accepted.loc[2, "destination_label"] == name.strip()


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


# --- Rejects -------------------------------------------------------------------------------------


def assert_rejected(validated: ValidatedRows, line: int, column_name: str, value: str | None, reason: str):
    reject = only_reject(validated)
    assert reject["line"] == line
    assert reject["column_name"] == column_name
    assert reject["value"] == value
    assert reason in reject["reason"], reject["reason"]


def load_with_bad_row(tmp_path: Path, header: list[str] = HEADER, **changes: str) -> ValidatedRows:
    """A file whose line 3 carries `changes` between two valid rows (lines 2 and 4)."""
    rows = [
        record(header, id_pmi="GOOD-1"),
        record(header, **({"id_pmi": "BAD"} | changes)),
        record(header, id_pmi="GOOD-2"),
    ]
    _, validated = load(write_csv(tmp_path, header, rows))
    assert validated.accepted.index.tolist() == [2, 4]
    assert validated.accepted["id_pmi"].tolist() == ["GOOD-1", "GOOD-2"]
    return validated


@pytest.mark.parametrize(
    ("changes", "column_name", "value", "reason"),
    [
        pytest.param({"usia": "17"}, "usia", "17", "age under 18", id="age-under-18"),
        pytest.param({"usia": "0"}, "usia", "0", "age under 18", id="age-zero"),
        pytest.param({"usia": "25.5"}, "usia", "25.5", "age is not a whole number", id="age-fraction"),
        pytest.param({"usia": "dua puluh"}, "usia", "dua puluh", "age is not a whole number", id="age-text"),
        pytest.param({"usia": ""}, "usia", None, "age is missing", id="age-missing"),
        pytest.param(
            {"negara_penempatan": "Atlantis"},
            "negara_penempatan",
            "Atlantis",
            "not a known country name",
            id="destination-unknown",
        ),
        pytest.param(
            {"negara_penempatan": "Malaysya"},
            "negara_penempatan",
            "Malaysya",
            "not a known country name",
            id="destination-misspelt",
        ),
        pytest.param(
            {"negara_penempatan": "Lainnya"},
            "negara_penempatan",
            "Lainnya",
            "not a known country name",
            id="destination-rest-of-world",
        ),
        pytest.param(
            {"negara_penempatan": ""},
            "negara_penempatan",
            None,
            "destination country is missing",
            id="destination-missing",
        ),
        pytest.param(
            {"tanggal_penempatan": "2023-02-01"},
            "tanggal_penempatan",
            "2023-02-01",
            "outside the file's month 2023-01",
            id="date-next-month",
        ),
        pytest.param(
            {"tanggal_penempatan": "31/12/2022"},
            "tanggal_penempatan",
            "31/12/2022",
            "outside the file's month 2023-01",
            id="date-previous-month",
        ),
        pytest.param(
            {"tanggal_penempatan": "2023/01/15"},
            "tanggal_penempatan",
            "2023/01/15",
            "neither YYYY-MM-DD nor DD/MM/YYYY",
            id="date-unreadable",
        ),
        pytest.param(
            {"tanggal_penempatan": "31/02/2023"},
            "tanggal_penempatan",
            "31/02/2023",
            "neither YYYY-MM-DD nor DD/MM/YYYY",
            id="date-impossible",
        ),
        pytest.param(
            {"tanggal_penempatan": "15 Januari 2023"},
            "tanggal_penempatan",
            "15 Januari 2023",
            "neither YYYY-MM-DD nor DD/MM/YYYY",
            id="date-in-words",
        ),
        pytest.param(
            {"tanggal_penempatan": ""},
            "tanggal_penempatan",
            None,
            "placement date is missing",
            id="date-missing",
        ),
        pytest.param(
            {"kode_provinsi": "33", "provinsi_asal": "Jawa Timur"},
            "provinsi_asal",
            "Jawa Timur",
            "BPS province code means Jawa Tengah, the name says Jawa Timur",
            id="province-disagree",
        ),
        pytest.param(
            {"kode_provinsi": "99", "provinsi_asal": "Jawa Tengah"},
            "kode_provinsi",
            "99",
            "unknown BPS province code",
            id="province-code-unknown",
        ),
        pytest.param(
            {"kode_provinsi": "33", "provinsi_asal": "Atlantis Raya"},
            "provinsi_asal",
            "Atlantis Raya",
            "unknown province name",
            id="province-name-unknown",
        ),
        pytest.param(
            {"kode_provinsi": "", "provinsi_asal": "Atlantis Raya"},
            "provinsi_asal",
            "Atlantis Raya",
            "unknown province name",
            id="province-name-unknown-no-code",
        ),
        pytest.param(
            {"kode_provinsi": "", "provinsi_asal": ""},
            "provinsi_asal",
            None,
            "province of origin is missing",
            id="province-missing",
        ),
        pytest.param(
            {"jenis_kelamin": "X"}, "jenis_kelamin", "X", "sex is missing or not one of", id="sex-unknown"
        ),
        pytest.param({"jenis_kelamin": ""}, "jenis_kelamin", None, "sex is missing", id="sex-missing"),
        pytest.param(
            {"skema": "Kontrak"},
            "skema",
            "Kontrak",
            "placement scheme is missing or unknown",
            id="scheme-unknown",
        ),
        pytest.param(
            {"sektor": "Semi-formal"},
            "sektor",
            "Semi-formal",
            "sector is missing or not Formal",
            id="sector-unknown",
        ),
        pytest.param({"id_pmi": ""}, "id_pmi", None, "worker id (id_pmi) is missing", id="id-missing"),
    ],
)
def test_reject(tmp_path, changes, column_name, value, reason):
    validated = load_with_bad_row(tmp_path, **changes)
    assert_rejected(validated, 3, column_name, value, reason)


@pytest.mark.parametrize(
    ("code", "name", "reason"),
    [
        ("91", "Papua Barat", "Kemendagri province code means Papua, the name says Papua Barat"),
        ("92", "Papua", "Kemendagri province code means Papua Barat, the name says Papua"),
        ("33", "Jawa Timur", "Kemendagri province code means Jawa Tengah, the name says Jawa Timur"),
    ],
)
def test_reject_kemendagri_code_disagreeing_with_name(tmp_path, code, name, reason):
    validated = load_with_bad_row(
        tmp_path, HEADER_KEMENDAGRI, kode_provinsi_kemendagri=code, provinsi_asal=name
    )
    assert_rejected(validated, 3, "provinsi_asal", name, reason)


def test_reject_unknown_kemendagri_code(tmp_path):
    # 97 is a BPS code (Papua Pegunungan) but not a Kemendagri one.
    validated = load_with_bad_row(
        tmp_path, HEADER_KEMENDAGRI, kode_provinsi_kemendagri="97", provinsi_asal="Papua Pegunungan"
    )
    assert_rejected(validated, 3, "kode_provinsi_kemendagri", "97", "unknown Kemendagri province code")


def test_reject_keeps_the_column_name_as_delivered(tmp_path):
    header = [column.upper() for column in HEADER]
    validated = load_with_bad_row(tmp_path, header, usia="15")
    assert_rejected(validated, 3, "usia", "15", "age under 18")


def test_reject_duplicate_id_keeps_the_first_occurrence(tmp_path):
    rows = [
        record(id_pmi="PMI-7", usia="31"),  # line 2: first occurrence, accepted
        record(id_pmi="PMI-8"),  # line 3
        record(id_pmi="PMI-7", usia="44"),  # line 4: repeated, rejected
        record(id_pmi="PMI-9"),  # line 5
        record(id_pmi="PMI-7", usia="50"),
    ]  # line 6: repeated again, rejected
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.accepted.index.tolist() == [2, 3, 5]
    assert validated.accepted.loc[2, "age"] == 31
    rejects = reject_records(validated)
    assert [(r["line"], r["column_name"], r["value"]) for r in rejects] == [
        (4, "id_pmi", "PMI-7"),
        (6, "id_pmi", "PMI-7"),
    ]
    assert all("worker id (id_pmi) repeated within the file" in r["reason"] for r in rejects)
    assert validated.rejected_lines == 2


def test_row_with_several_problems_gives_one_reject_per_problem(tmp_path):
    bad = {"usia": "16", "jenis_kelamin": "X", "negara_penempatan": "Atlantis"}
    validated = load_with_bad_row(tmp_path, **bad)
    rejects = reject_records(validated)
    assert sorted((r["line"], r["column_name"], r["value"]) for r in rejects) == [
        (3, "jenis_kelamin", "X"),
        (3, "negara_penempatan", "Atlantis"),
        (3, "usia", "16"),
    ]
    assert validated.rejected_lines == 1


def test_unknown_province_code_is_not_reported_twice(tmp_path):
    validated = load_with_bad_row(tmp_path, kode_provinsi="99", provinsi_asal="")
    assert_rejected(validated, 3, "kode_provinsi", "99", "unknown BPS province code")


# --- Descriptive labels --------------------------------------------------------------------------


def test_unmapped_occupation_and_education_are_other_not_rejected(tmp_path):
    rows = [
        record(jabatan="Tukang Kebun", pendidikan="Pesantren"),
        record(id_pmi="B", jabatan="Domestic Worker", pendidikan="S1"),
    ]
    _, validated = load(write_csv(tmp_path, HEADER, rows))
    assert validated.rejects.empty
    first, second = validated.accepted.loc[2], validated.accepted.loc[3]
    assert (first["occupation"], first["occupation_label"]) == ("OTHER", "Tukang Kebun")
    assert (first["education"], first["education_label"]) == ("OTHER", "Pesantren")
    assert (second["occupation"], second["occupation_label"]) == ("DOMESTIC_WORKER", "Domestic Worker")
    assert (second["education"], second["education_label"]) == ("S1", "S1")


def test_empty_occupation_and_education_are_not_stated(tmp_path):
    _, validated = load(write_csv(tmp_path, HEADER, [record(jabatan="", pendidikan="")]))
    assert validated.rejects.empty
    row = validated.accepted.loc[2]
    assert (row["occupation"], row["education"]) == ("_U", "_U")
    assert pd.isna(row["occupation_label"]) and pd.isna(row["education_label"])


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Tidak Sekolah", "NONE"),
        ("SD", "SD"),
        ("SMP", "SMP"),
        ("SMA", "SMA"),
        ("SMK", "SMK"),
        ("D1", "D1"),
        ("D2", "D2"),
        ("D3", "D3"),
        ("S1", "S1"),
        ("S2", "S2"),
        ("S3", "S3"),
        ("sma", "SMA"),
    ],
)
def test_education_list_of_the_spec(tmp_path, label, code):
    _, validated = load(write_csv(tmp_path, HEADER, [record(pendidikan=label)]))
    assert validated.accepted.loc[2, "education"] == code


@pytest.mark.parametrize(
    ("skema", "scheme"),
    [
        ("P to P", "P2P"),
        ("P3MI", "P2P"),
        ("PPTKIS", "P2P"),
        ("G to G", "G2G"),
        ("Mandiri", "MANDIRI"),
        ("Perseorangan", "MANDIRI"),
        ("Perorangan", "MANDIRI"),
        ("Individu", "MANDIRI"),
        ("UKPS", "UKPS"),
    ],
)
def test_scheme_variants(tmp_path, skema, scheme):
    _, validated = load(write_csv(tmp_path, HEADER, [record(skema=skema)]))
    assert validated.accepted.loc[2, "scheme"] == scheme


@pytest.mark.parametrize(
    ("label", "sex"),
    [("L", "M"), ("Laki-laki", "M"), ("Male", "M"), ("P", "F"), ("Perempuan", "F"), ("F", "F")],
)
def test_sex_variants(tmp_path, label, sex):
    _, validated = load(write_csv(tmp_path, HEADER, [record(jenis_kelamin=label)]))
    assert validated.accepted.loc[2, "sex"] == sex


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
