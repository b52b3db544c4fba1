"""UNHCR population API answers and monthly snapshots (spec §0 and §2.4): reading, typing, row validation."""

import csv
import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sdmi_pipeline.contracts import contract_for
from sdmi_pipeline.ingest import Source, ingest_source
from sdmi_pipeline.readers import ReadFile
from sdmi_pipeline.readers.text import FileFormatError
from sdmi_pipeline.readers.unhcr_population import read_population_answer
from sdmi_pipeline.readers.unhcr_snapshot import read_snapshot_file
from sdmi_pipeline.validation import ValidatedRows, validate_rows
from sdmi_pipeline.warehouse import BOOKKEEPING_TABLES, SCHEMAS, create_documented_table

COA_FILE = "population_coa_IDN_2023.json"
COO_FILE = "population_coo_IDN_2023.json"
SNAPSHOT_FILE = "snapshot_indonesia_2024_03.csv"

POPULATION_COLUMNS = [
    "source_file",
    "file_sha256",
    "line",
    "page",
    "query",
    "year",
    "origin",
    "origin_label",
    "asylum",
    "asylum_label",
    "refugees",
    "asylum_seekers",
    "oip",
]
SNAPSHOT_COLUMNS = [
    "source_file",
    "file_sha256",
    "line",
    "snapshot_month",
    "origin",
    "origin_label",
    "population_type",
    "sex",
    "age_group",
    "location",
    "count",
]


# --- Population answers: helpers ----------------------------------------------------------------


def coa_item(**changes: object) -> dict:
    """An item of a coa=IDN answer (refugees in Indonesia from Afghanistan), with `changes`."""
    item = {
        "year": 2023,
        "coo_id": 1,
        "coo_name": "Afghanistan",
        "coo": "AFG",
        "coo_iso": "AFG",
        "coa_id": 96,
        "coa_name": "Indonesia",
        "coa": "INS",
        "coa_iso": "IDN",
        "refugees": 7103,
        "asylum_seekers": 151,
        "oip": 0,
    }
    return item | changes


def coo_item(**changes: object) -> dict:
    """An item of a coo=IDN answer (refugees from Indonesia in Australia), with `changes`."""
    item = coa_item(coo_name="Indonesia", coo="INS", coo_iso="IDN", coa_name="Australia", coa="AUL")
    return item | {"coa_iso": "AUS", "refugees": 45, "asylum_seekers": 12, "oip": 3} | changes


def page(items: list[dict], number: int = 1, max_pages: int = 1, total: int | None = None) -> dict:
    return {
        "page": number,
        "maxPages": max_pages,
        "total": len(items) if total is None else total,
        "items": items,
    }


def write_json(tmp_path: Path, answer: object, name: str = COA_FILE) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(answer), encoding="utf-8")
    return path


def validate(read: ReadFile, table: str) -> ValidatedRows:
    return validate_rows(read.rows, read.raw, contract_for(table), read.issues)


def load_answer(path: Path) -> tuple[ReadFile, ValidatedRows]:
    read = read_population_answer(path)
    return read, validate(read, "staging.unhcr_population")


def rejects_of(validated: ValidatedRows) -> list[tuple]:
    return [
        (r["line"], r["column_name"], r["value"], r["reason"]) for r in validated.rejects.to_dict("records")
    ]


# --- Population answers: variants ---------------------------------------------------------------


def test_one_page_object(tmp_path):
    items = [coa_item(), coa_item(coo_name="Myanmar", coo_iso="MMR", refugees=5321, asylum_seekers=0, oip=2)]
    read, validated = load_answer(write_json(tmp_path, page(items)))
    assert (read.encoding, read.delimiter, read.ignored_columns) == ("utf-8", None, [])
    assert read.header == {column: column for column in items[0]}
    assert list(read.raw.columns) == list(items[0])
    assert validated.rejects.empty
    assert validated.accepted.index.tolist() == [1, 2]
    assert validated.accepted.to_dict("records") == [
        {
            "page": 1,
            "query": "coa=IDN",
            "year": 2023,
            "origin": "AFG",
            "origin_label": "Afghanistan",
            "asylum": "IDN",
            "asylum_label": "Indonesia",
            "refugees": 7103,
            "asylum_seekers": 151,
            "oip": 0,
        },
        {
            "page": 1,
            "query": "coa=IDN",
            "year": 2023,
            "origin": "MMR",
            "origin_label": "Myanmar",
            "asylum": "IDN",
            "asylum_label": "Indonesia",
            "refugees": 5321,
            "asylum_seekers": 0,
            "oip": 2,
        },
    ]
    # The raw values are the ones delivered, as text.
    assert read.raw.loc[1, "refugees"] == "7103"
    assert read.raw.loc[1, "coo_id"] == "1"


