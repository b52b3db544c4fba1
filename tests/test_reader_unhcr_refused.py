"""UNHCR population answers and snapshots (spec §2.4) refused whole, with the reason."""

import json
from pathlib import Path

import pytest

from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.readers.unhcr_population import read_population_answer
from sdmi_pipeline.ingest.readers.unhcr_snapshot import read_snapshot_file
from tests.unhcr_files import COA_FILE, HEADER, VALID, coa_item, page, snapshot_row, write_csv, write_json

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
