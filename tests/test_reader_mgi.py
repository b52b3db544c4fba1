"""MGI assessment files (spec §0 and §2.7): names, CSV and workbook variants, typing, row validation."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.mgi_assessment import Assessment, assessment_of, read_mgi_file
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.validation import ValidatedRows, validate_rows

NATIONAL = "mgi_nasional_IDN_2023.csv"
LOCAL_XLSX = "mgi_lokal_33_2023.xlsx"
COLUMNS = ["indikator_id", "domain", "pertanyaan", "jawaban", "justifikasi", "sumber", "sorotan"]
ROWS = [
    ["1.1", "1", "Access to health care?", "Ya", "Law 36/2009", "UU 36/2009", "1"],
    ["2.1", "2", "A coordinating agency?", "Sebagian", "One for workers only", "UU 18/2017", ""],
    ["3.1", "3", "Bilateral agreements?", "Tidak", "None found", "", "0"],
]


def csv_text(rows: list[list[str]], delimiter: str = ",", header: list[str] = COLUMNS) -> str:
    return "\n".join(delimiter.join(row) for row in [header, *rows]) + "\n"


def write_csv(tmp_path: Path, text: str, name: str = NATIONAL, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, sheets: dict[str, list[list]], name: str = LOCAL_XLSX) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def load(path: Path) -> tuple[ReadFile, ValidatedRows]:
    read = read_mgi_file(path)
    return read, validate_rows(read.rows, read.raw, contract_for("staging.mgi_assessments"), read.issues)


def rejects_of(validated: ValidatedRows) -> list[tuple]:
    return [tuple(row) for row in validated.rejects[["line", "column_name", "value", "reason"]].to_numpy()]


def accepted(validated: ValidatedRows, *columns: str) -> list[tuple]:
    frame = validated.accepted[list(columns)].astype(object)
    return [tuple(row) for row in frame.where(frame.notna(), None).to_numpy()]


# --- File names -----------------------------------------------------------------------------------


def test_the_name_gives_level_area_and_year():
    assert assessment_of(Path("mgi_nasional_IDN_2023.csv")) == Assessment("NATIONAL", "IDN", 2023, "csv")
    assert assessment_of(Path("MGI_Lokal_33_2023.XLSX")) == Assessment("LOCAL", "33", 2023, "xlsx")
    assert assessment_of(Path("mgi_nasional_idn_2019.csv")) == Assessment("NATIONAL", "IDN", 2019, "csv")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("mgi_nasional_JKT_2023.csv", "a national (nasional) assessment's area is IDN, not 'JKT'"),
        ("mgi_nasional_33_2023.csv", "a national (nasional) assessment's area is IDN, not '33'"),
        ("mgi_lokal_IDN_2023.csv", "'IDN' is not a BPS province code"),
        ("mgi_lokal_99_2023.csv", "'99' is not a BPS province code"),
        ("mgi_lokal_93_2023.xlsx", "'93' is not a BPS province code"),  # Kemendagri's Papua Selatan
        ("mgi_regional_33_2023.csv", "level 'regional' in the name is neither nasional nor lokal"),
        ("mgi_nasional_IDN_2023.txt", "name does not match mgi_<nasional|lokal>_<IDN|BPS province code>"),
        ("mgi_nasional_IDN.csv", "name does not match"),
        ("mgi_nasional_IDN_23.csv", "name does not match"),
        ("mgi_nasional_IDN_2014.csv", "year 2014 in the name is before the MGI began (2015)"),
    ],
)
def test_a_name_outside_the_spec_is_refused_naming_the_file(tmp_path, name, message):
    path = write_csv(tmp_path, csv_text(ROWS), name=name)
    with pytest.raises(FileFormatError) as refused:
        read_mgi_file(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert message in str(refused.value)


# --- CSV variants -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (";", "utf-8"), (";", "utf-8-sig")])
def test_csv_with_either_delimiter(tmp_path, delimiter, encoding):
    path = write_csv(tmp_path, csv_text(ROWS, delimiter), encoding=encoding)
    read, validated = load(path)
    assert (read.delimiter, read.encoding, read.ignored_columns) == (delimiter, encoding, [])
    assert rejects_of(validated) == []
    assert accepted(validated, "assessment_level", "area", "year", "indicator_id", "domain", "answer") == [
        ("NATIONAL", "IDN", 2023, "1.1", 1, "YES"),
        ("NATIONAL", "IDN", 2023, "2.1", 2, "PARTIAL"),
        ("NATIONAL", "IDN", 2023, "3.1", 3, "NO"),
    ]
    assert accepted(validated, "highlighted", "source") == [
        (True, "UU 36/2009"),
        (False, "UU 18/2017"),
        (False, None),
    ]
    assert validated.accepted.index.tolist() == [2, 3, 4]


def test_windows_1252_text(tmp_path):
    rows = [
        [
            "1.1",
            "Migrants’ rights",
            "Are migrants’ rights in law?",
            "Yes",
            "Pasal 28D ayat (2) — UUD 1945",
            "UUD",
            "",
        ]
    ]
    path = write_csv(tmp_path, csv_text(rows, ";"), encoding="cp1252")
    read, validated = load(path)
    assert read.encoding == "windows-1252"
    assert accepted(validated, "domain", "domain_label", "question", "justification") == [
        (1, "Migrants’ rights", "Are migrants’ rights in law?", "Pasal 28D ayat (2) — UUD 1945")
    ]


def test_upper_case_shuffled_headers_and_an_extra_column(tmp_path):
    header = [
        "SUMBER",
        "Jawaban",
        "INDIKATOR_ID",
        "Pertanyaan",
        "Domain",
        "Sorotan",
        "Justifikasi",
        "Catatan",
    ]
    rows = [["UU 18/2017", "ya", "6.1", "Licensing of agencies?", "6", "1", "Yes", "checked"]]
    read, validated = load(write_csv(tmp_path, csv_text(rows, header=header)))
    assert read.ignored_columns == ["Catatan"]
    assert accepted(validated, "indicator_id", "domain", "answer", "highlighted") == [("6.1", 6, "YES", True)]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Ya", "YES"),
        ("YA", "YES"),
        ("yes", "YES"),
        ("Yes", "YES"),
        ("Sebagian", "PARTIAL"),
        ("sebagian", "PARTIAL"),
        ("Partially", "PARTIAL"),
        ("PARTIALLY", "PARTIAL"),
        ("Tidak", "NO"),
        ("tidak", "NO"),
        ("No", "NO"),
        ("NO", "NO"),
    ],
)
def test_answers_in_indonesian_or_english_in_any_case(tmp_path, written, code):
    _, validated = load(write_csv(tmp_path, csv_text([["1.1", "1", "Q?", written, "", "", ""]])))
    assert accepted(validated, "answer", "answer_label") == [(code, written)]


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("1", 1),
        ("Migrants' rights", 1),
        ("HAK-HAK MIGRAN", 1),
        ("Whole-of-government approach", 2),
        ("pendekatan seluruh pemerintahan", 2),
        ("Partnerships", 3),
        ("Kemitraan", 3),
        ("Socioeconomic well-being of migrants", 4),
        ("Kesejahteraan sosial ekonomi migran", 4),
        ("mobility dimensions of crises", 5),
        ("Dimensi Mobilitas dalam Krisis", 5),
        ("Safe, orderly and regular migration", 6),
        ("Migrasi yang aman, tertib dan teratur", 6),
        ("6", 6),
    ],
)
def test_domain_by_number_or_by_name(tmp_path, written, number):
    text = csv_text([["1.1", written, "Q?", "Ya", "", "", ""]], ";")
    _, validated = load(write_csv(tmp_path, text))
    assert accepted(validated, "domain", "domain_label") == [(number, written)]


# --- Row errors ---------------------------------------------------------------------------------------


def test_each_bad_row_is_rejected_with_its_reason_and_the_rest_loads(tmp_path):
    rows = [
        ["1.1", "1", "Fine", "Ya", "", "", "1"],
        ["1.2", "1", "Unknown answer", "Mungkin", "", "", ""],
        ["1.3", "1", "Answer missing", "", "", "", ""],
        ["2.1", "7", "Domain above 6", "Ya", "", "", ""],
        ["2.2", "0", "Domain below 1", "Ya", "", "", ""],
        ["2.3", "Domain Tujuh", "Unknown domain name", "Ya", "", "", ""],
        ["2.4", "", "Domain missing", "Ya", "", "", ""],
        ["2.5", "99999999999999999999", "Domain far too long", "Ya", "", "", ""],
        ["", "3", "Indicator id missing", "Ya", "", "", ""],
        ["3.1", "3", "First of three", "Ya", "", "", ""],
        ["3.1", "3", "Second of three", "Tidak", "", "", ""],
        ["4.1", "4", "Highlight neither 1 nor 0", "Ya", "", "", "ya"],
        ["3.1", "3", "Third of three", "Ya", "", "", ""],
        ["5.1", "5", "Fine too", "Sebagian", "", "", ""],
    ]
    _, validated = load(write_csv(tmp_path, csv_text(rows)))
    repeated = "indicator (indikator_id) repeated within the assessment, on lines 11, 12, 14"
    no_domain = "domain is neither 1-6 nor a domain name (English or Indonesian)"
    assert rejects_of(validated) == [
        (3, "jawaban", "Mungkin", "answer (jawaban) is not Ya/Tidak/Sebagian or Yes/No/Partially"),
        (4, "jawaban", None, "answer (jawaban) is missing"),
        (5, "domain", "7", "domain outside 1-6"),
        (6, "domain", "0", "domain outside 1-6"),
        (7, "domain", "Domain Tujuh", no_domain),
        (8, "domain", None, "domain is missing"),
        (9, "domain", "99999999999999999999", no_domain),
        (10, "indikator_id", None, "indicator id (indikator_id) is missing"),
        (11, "indikator_id", "3.1", repeated),
        (12, "indikator_id", "3.1", repeated),
        (13, "sorotan", "ya", "highlight (sorotan) is neither 1, 0 nor empty"),
        (14, "indikator_id", "3.1", repeated),
    ]
    assert accepted(validated, "indicator_id", "answer", "highlighted") == [
        ("1.1", "YES", True),
        ("5.1", "PARTIAL", False),
    ]


def test_a_row_with_several_problems_gives_one_reject_per_problem(tmp_path):
    _, validated = load(write_csv(tmp_path, csv_text([["", "9", "Q?", "Maybe", "", "", "2"]])))
    assert [(column, reason) for _, column, _, reason in rejects_of(validated)] == [
        ("jawaban", "answer (jawaban) is not Ya/Tidak/Sebagian or Yes/No/Partially"),
        ("domain", "domain outside 1-6"),
        ("sorotan", "highlight (sorotan) is neither 1, 0 nor empty"),
        ("indikator_id", "indicator id (indikator_id) is missing"),
    ]
    assert validated.accepted.empty


def test_a_missing_column_refuses_the_file(tmp_path):
    header = [column for column in COLUMNS if column != "sorotan"]
    path = write_csv(tmp_path, csv_text([row[:-1] for row in ROWS], header=header))
    with pytest.raises(FileFormatError, match=r"line 1: required column\(s\) missing: sorotan"):
        read_mgi_file(path)


# --- Workbooks --------------------------------------------------------------------------------------


def test_workbook_with_a_title_row_numbers_and_a_notes_sheet(tmp_path):
    path = write_xlsx(
        tmp_path,
        {
            "Asesmen": [
                ["MGI lokal Jawa Tengah 2023"],
                COLUMNS,
                ["1.1", "Hak-hak migran", "Q one?", "Yes", "J", "ILUSTRASI / ILLUSTRATIVE: sample", 1],
                [1.2, 1, "Q two?", "partially", None, None, 0],
                [None, None, None, None, None, None, None],
                ["6.1", 6.0, "Q three?", "NO", "J", "S", None],
            ],
            "Catatan": [["ILUSTRASI / ILLUSTRATIVE"], ["Not an official MGI result."]],
        },
    )
    read, validated = load(path)
    assert (read.encoding, read.delimiter) == ("xlsx", None)
    assert read.ignored_columns == ['sheet "Catatan" (no header row)']
    assert rejects_of(validated) == []
    assert accepted(validated, "area", "indicator_id", "domain", "answer", "highlighted") == [
        ("33", "1.1", 1, "YES", True),
        ("33", "1.2", 1, "PARTIAL", False),
        ("33", "6.1", 6, "NO", False),
    ]
    assert validated.accepted.index.tolist() == [3, 4, 6]  # rows of the sheet; the blank row 5 dropped


def test_workbook_whose_first_sheet_is_notes_reads_the_sheet_with_the_header(tmp_path):
    path = write_xlsx(
        tmp_path,
        {
            "Catatan": [["Catatan: contoh ilustratif"]],
            "Data": [COLUMNS, ["2.1", "2", "Q?", "Tidak", None, None, None]],
            "Salinan": [COLUMNS, ["2.1", "2", "Q?", "Ya", None, None, None]],
        },
    )
    read, validated = load(path)
    assert read.ignored_columns == [
        'sheet "Catatan" (no header row)',
        'sheet "Salinan" (the header row again; only the first sheet with it is read)',
    ]
    assert accepted(validated, "indicator_id", "answer") == [("2.1", "NO")]
    assert validated.accepted.index.tolist() == [2]


def test_workbook_rejects_rows_like_a_csv(tmp_path):
    path = write_xlsx(
        tmp_path,
        {
            "Asesmen": [
                COLUMNS,
                ["1.1", 8, "Q?", "Ya", None, None, None],
                ["1.2", 1, "Q?", "Maybe", None, None, 3],
            ]
        },
    )
    _, validated = load(path)
    assert rejects_of(validated) == [
        (2, "domain", "8", "domain outside 1-6"),
        (3, "jawaban", "Maybe", "answer (jawaban) is not Ya/Tidak/Sebagian or Yes/No/Partially"),
        (3, "sorotan", "3", "highlight (sorotan) is neither 1, 0 nor empty"),
    ]


def test_workbook_without_a_header_row_is_refused(tmp_path):
    path = write_xlsx(tmp_path, {"Catatan": [["only notes"]], "Kosong": []})
    with pytest.raises(FileFormatError, match="no sheet has a header row with indikator_id, domain"):
        read_mgi_file(path)


def test_workbook_with_a_repeated_header_is_refused(tmp_path):
    path = write_xlsx(
        tmp_path, {"Asesmen": [[*COLUMNS, "Domain"], ["1.1", 1, "Q?", "Ya", None, None, None, 2]]}
    )
    with pytest.raises(
        FileFormatError, match="sheet 'Asesmen' row 1: column\\(s\\) domain appear more than once"
    ):
        read_mgi_file(path)


def test_a_file_named_xlsx_that_is_no_workbook_is_refused(tmp_path):
    path = tmp_path / LOCAL_XLSX
    path.write_text(csv_text(ROWS), encoding="utf-8")
    with pytest.raises(FileFormatError, match=r"not a readable \.xlsx workbook"):
        read_mgi_file(path)