def test_list_of_pages_is_read_in_page_order(tmp_path):
    answer = [
        page([coa_item(coo_name="Somalia", coo_iso="SOM", refugees=1190)], number=3, max_pages=3, total=4),
        page([coa_item(), coa_item(coo_name="Myanmar", coo_iso="MMR")], number=1, max_pages=3, total=4),
        page([coa_item(coo_name="Iraq", coo_iso="IRQ", refugees=400)], number=2, max_pages=3, total=4),
    ]
    read, validated = load_answer(write_json(tmp_path, answer))
    assert validated.rejects.empty
    accepted = validated.accepted
    assert accepted.index.tolist() == [1, 2, 3, 4]
    assert accepted["page"].tolist() == [1, 1, 2, 3]
    assert accepted["origin"].tolist() == ["AFG", "MMR", "IRQ", "SOM"]
    assert accepted.loc[4, "refugees"] == 1190
    assert read.raw.loc[4, "coo_name"] == "Somalia"


def test_counts_as_strings(tmp_path):
    items = [
        coa_item(refugees="7103", asylum_seekers=" 151 ", oip="0"),
        coa_item(coo_name="Myanmar", coo_iso="MMR", refugees=5321.0, asylum_seekers="0", oip=None),
    ]
    read, validated = load_answer(write_json(tmp_path, page(items)))
    assert validated.rejects.empty
    assert read.rows["refugees"].dtype == "Int64"
    assert validated.accepted["refugees"].tolist() == [7103, 5321]
    assert validated.accepted["asylum_seekers"].tolist() == [151, 0]
    assert validated.accepted.loc[1, "oip"] == 0
    assert pd.isna(validated.accepted.loc[2, "oip"])
    assert read.raw.loc[1, "asylum_seekers"] == " 151 "
    assert read.raw.loc[2, "refugees"] == "5321.0"
    assert pd.isna(read.raw.loc[2, "oip"])


def test_older_answer_without_oip(tmp_path):
    items = [{key: value for key, value in coa_item().items() if key != "oip"}]
    read, validated = load_answer(write_json(tmp_path, page(items)))
    assert "oip" not in read.raw.columns
    assert validated.rejects.empty
    assert pd.isna(validated.accepted.loc[1, "oip"])
    assert validated.accepted.loc[1, "refugees"] == 7103


def test_answer_for_refugees_from_indonesia(tmp_path):
    items = [coo_item(), coo_item(coa_name="Netherlands", coa_iso="NLD", refugees="7", asylum_seekers=0)]
    _, validated = load_answer(write_json(tmp_path, page(items), name=COO_FILE))
    assert validated.rejects.empty
    assert validated.accepted["query"].tolist() == ["coo=IDN", "coo=IDN"]
    assert validated.accepted["origin"].tolist() == ["IDN", "IDN"]
    assert validated.accepted["asylum"].tolist() == ["AUS", "NLD"]
    assert validated.accepted["asylum_label"].tolist() == ["Australia", "Netherlands"]
    assert validated.accepted["refugees"].tolist() == [45, 7]


def test_country_from_the_name_when_the_code_is_no_iso_code(tmp_path):
    items = [
        coa_item(coo_iso=None, coo_name="Myanmar"),
        coa_item(coo_iso="SOM", coo_name="Somalia"),
        coa_item(coo_iso="", coo_name="Sri Lanka"),
        coa_item(coo_iso="afg", coo_name="Afghanistan"),
    ]
    _, validated = load_answer(write_json(tmp_path, page(items)))
    assert validated.rejects.empty
    assert validated.accepted["origin"].tolist() == ["MMR", "SOM", "LKA", "AFG"]


