"""UNHCR staging tables (spec §2.4): documented contracts, answers and snapshots loaded by ingest."""

from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.loading import Source, ingest_source
from sdmi_pipeline.ingest.readers.unhcr_population import read_population_answer
from sdmi_pipeline.ingest.readers.unhcr_snapshot import read_snapshot_file
from sdmi_pipeline.warehouse.resource import BOOKKEEPING_TABLES, SCHEMAS, create_documented_table
from tests.unhcr_files import (
    COA_FILE,
    HEADER,
    coa_item,
    load_answer,
    page,
    snapshot_row,
    write_csv,
    write_json,
)

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
