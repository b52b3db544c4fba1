"""A contract rule means one thing: Pandera on pandas and DuckDB's SQL give the same verdicts on
the same edge values, for every kind of rule (issue 23)."""

import textwrap

import duckdb
import pandas as pd
import pytest

from sdmi_pipeline.contracts.contract import load_contract
from sdmi_pipeline.contracts.rules import row_failures
from sdmi_pipeline.ingest.validation import pandera_failures

CONTRACT = """
table: staging.verdicts
description: {en: Edge values, id: Nilai tepi}
columns:
  - name: line
    type: INTEGER
    description: {en: line, id: baris}
  - name: area
    type: VARCHAR
    source: area
    checks:
      - pattern: 'IDN|\\d{2}'
        reason: not IDN or two digits
    description: {en: area, id: wilayah}
  - name: age
    type: INTEGER
    source: age
    checks:
      - ge: 18
        reason: under 18
      - le: 100
        reason: over 100
    description: {en: age, id: usia}
  - name: sex
    type: VARCHAR
    source: sex
    checks:
      - isin: [M, F]
        reason: not M or F
    description: {en: sex, id: jenis kelamin}
  - name: id
    type: VARCHAR
    source: id
    unique: true
    unique_reason: id repeated
    description: {en: id, id: id}
  - name: name
    type: VARCHAR
    source: name
    nullable: false
    null_reason: name missing
    checks:
      - max_length: 3
        reason: longer than 3
    description: {en: name, id: nama}
"""
NA = None
# line → area, age, sex, id, name
ROWS = {
    2: ("IDN", 18, "M", "A", "abc"),
    3: ("33", 100, "F", "B", "🦆🦆🦆"),
    4: ("IDNX", 17, "m", "A", "abcd"),
    5: ("x12", 101, "M ", NA, NA),
    6: ("IDN\n", NA, NA, NA, "ab\u0301c"),
    7: ("٣٣", 0, "", "A", ""),
    8: (NA, -1, "F", "B", " "),
    9: ("3", 2147483647, "M", "b", "é"),
}
EXPECTED = {
    (4, "area", "not IDN or two digits"),
    (5, "area", "not IDN or two digits"),
    (6, "area", "not IDN or two digits"),
    (7, "area", "not IDN or two digits"),
    (9, "area", "not IDN or two digits"),
    (4, "age", "under 18"),
    (7, "age", "under 18"),
    (8, "age", "under 18"),
    (5, "age", "over 100"),
    (9, "age", "over 100"),
    (4, "sex", "not M or F"),
    (5, "sex", "not M or F"),
    (7, "sex", "not M or F"),
    (4, "id", "id repeated"),
    (7, "id", "id repeated"),
    (8, "id", "id repeated"),
    (4, "name", "longer than 3"),
    (6, "name", "longer than 3"),
    (5, "name", "name missing"),
}


@pytest.fixture(scope="module")
def contract(tmp_path_factory):
    path = tmp_path_factory.mktemp("schemas") / "verdicts.yaml"
    path.write_text(textwrap.dedent(CONTRACT), encoding="utf-8")
    return load_contract(path)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    columns = ["area", "age", "sex", "id", "name"]
    rows = pd.DataFrame(list(ROWS.values()), columns=columns, index=pd.Index(list(ROWS), name="line"))
    types = {"age": "Int64"} | {name: "string" for name in columns if name != "age"}
    return rows.astype(types)


def _verdicts(failures: pd.DataFrame) -> set[tuple[int, str, str]]:
    rows = failures[["line", "column", "reason"]].itertuples(index=False)
    return {(int(line), column, reason) for line, column, reason in rows}


def test_patterns_are_anchored_when_contracts_load(contract):
    assert contract.column("area").checks[0].argument == "^(?:IDN|\\d{2})$"


def test_pandera_on_pandas_gives_the_expected_verdicts(contract, frame):
    assert _verdicts(pandera_failures(frame, contract)) == EXPECTED


def test_duckdb_sql_gives_the_same_verdicts(contract, frame):
    with duckdb.connect() as connection:
        rows = frame.reset_index()  # noqa: F841 (scanned by DuckDB)
        connection.execute("CREATE TABLE verdicts AS SELECT line::BIGINT AS line, * EXCLUDE (line) FROM rows")
        assert _verdicts(row_failures(connection, "verdicts", contract)) == EXPECTED


def test_the_first_line_of_a_repeated_value_loads_whatever_order_the_rows_come_in(contract):
    with duckdb.connect() as connection:
        connection.execute(
            """CREATE TABLE shuffled AS SELECT * FROM (VALUES
                (9, 'IDN', 20, 'M', 'A', 'x'), (2, 'IDN', 20, 'M', 'A', 'x'), (5, 'IDN', 20, 'M', 'A', 'x'))
                AS t(line, area, age, sex, id, name)"""
        )
        assert _verdicts(row_failures(connection, "shuffled", contract)) == {
            (9, "id", "id repeated"),
            (5, "id", "id repeated"),
        }