def test_answer_with_a_byte_order_mark(tmp_path):
    path = tmp_path / COA_FILE
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(page([coa_item()])).encode())
    read, validated = load_answer(path)
    assert read.encoding == "utf-8-sig"
    assert validated.accepted.loc[1, "origin"] == "AFG"


def test_empty_answer(tmp_path):
    read, validated = load_answer(write_json(tmp_path, page([], max_pages=0)))
    assert read.rows.empty
    assert validated.accepted.empty
    assert validated.rejects.empty


def test_content_argument_is_read_instead_of_the_disk(tmp_path):
    read = read_population_answer(tmp_path / COA_FILE, json.dumps(page([coa_item(refugees=9)])).encode())
    assert read.rows.loc[1, "refugees"] == 9


# --- Population answers: rejected items ---------------------------------------------------------


def load_with_bad_item(tmp_path: Path, name: str = COA_FILE, **changes: object) -> ValidatedRows:
    """An answer whose item 2 carries `changes` between two valid items (1 and 3)."""
    # Three countries on the varying side: a country given twice is an error of its own.
    if name == COA_FILE:
        items = [coa_item(), coa_item(coo_iso="SOM", coo_name="Somalia") | changes]
        items.append(coa_item(refugees=1, coo_iso="MMR", coo_name="Myanmar"))
    else:
        items = [coo_item(), coo_item(coa_iso="MYS", coa_name="Malaysia") | changes]
        items.append(coo_item(refugees=1, coa_iso="PNG", coa_name="Papua New Guinea"))
    _, validated = load_answer(write_json(tmp_path, page(items), name=name))
    assert validated.accepted.index.tolist() == [1, 3]
    return validated


NOT_WHOLE = "is not a whole number (plain digits, without thousands separators)"


@pytest.mark.parametrize(
    ("changes", "column_name", "value", "reason"),
    [
        pytest.param({"refugees": "1,234"}, "refugees", "1,234", f'refugees "1,234" {NOT_WHOLE}', id="comma"),
        pytest.param({"refugees": "1.234"}, "refugees", "1.234", f'refugees "1.234" {NOT_WHOLE}', id="dot"),
        pytest.param(
            {"asylum_seekers": "abc"}, "asylum_seekers", "abc", f'asylum_seekers "abc" {NOT_WHOLE}', id="text"
        ),
        pytest.param({"oip": "1 234"}, "oip", "1 234", f'oip "1 234" {NOT_WHOLE}', id="oip-space"),
        pytest.param({"refugees": 12.5}, "refugees", "12.5", f'refugees "12.5" {NOT_WHOLE}', id="fraction"),
        pytest.param({"refugees": True}, "refugees", "true", f'refugees "true" {NOT_WHOLE}', id="boolean"),
        pytest.param({"refugees": -4}, "refugees", "-4", "refugees count is negative", id="negative"),
        pytest.param(
            {"asylum_seekers": "-1"},
            "asylum_seekers",
            "-1",
            "asylum_seekers count is negative",
            id="neg-text",
        ),
        pytest.param({"refugees": None}, "refugees", None, "refugees count is missing", id="null"),
        pytest.param({"refugees": ""}, "refugees", "", "refugees count is missing", id="empty"),
        pytest.param(
            {"coa_iso": "MYS", "coa_name": "Malaysia"},
            "coa_iso",
            "MYS",
            'coa_iso "MYS" is not IDN: this answer is for coa=IDN',
            id="asylum-not-indonesia",
        ),
        pytest.param(
            {"coa_iso": "-", "coa_name": "-"},
            "coa_iso",
            "-",
            'coa_iso "-" is not IDN: this answer is for coa=IDN',
            id="asylum-aggregated",
        ),
        pytest.param(
            {"coo_iso": "XXA", "coo_name": "Stateless"},
            "coo_iso",
            "XXA",
            'unknown country: coo_iso "XXA" is no ISO 3166-1 code '
            'and coo_name "Stateless" no known country name',
            id="unknown-country",
        ),
        pytest.param(
            {"coo_iso": None, "coo_name": "Atlantis"},
            "coo_iso",
            None,
            "unknown country: coo_iso empty is no ISO 3166-1 code "
            'and coo_name "Atlantis" no known country name',
            id="unknown-name-no-code",
        ),
        pytest.param(
            {"coo_iso": None, "coo_name": None},
            "coo_iso",
            None,
            "country of origin is missing or not a known country (coo_iso / coo_name)",
            id="origin-missing",
        ),
        pytest.param(
            {"year": 2022}, "year", "2022", "year 2022 is not the file's year 2023", id="other-year"
        ),
        pytest.param(
            {"year": "2022"}, "year", "2022", "year 2022 is not the file's year 2023", id="other-year-text"
        ),
        pytest.param({"year": "tahun"}, "year", "tahun", 'year "tahun" is not a year', id="year-text"),
        pytest.param({"year": None}, "year", None, "year is missing", id="year-missing"),
    ],
)
def test_rejected_item(tmp_path, changes, column_name, value, reason):
    validated = load_with_bad_item(tmp_path, **changes)
    assert rejects_of(validated) == [(2, column_name, value, reason)]


