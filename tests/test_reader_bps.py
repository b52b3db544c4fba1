"""BPS WebAPI population answers (spec §2.5): decoding datacontent keys, typing, row validation, loading."""

import json
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.contracts.contract import contract_for, reference_values
from sdmi_pipeline.ingest.loading import Source, ingest_source
from sdmi_pipeline.ingest.readers.bps_population import read_population_table
from sdmi_pipeline.ingest.validation import ValidatedRows
from sdmi_pipeline.warehouse.resource import BOOKKEEPING_TABLES, SCHEMAS, create_documented_table
from tests.bps_answers import FILE_NAME, VERVARS, answer, key, load, rejects_of, write_json

COLUMNS = [
    "source_file",
    "file_sha256",
    "line",
    "data_key",
    "var_id",
    "year",
    "province",
    "province_label",
    "sex",
    "population",
    "unit_label",
]


# --- Decoding ------------------------------------------------------------------------------------


def test_every_key_is_decoded(tmp_path):
    datacontent = {
        key(3300, 1): 18627.4,
        key(3300, 2): 18520.1,
        key(3300, 3): 37147.5,
        key(9999, 1): "140321.8",
        key(9999, 2): "138374.4",
        key(9999, 3): "278696.2",
    }
    read, validated = load(write_json(tmp_path, answer(datacontent)))
    assert (read.encoding, read.delimiter, read.ignored_columns) == ("utf-8", None, [])
    assert list(read.header) == list(read.raw.columns)
    assert validated.rejects.empty
    assert validated.accepted.index.tolist() == [1, 2, 3, 4, 5, 6]
    assert validated.accepted.to_dict("records")[0] == {
        "data_key": "3300197511230",
        "var_id": "1975",
        "year": 2023,
        "province": "33",
        "province_label": "JAWA TENGAH",
        "sex": "M",
        "population": 18627400.0,
        "unit_label": "Ribu Jiwa",
    }
    rows = validated.accepted
    assert rows["province"].tolist() == ["33", "33", "33", "_T", "_T", "_T"]
    assert rows["sex"].tolist() == ["M", "F", "_T", "M", "F", "_T"]
    # Ribu Jiwa (thousand persons) to persons, without binary rounding noise.
    assert rows["population"].tolist() == [
        18627400.0,
        18520100.0,
        37147500.0,
        140321800.0,
        138374400.0,
        278696200.0,
    ]
    assert read.raw.loc[4].to_dict() == {
        "datacontent_key": "9999197511230",
        "datacontent_value": "140321.8",
        "vervar": "9999",
        "vervar_label": "INDONESIA",
        "turvar": "1",
        "turvar_label": "Laki-laki",
        "tahun": "123",
        "tahun_label": "2023",
        "turtahun": "0",
    }


def test_lines_follow_the_order_of_the_datacontent_keys(tmp_path):
    datacontent = {key(9999, 3): 278696.2, key(3500, 2): 20813.9, key(3300, 1): 18627.4}
    _, validated = load(write_json(tmp_path, answer(datacontent)))
    assert validated.accepted.index.tolist() == [1, 2, 3]
    assert validated.accepted["data_key"].tolist() == ["9999197531230", "3500197521230", "3300197511230"]
    assert validated.accepted[["province", "sex"]].values.tolist() == [["_T", "_T"], ["35", "F"], ["33", "M"]]


@pytest.mark.parametrize(
    ("unit", "value", "population"),
    [
        ("Ribu Jiwa", 37147.5, 37147500.0),
        ("ribu jiwa", "37147.5", 37147500.0),
        ("Ribu", 0.1, 100.0),
        ("Jiwa", 37147500, 37147500.0),
        ("Jiwa", "37147500", 37147500.0),
    ],
)
def test_unit(tmp_path, unit, value, population):
    _, validated = load(write_json(tmp_path, answer({key(3300, 3): value}, unit=unit)))
    assert validated.rejects.empty
    assert validated.accepted.loc[1, "population"] == population
    assert validated.accepted.loc[1, "unit_label"] == unit


