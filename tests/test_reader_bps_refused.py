"""BPS WebAPI population answers (spec §2.5) refused whole, with the reason."""

import json
from pathlib import Path

import pytest

from sdmi_pipeline.ingest.readers.bps_population import read_population_table
from sdmi_pipeline.ingest.readers.text import FileFormatError
from tests.bps_answers import FILE_NAME, answer, entries, key, write_json

# --- Whole-answer errors -------------------------------------------------------------------------


def refused(path: Path) -> str:
    with pytest.raises(FileFormatError) as error:
        read_population_table(path)
    message = str(error.value)
    assert message.startswith(f"{path}: "), message
    return message.removeprefix(f"{path}: ")


def test_ambiguous_keys_across_vervar_and_turvar(tmp_path):
    # Under var 11, vervar 1100 + turvar 11 ("1100" "11" "11" "123" "0") and
    # vervar 11001 + turvar 1 ("11001" "11" "1" "123" "0") both write 110011111230.
    vervar = [(1100, "ACEH"), (11001, "SIMEULUE")]
    turvar = [(1, "Laki-laki"), (11, "Perempuan")]
    assert key(1100, 11, var=11) == key(11001, 1, var=11) == "110011111230"
    body = answer({key(1100, 1, var=11): 1.0}, var=11, vervar=vervar, turvar=turvar)
    message = refused(write_json(tmp_path, body, name="penduduk_11_2023.json"))
    assert message == (
        "ambiguous answer: datacontent key 110011111230 is written both by "
        "vervar 1100 (ACEH) + var 11 + turvar 11 (Perempuan) + tahun 123 (2023) + turtahun 0 (Tahun) and by "
        "vervar 11001 (SIMEULUE) + var 11 + turvar 1 (Laki-laki) + tahun 123 (2023) + turtahun 0 (Tahun)"
    )


def test_ambiguous_keys_across_turvar_and_tahun(tmp_path):
    # turvar 1 + tahun 123 (2023) and turvar 11 + tahun 23 (1923) both write ...1123...
    turvar = [(1, "Laki-laki"), (11, "Perempuan")]
    tahun = [(23, "1923"), (123, "2023")]
    assert key(3300, 1, tahun=123) == key(3300, 11, tahun=23) == "3300197511230"
    body = answer({key(3300, 1): 1.0}, vervar=[(3300, "JAWA TENGAH")], turvar=turvar, tahun=tahun)
    message = refused(write_json(tmp_path, body))
    assert message.startswith("ambiguous answer: datacontent key 3300197511230 is written both by ")
    assert "turvar 11 (Perempuan) + tahun 23 (1923)" in message
    assert "turvar 1 (Laki-laki) + tahun 123 (2023)" in message


VAR = [{"val": 1975, "label": "Jumlah Penduduk", "unit": "Ribu Jiwa"}]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"status": "Error"}, "status is 'Error', not OK", id="status"),
        pytest.param({"status": None}, "status is None, not OK", id="status-missing"),
        pytest.param(
            {"datacontent": [1, 2]}, "datacontent is not an object of key: value", id="datacontent-list"
        ),
        pytest.param(
            {"var": [*VAR, {"val": 1976, "label": "Laju", "unit": "Persen"}]},
            "var should list exactly one variable, the file name's 1975",
            id="two-vars",
        ),
        pytest.param(
            {"var": [VAR[0] | {"val": 1976}]}, "the answer is for var 1976, the file name says 1975", id="var"
        ),
        pytest.param(
            {"var": [VAR[0] | {"unit": "Persen"}]},
            "unit 'Persen' of var 1975 is not Ribu Jiwa, Ribu or Jiwa",
            id="unit",
        ),
        pytest.param(
            {"var": [{"val": 1975, "label": "Jumlah Penduduk"}]},
            "unit None of var 1975 is not Ribu Jiwa, Ribu or Jiwa",
            id="unit-missing",
        ),
        pytest.param(
            {"turvar": entries([(1, "Laki-laki"), (2, "Perempuan"), (4, "Rasio Jenis Kelamin")])},
            "turvar 4 'Rasio Jenis Kelamin' is not Laki-laki, Perempuan or Jumlah",
            id="turvar-label",
        ),
        pytest.param(
            {"turvar": entries([(1, "Laki-laki"), (3, "Jumlah"), (4, "JUMLAH")])},
            "two turvar entries mean 'JUMLAH'",
            id="turvar-twice",
        ),
        pytest.param(
            {"vervar": entries([(3300, "JAWA TENGAH"), (3300, "JAWA TENGAH")])},
            "vervar id(s) listed more than once: 3300",
            id="vervar-repeated",
        ),
        pytest.param(
            {"vervar": entries([(33.5, "JAWA TENGAH")])},
            "vervar entry 1: val '33.5' is not an id",
            id="vervar-id",
        ),
        pytest.param(
            {"vervar": [{"val": 3300}]}, "vervar entry 1 is not an object {val, label}", id="vervar-no-label"
        ),
        pytest.param({"vervar": []}, "vervar is not a non-empty list of {val, label}", id="vervar-empty"),
        pytest.param(
            {"tahun": entries([(2023, "2023")])},
            "tahun 2023 '2023': the label should be the year and the id the year minus 1900",
            id="tahun-id-is-the-year",
        ),
        pytest.param(
            {"tahun": entries([(123, "Tahun 2023")])},
            "tahun 123 'Tahun 2023': the label should be the year and the id the year minus 1900",
            id="tahun-label",
        ),
        pytest.param(
            {"turtahun": entries([(1, "Semester 1"), (2, "Semester 2")])},
            "turtahun should list one period (the year), not 1, 2",
            id="turtahun-several",
        ),
    ],
)
def test_answer_that_is_refused(tmp_path, changes, message):
    assert refused(write_json(tmp_path, answer({key(3300, 3): 1.0}) | changes)) == message


@pytest.mark.parametrize(
    "missing", ["var", "turvar", "labelvervar", "vervar", "tahun", "turtahun", "datacontent"]
)
def test_answer_without_a_key(tmp_path, missing):
    body = {name: value for name, value in answer({}).items() if name != missing}
    assert refused(write_json(tmp_path, body)) == f"key(s) missing: {missing}"


def test_answer_for_a_list_that_is_not_available(tmp_path):
    body = {"status": "OK", "data-availability": "list-not-available"}
    assert refused(write_json(tmp_path, body)) == (
        "key(s) missing: var, turvar, labelvervar, vervar, tahun, turtahun, datacontent"
    )


@pytest.mark.parametrize(
    "name", ["penduduk_2023.json", "penduduk_1975_23.json", "penduduk_1975_2023.csv", "pdb_1975_2023.json"]
)
def test_bad_file_name(tmp_path, name):
    assert (
        refused(write_json(tmp_path, answer({}), name=name)) == "name does not match penduduk_<var>_YYYY.json"
    )


def test_not_json(tmp_path):
    path = tmp_path / FILE_NAME
    path.write_text("<html>Bad Gateway</html>", encoding="utf-8")
    assert refused(path) == "not valid JSON: Expecting value (line 1 column 1)"


def test_not_an_answer_object(tmp_path):
    assert refused(write_json(tmp_path, [answer({})])) == "not a BPS WebAPI answer object"


def test_datacontent_key_written_twice(tmp_path):
    text = json.dumps(answer({key(3300, 3): 1.0})).replace(
        '"datacontent": {', f'"datacontent": {{"{key(3300, 3)}": 2.0, '
    )
    path = tmp_path / FILE_NAME
    path.write_text(text, encoding="utf-8")
    assert refused(path) == "key '3300197531230' appears twice in one JSON object"