@pytest.mark.parametrize(
    ("changes", "column_name", "value", "reason"),
    [
        pytest.param(
            {"coo_iso": "AFG", "coo_name": "Afghanistan"},
            "coo_iso",
            "AFG",
            'coo_iso "AFG" is not IDN: this answer is for coo=IDN',
            id="origin-not-indonesia",
        ),
        pytest.param(
            {"coa_iso": "ZZZ", "coa_name": "Narnia"},
            "coa_iso",
            "ZZZ",
            'unknown country: coa_iso "ZZZ" is no ISO 3166-1 code '
            'and coa_name "Narnia" no known country name',
            id="unknown-asylum",
        ),
    ],
)
def test_rejected_item_of_a_coo_answer(tmp_path, changes, column_name, value, reason):
    validated = load_with_bad_item(tmp_path, name=COO_FILE, **changes)
    assert rejects_of(validated) == [(2, column_name, value, reason)]


def test_item_with_several_problems_gives_one_reject_per_problem(tmp_path):
    validated = load_with_bad_item(tmp_path, coo_iso="XXA", coo_name="Stateless", refugees="1.000", year=2021)
    unknown = (
        'unknown country: coo_iso "XXA" is no ISO 3166-1 code and coo_name "Stateless" no known country name'
    )
    assert rejects_of(validated) == [
        (2, "coo_iso", "XXA", unknown),
        (2, "refugees", "1.000", f'refugees "1.000" {NOT_WHOLE}'),
        (2, "year", "2021", "year 2021 is not the file's year 2023"),
    ]
    assert validated.rejected_lines == 1


def test_rejected_item_on_a_later_page_keeps_its_line(tmp_path):
    answer = [
        page([coa_item(), coa_item(coo_iso="MMR", coo_name="Myanmar")], number=1, max_pages=2, total=3),
        page([coa_item(refugees="2,5", coo_iso="SOM", coo_name="Somalia")], number=2, max_pages=2, total=3),
    ]
    _, validated = load_answer(write_json(tmp_path, answer))
    assert validated.accepted.index.tolist() == [1, 2]
    assert rejects_of(validated) == [(3, "refugees", "2,5", f'refugees "2,5" {NOT_WHOLE}')]


# --- Population answers: whole-file errors ------------------------------------------------------


def refused(path: Path) -> str:
    with pytest.raises(FileFormatError) as error:
        read_population_answer(path)
    message = str(error.value)
    assert message.startswith(f"{path}: "), message
    return message.removeprefix(f"{path}: ")