def test_ids_written_as_strings(tmp_path):
    body = answer(
        {key(3300, 1): 1.5},
        vervar=[("3300", "JAWA TENGAH")],
        turvar=[("1", "LAKI-LAKI")],
        tahun=[("123", "2023")],
        var="1975",
    )
    _, validated = load(write_json(tmp_path, body))
    assert validated.rejects.empty
    assert validated.accepted.loc[1, ["province", "sex", "population"]].tolist() == ["33", "M", 1500.0]


def test_province_labels_as_bps_writes_them(tmp_path):
    vervar = [
        (1900, "KEP. BANGKA BELITUNG"),
        (3100, "DKI JAKARTA"),
        (3400, "DI YOGYAKARTA"),
        (9200, "PAPUA BARAT DAYA"),
    ]
    datacontent = {key(code, 3): 1000 for code, _ in vervar}
    _, validated = load(write_json(tmp_path, answer(datacontent, vervar=vervar)))
    assert validated.rejects.empty
    assert validated.accepted["province"].tolist() == ["19", "31", "34", "92"]


def test_content_argument_is_read_instead_of_the_disk(tmp_path):
    read = read_population_table(tmp_path / FILE_NAME, json.dumps(answer({key(3300, 3): 2})).encode())
    assert read.rows.loc[1, "population"] == 2000.0


# --- Rejected figures ----------------------------------------------------------------------------


def load_with_bad_figure(
    tmp_path: Path, bad_key: str, bad_value: object = 1.0, **changes: object
) -> ValidatedRows:
    """An answer whose second datacontent key is `bad_key`, between two good ones."""
    datacontent = {key(3300, 1): 18627.4, bad_key: bad_value, key(3300, 2): 18520.1}
    _, validated = load(write_json(tmp_path, answer(datacontent, **changes)))
    assert validated.accepted.index.tolist() == [1, 3]
    return validated


NOT_A_NUMBER = 'is not a number (digits with "." as the decimal mark, without thousands separators)'


@pytest.mark.parametrize(
    ("value", "delivered", "reason"),
    [
        pytest.param(
            "18,627.4", "18,627.4", f'datacontent_value "18,627.4" {NOT_A_NUMBER}', id="comma-thousands"
        ),
        pytest.param("18.627,4", "18.627,4", f'datacontent_value "18.627,4" {NOT_A_NUMBER}', id="indonesian"),
        pytest.param("18627,4", "18627,4", f'datacontent_value "18627,4" {NOT_A_NUMBER}', id="decimal-comma"),
        pytest.param("-", "-", f'datacontent_value "-" {NOT_A_NUMBER}', id="dash"),
        pytest.param("n.a.", "n.a.", f'datacontent_value "n.a." {NOT_A_NUMBER}', id="na"),
        pytest.param(True, "true", f'datacontent_value "true" {NOT_A_NUMBER}', id="boolean"),
        pytest.param(None, None, "population figure is missing (null or empty in datacontent)", id="null"),
        pytest.param("", "", "population figure is missing (null or empty in datacontent)", id="empty"),
        pytest.param(-1.5, "-1.5", "population is negative", id="negative"),
    ],
)
def test_rejected_value(tmp_path, value, delivered, reason):
    validated = load_with_bad_figure(tmp_path, key(3500, 3), value)
    assert rejects_of(validated) == [(2, "datacontent_value", delivered, reason)]


def test_key_matching_no_combination(tmp_path):
    validated = load_with_bad_figure(tmp_path, key(3500, 4))
    reason = (
        "datacontent key 3500197541230 matches no combination of the answer's "
        "vervar, var, turvar, tahun and turtahun ids"
    )
    assert rejects_of(validated) == [(2, "datacontent_key", "3500197541230", reason)]


