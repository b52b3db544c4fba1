"""UNHCR population API answers (spec §0 and §2.4): variants read, items rejected with line and reason."""

import json
from pathlib import Path

import pandas as pd
import pytest

from sdmi_pipeline.ingest.readers.unhcr_population import read_population_answer
from sdmi_pipeline.ingest.validation import ValidatedRows
from tests.unhcr_files import (
    COA_FILE,
    COO_FILE,
    NOT_WHOLE,
    coa_item,
    coo_item,
    load_answer,
    page,
    rejects_of,
    write_json,
)

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