@pytest.mark.parametrize(
    "name",
    [
        "population_coa_IDN_23.json",
        "population_coa_MYS_2023.json",
        "population_IDN_2023.json",
        "population_coa_IDN_2023.csv",
        "salinan_population_coa_IDN_2023.json",
    ],
)
def test_bad_file_name(tmp_path, name):
    message = refused(write_json(tmp_path, page([coa_item()]), name=name))
    assert message == "name does not match population_coa_IDN_YYYY.json or population_coo_IDN_YYYY.json"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        pytest.param([], "an empty list, not the pages of an answer", id="empty-list"),
        pytest.param(
            {"items": [coa_item()]},
            "the answer is not a page object: page, maxPages, total missing",
            id="items-only",
        ),
        pytest.param(
            [page([coa_item()]), 7],
            "list element 2 is not a page object {page, maxPages, total, items}",
            id="not-an-object",
        ),
        pytest.param(
            page([coa_item()]) | {"items": {"a": 1}}, "the answer: items is not a list", id="items-not-a-list"
        ),
        pytest.param(
            page([coa_item()]) | {"page": "1"}, "the answer: page '1' is not a whole number", id="page-text"
        ),
        pytest.param(page([coa_item()], max_pages=3), "page 2 of 3 is missing", id="one-page-of-three"),
        pytest.param(
            [page([coa_item()], 1, 3, 2), page([coa_item()], 3, 3, 2)],
            "page 2 of 3 is missing",
            id="middle-page-missing",
        ),
        pytest.param(
            [page([coa_item()], 1, 2, 2), page([coa_item()], 1, 2, 2)],
            "page 1 appears 2 times",
            id="page-repeated",
        ),
        pytest.param(
            [page([coa_item()], 1, 2, 2), page([coa_item()], 3, 2, 2)],
            "page 3 is outside 1..2 (maxPages 2)",
            id="page-outside",
        ),
        pytest.param(
            [page([coa_item()], 1, 2, 2), page([coa_item()], 2, 3, 2)],
            "the pages disagree on maxPages: 2, 3",
            id="max-pages-disagree",
        ),
        pytest.param(
            page([coa_item(), coa_item()], total=3), "the pages hold 2 items but total says 3", id="total"
        ),
        pytest.param(
            [page([coa_item()], 1, 2, 3), page([coa_item()], 2, 2, 3)],
            "the pages hold 2 items but total says 3",
            id="total-over-pages",
        ),
        pytest.param(
            page([coa_item(), {k: v for k, v in coa_item().items() if k not in ("coa_iso", "refugees")}]),
            "page 1 item 2 (line 2): required field(s) absent: coa_iso, refugees",
            id="field-absent",
        ),
        pytest.param(
            [
                page([coa_item()], 1, 2, 2),
                page([{k: v for k, v in coa_item().items() if k != "year"}], 2, 2, 2),
            ],
            "page 2 item 1 (line 2): required field(s) absent: year",
            id="field-absent-page-2",
        ),
        pytest.param(
            page([coa_item(), "AFG"]), "page 1 item 2 (line 2) is not an object", id="item-not-object"
        ),
    ],
)
def test_answer_that_is_refused(tmp_path, answer, message):
    assert refused(write_json(tmp_path, answer)) == message


def test_not_json(tmp_path):
    path = tmp_path / COA_FILE
    path.write_text('{"page": 1, "maxPages": 1,', encoding="utf-8")
    assert refused(path).startswith("not valid JSON: Expecting property name enclosed in double quotes")


def test_not_utf8(tmp_path):
    path = tmp_path / COA_FILE
    path.write_bytes(
        json.dumps(page([coa_item(coo_name="Côte d'Ivoire")])).replace("\\u00f4", "ô").encode("cp1252")
    )
    assert refused(path).startswith("not UTF-8 (byte ")


def test_key_written_twice(tmp_path):
    path = tmp_path / COA_FILE
    path.write_text('{"page": 1, "page": 2, "maxPages": 1, "total": 0, "items": []}', encoding="utf-8")
    assert refused(path) == "key 'page' appears twice in one JSON object"


# --- Snapshots: helpers --------------------------------------------------------------------------

HEADER = ["country_of_origin", "population_type", "sex", "age_group", "location", "count"]
VALID = ["Afghanistan", "Refugee", "Male", "18-59", "Medan", "1890"]