def test_vervar_that_is_no_province(tmp_path):
    vervar = [*VERVARS, (3301, "CILACAP"), (1100, "ACEH"), (9900, "LUAR NEGERI")]
    datacontent = {key(3300, 1): 1.0, key(3301, 1): 2.0, key(9900, 1): 3.0, key(1100, 1): 4.0}
    _, validated = load(write_json(tmp_path, answer(datacontent, vervar=vervar)))
    assert validated.accepted["province"].tolist() == ["33", "11"]
    assert rejects_of(validated) == [
        (
            2,
            "vervar",
            "3301",
            "vervar 3301 (CILACAP) is neither a province (BPS code × 100) nor 9999 INDONESIA",
        ),
        (
            3,
            "vervar",
            "9900",
            "vervar 9900 (LUAR NEGERI) is neither a province (BPS code × 100) nor 9999 INDONESIA",
        ),
    ]


def test_vervar_whose_label_names_another_province(tmp_path):
    vervar = [(3300, "JAWA TENGAH"), (3500, "JAWA BARAT")]
    validated = load_with_bad_figure(tmp_path, key(3500, 1), vervar=vervar)
    assert rejects_of(validated) == [
        (2, "vervar_label", "JAWA BARAT", "vervar 3500 is Jawa Timur, its label says Jawa Barat")
    ]


def test_figure_of_another_year(tmp_path):
    validated = load_with_bad_figure(tmp_path, key(3500, 1, tahun=122), tahun=[(122, "2022"), (123, "2023")])
    assert rejects_of(validated) == [(2, "tahun_label", "2022", "year 2022 is not the file's year 2023")]


# --- Contract and loading ------------------------------------------------------------------------


def test_contract_creates_a_documented_table():
    contract = contract_for("staging.bps_population")
    assert [column.name for column in contract.columns] == COLUMNS
    assert contract.primary_key == ("source_file", "file_sha256", "line")
    assert all(column.description_en and column.description_id for column in contract.columns)
    assert reference_values("provinces_and_total")[-2:] == ["97", "_T"]
    assert len(reference_values("provinces_and_total")) == 39
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA staging")
    create_documented_table(connection, contract.table)
    described = connection.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'staging' ORDER BY column_index"
    ).fetchall()
    assert described == [
        ("source_file", "VARCHAR"),
        ("file_sha256", "VARCHAR"),
        ("line", "INTEGER"),
        ("data_key", "VARCHAR"),
        ("var_id", "VARCHAR"),
        ("year", "INTEGER"),
        ("province", "VARCHAR"),
        ("province_label", "VARCHAR"),
        ("sex", "VARCHAR"),
        ("population", "DOUBLE"),
        ("unit_label", "VARCHAR"),
    ]


def test_answer_loads_into_its_staging_table(tmp_path):
    (tmp_path / "bps").mkdir()
    write_json(tmp_path / "bps", answer({key(3300, 2): "18520.1", key(9999, 3): 278696.2, key(3500, 7): 1}))
    connection = duckdb.connect()
    for schema in SCHEMAS:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in BOOKKEEPING_TABLES:
        create_documented_table(connection, table)
    source = Source(
        "bps_population", "BPS", "bps/penduduk_*.json", "staging.bps_population", read_population_table
    )
    report = ingest_source(connection, tmp_path, source)
    assert [(f.status, f.rows_read, f.rows_accepted, f.rows_rejected) for f in report.files] == [
        ("loaded", 3, 2, 1)
    ]
    assert connection.execute(
        "SELECT source_file, line, data_key, var_id, year, province, sex, population, unit_label "
        "FROM staging.bps_population ORDER BY line"
    ).fetchall() == [
        (f"bps/{FILE_NAME}", 1, "3300197521230", "1975", 2023, "33", "F", 18520100.0, "Ribu Jiwa"),
        (f"bps/{FILE_NAME}", 2, "9999197531230", "1975", 2023, "_T", "_T", 278696200.0, "Ribu Jiwa"),
    ]
    assert connection.execute("SELECT line, column_name, value FROM meta.rejects").fetchall() == [
        (3, "datacontent_key", "3500197571230")
    ]