def snapshot_row(**changes: str) -> list[str]:
    return [changes.get(column, value) for column, value in zip(HEADER, VALID, strict=True)]


def write_csv(
    tmp_path: Path,
    rows: list[list[str]],
    header: list[str] = HEADER,
    *,
    name: str = SNAPSHOT_FILE,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def load_snapshot(path: Path) -> tuple[ReadFile, ValidatedRows]:
    read = read_snapshot_file(path)
    return read, validate(read, "staging.unhcr_snapshot")


# --- Snapshots: variants -------------------------------------------------------------------------


def test_snapshot_utf8_comma(tmp_path):
    rows = [
        snapshot_row(),
        snapshot_row(
            country_of_origin="Myanmar",
            population_type="Asylum-seeker",
            sex="Female",
            age_group="0-4",
            location="Makassar",
            count="12",
        ),
    ]
    read, validated = load_snapshot(write_csv(tmp_path, rows))
    assert (read.encoding, read.delimiter, read.ignored_columns) == ("utf-8", ",", [])
    assert validated.rejects.empty
    assert validated.accepted.index.tolist() == [2, 3]
    assert validated.accepted.to_dict("records") == [
        {
            "snapshot_month": "2024-03",
            "origin": "AFG",
            "origin_label": "Afghanistan",
            "population_type": "REF",
            "sex": "M",
            "age_group": "Y18T59",
            "location": "Medan",
            "count": 1890,
        },
        {
            "snapshot_month": "2024-03",
            "origin": "MMR",
            "origin_label": "Myanmar",
            "population_type": "ASY",
            "sex": "F",
            "age_group": "Y0T4",
            "location": "Makassar",
            "count": 12,
        },
    ]


def test_snapshot_windows_1252_semicolon_with_indonesian_labels(tmp_path):
    rows = [
        snapshot_row(
            country_of_origin="Afganistan",
            population_type="Pengungsi",
            sex="Laki-laki",
            age_group="5-11",
            location="  Tanjung Pinang ",
            count="40",
        ),
        snapshot_row(
            country_of_origin="Côte d'Ivoire",
            population_type="Pencari Suaka",
            sex="Perempuan",
            age_group="60+",
            location="Jakarta",
            count="3",
        ),
        snapshot_row(
            country_of_origin="Somalia", population_type="pencari suaka", sex="P", age_group="12-17"
        ),
    ]
    path = write_csv(tmp_path, rows, delimiter=";", encoding="cp1252")
    assert b"C\xf4te" in path.read_bytes()
    read, validated = load_snapshot(path)
    assert (read.encoding, read.delimiter) == ("windows-1252", ";")
    assert validated.rejects.empty
    accepted = validated.accepted
    assert accepted["origin"].tolist() == ["AFG", "CIV", "SOM"]
    assert accepted["origin_label"].tolist() == ["Afganistan", "Côte d'Ivoire", "Somalia"]
    assert accepted["population_type"].tolist() == ["REF", "ASY", "ASY"]
    assert accepted["sex"].tolist() == ["M", "F", "F"]
    assert accepted["age_group"].tolist() == ["Y5T11", "Y_GE60", "Y12T17"]
    assert accepted["location"].tolist() == ["Tanjung Pinang", "Jakarta", "Medan"]
    assert accepted["count"].tolist() == [40, 3, 1890]


def test_snapshot_utf8_with_bom_and_headers_in_another_case_and_order(tmp_path):
    header = [column.upper() for column in reversed(HEADER)]
    rows = [list(reversed(snapshot_row(country_of_origin="Sri Lanka")))]
    read, validated = load_snapshot(write_csv(tmp_path, rows, header, encoding="utf-8-sig"))
    assert read.encoding == "utf-8-sig"
    assert read.header["country_of_origin"] == "COUNTRY_OF_ORIGIN"
    assert validated.accepted.loc[2, "origin"] == "LKA"
    assert validated.accepted.loc[2, "count"] == 1890


def test_snapshot_extra_columns_are_ignored_and_reported(tmp_path):
    header = ["No", *HEADER, "Catatan"]
    read, validated = load_snapshot(write_csv(tmp_path, [["1", *snapshot_row(), "baru"]], header))
    assert read.ignored_columns == ["No", "Catatan"]
    assert validated.rejects.empty


# --- Snapshots: rejected rows --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column_name", "value", "reason"),
    [
        pytest.param({"count": "1,234"}, "count", "1,234", f'count "1,234" {NOT_WHOLE}', id="count-comma"),
        pytest.param({"count": "1.234"}, "count", "1.234", f'count "1.234" {NOT_WHOLE}', id="count-dot"),
        pytest.param({"count": "banyak"}, "count", "banyak", f'count "banyak" {NOT_WHOLE}', id="count-text"),
        pytest.param({"count": "-2"}, "count", "-2", "count is negative", id="count-negative"),
        pytest.param({"count": ""}, "count", None, "count is missing", id="count-missing"),
        pytest.param(
            {"country_of_origin": "Atlantis"},
            "country_of_origin",
            "Atlantis",
            "country of origin is missing or not a known country name",
            id="country-unknown",
        ),
        pytest.param(
            {"country_of_origin": "Stateless"},
            "country_of_origin",
            "Stateless",
            "country of origin is missing or not a known country name",
            id="stateless",
        ),
        pytest.param(
            {"population_type": "Migrant"},
            "population_type",
            "Migrant",
            "population type is missing or not Refugee/Asylum-seeker (Pengungsi/Pencari Suaka)",
            id="population-type-unknown",
        ),
        pytest.param(
            {"sex": "X"},
            "sex",
            "X",
            "sex is missing or not one of L/P/M/F/Laki-laki/Perempuan/Male/Female",
            id="sex",
        ),
        pytest.param(
            {"age_group": "18-60"},
            "age_group",
            "18-60",
            "age group is missing or not one of 0-4, 5-11, 12-17, 18-59, 60+",
            id="age-group-unknown",
        ),
        pytest.param(
            {"location": " "}, "location", None, "location (city) is missing", id="location-missing"
        ),
    ],
)
def test_snapshot_rejected_row(tmp_path, changes, column_name, value, reason):
    bad = snapshot_row(**({"location": "Makassar"} | changes))  # another key than the good rows
    rows = [snapshot_row(), bad, snapshot_row(location="Batam")]
    _, validated = load_snapshot(write_csv(tmp_path, rows, delimiter=";"))
    assert validated.accepted.index.tolist() == [2, 4]
    assert rejects_of(validated) == [(3, column_name, value, reason)]


# --- Snapshots: whole-file errors ----------------------------------------------------------------


@pytest.mark.parametrize("missing", ["count", "location", "age_group"])
def test_snapshot_missing_column(tmp_path, missing):
    header = [column for column in HEADER if column != missing]
    rows = [[value for column, value in zip(HEADER, VALID, strict=True) if column != missing]]
    path = write_csv(tmp_path, rows, header)
    with pytest.raises(FileFormatError) as error:
        read_snapshot_file(path)
    assert str(error.value) == f"{path}: line 1: required column(s) missing: {missing}"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("snapshot_indonesia_2024_3.csv", "name does not match snapshot_indonesia_YYYY_MM.csv"),
        ("snapshot_2024_03.csv", "name does not match snapshot_indonesia_YYYY_MM.csv"),
        ("snapshot_indonesia_2024_13.csv", "month 13 in the file name does not exist"),
    ],
)
def test_snapshot_bad_file_name(tmp_path, name, message):
    path = write_csv(tmp_path, [snapshot_row()], name=name)
    with pytest.raises(FileFormatError) as error:
        read_snapshot_file(path)
    assert str(error.value) == f"{path}: {message}"


# --- Contracts and loading -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "columns"),
    [("staging.unhcr_population", POPULATION_COLUMNS), ("staging.unhcr_snapshot", SNAPSHOT_COLUMNS)],
)
def test_contract_creates_a_documented_table(table, columns):
    contract = contract_for(table)
    assert [column.name for column in contract.columns] == columns
    assert contract.primary_key == ("source_file", "file_sha256", "line")
    assert all(column.description_en and column.description_id for column in contract.columns)
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA staging")
    create_documented_table(connection, contract.table)
    described = connection.execute(
        "SELECT column_name, comment FROM duckdb_columns() "
        "WHERE schema_name = 'staging' ORDER BY column_index"
    ).fetchall()
    assert [name for name, _ in described] == columns
    assert all(" | " in comment for _, comment in described)


def ingest(tmp_path: Path, source: Source) -> tuple[duckdb.DuckDBPyConnection, list]:
    connection = duckdb.connect()
    for schema in SCHEMAS:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in BOOKKEEPING_TABLES:
        create_documented_table(connection, table)
    report = ingest_source(connection, tmp_path, source)
    return connection, report.files


def test_population_answer_loads_into_its_staging_table(tmp_path):
    (tmp_path / "unhcr").mkdir()
    # The `-` item is the total over all origins (`_T`), and agrees with the one origin given.
    items = [coa_item(), coa_item(coo_iso="-", coo_name="-")]
    write_json(tmp_path / "unhcr", page(items))
    source = Source(
        "unhcr_population",
        "UNHCR",
        "unhcr/population_*.json",
        "staging.unhcr_population",
        read_population_answer,
    )
    connection, files = ingest(tmp_path, source)
    assert [(f.status, f.rows_read, f.rows_accepted, f.rows_rejected) for f in files] == [("loaded", 2, 2, 0)]
    assert connection.execute(
        "SELECT source_file, line, page, query, origin, asylum, refugees, oip FROM staging.unhcr_population"
    ).fetchall() == [
        (f"unhcr/{COA_FILE}", 1, 1, "coa=IDN", "AFG", "IDN", 7103, 0),
        (f"unhcr/{COA_FILE}", 2, 1, "coa=IDN", "_T", "IDN", 7103, 0),
    ]
    assert connection.execute("SELECT line, column_name, value FROM meta.rejects").fetchall() == []
    assert connection.execute("SELECT encoding, delimiter FROM meta.raw_files").fetchall() == [
        ("utf-8", None)
    ]


def test_snapshot_loads_into_its_staging_table(tmp_path):
    (tmp_path / "unhcr").mkdir()
    rows = [snapshot_row(population_type="Pengungsi"), snapshot_row(count="1.234", location="Batam")]
    write_csv(
        tmp_path / "unhcr", rows, [column.title() for column in HEADER], delimiter=";", encoding="cp1252"
    )
    source = Source(
        "unhcr_snapshot", "UNHCR", "unhcr/snapshot_*.csv", "staging.unhcr_snapshot", read_snapshot_file
    )
    connection, files = ingest(tmp_path, source)
    assert [(f.status, f.rows_accepted, f.rows_rejected) for f in files] == [("loaded", 1, 1)]
    assert connection.execute(
        "SELECT line, snapshot_month, origin, population_type, sex, age_group, location, count "
        "FROM staging.unhcr_snapshot"
    ).fetchall() == [(2, "2024-03", "AFG", "REF", "M", "Y18T59", "Medan", 1890)]
    assert connection.execute("SELECT line, column_name, value FROM meta.rejects").fetchall() == [
        (3, "Count", "1.234")
    ]


def test_the_live_api_total_of_an_empty_list_is_no_count_to_check(tmp_path):
    answer = [
        page([coa_item(), coa_item(coo_name="Myanmar", coo_iso="MMR")], number=1, max_pages=2, total=[]),
        page([coa_item(coo_name="Iraq", coo_iso="IRQ")], number=2, max_pages=2, total=[]),
    ]
    _, validated = load_answer(write_json(tmp_path, answer))
    assert validated.rejects.empty
    assert validated.accepted["origin"].tolist() == ["AFG", "MMR", "IRQ"]


def test_a_dash_count_is_nil(tmp_path):
    answer = page([coa_item(asylum_seekers="-", oip=" - ")])
    read, validated = load_answer(write_json(tmp_path, answer))
    assert validated.rejects.empty
    assert (validated.accepted.loc[1, "asylum_seekers"], validated.accepted.loc[1, "oip"]) == (0, 0)
    assert read.raw.loc[1, "asylum_seekers"] == "-"
