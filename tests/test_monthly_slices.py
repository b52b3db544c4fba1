"""Tables built month by month: a new, revised or re-read file rebuilds only its months, and the
result always equals building the table whole."""

from datetime import datetime

import duckdb
import pytest

from sdmi_pipeline.contracts import contract_for
from sdmi_pipeline.reference.code_lists import age_group_table
from sdmi_pipeline.sql_assets import build_sql_table, sql_files
from sdmi_pipeline.warehouse import SCHEMAS

PLACEMENTS = "core.pmi_placements"
COUNTS = "core.pmi_monthly_counts"
JANUARY = "kp2mi/penempatan/penempatan_pmi_2023_01.csv"
FEBRUARY = "kp2mi/penempatan/penempatan_pmi_2023_02.csv"


@pytest.fixture
def warehouse() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for schema in SCHEMAS:
        connection.execute(f"CREATE SCHEMA {schema}")
    for table in ("meta.raw_files", "staging.kp2mi_placements"):
        connection.execute(contract_for(table).create_table_sql())
    connection.register("ages", age_group_table())
    connection.execute("CREATE TABLE reference.age_groups AS SELECT * FROM ages")
    return connection


def deliver(connection, path: str, sha: str, loaded_at: str, rows: list[tuple[str, str, int]]) -> None:
    """A vintage of `path` read at `loaded_at`: rows (placement date, sex, age), made current."""
    connection.execute(
        "DELETE FROM staging.kp2mi_placements WHERE source_file = ? AND file_sha256 = ?", [path, sha]
    )
    connection.execute("DELETE FROM meta.raw_files WHERE path = ? AND sha256 = ?", [path, sha])
    connection.execute("UPDATE meta.raw_files SET is_current = false WHERE path = ?", [path])
    connection.execute(
        """INSERT INTO meta.raw_files BY NAME SELECT 'kp2mi_placements' AS source, ? AS path, ? AS sha256,
           'p' AS parser, 1 AS size_bytes, ? AS rows_read, ? AS rows_accepted, 0 AS rows_rejected,
           'loaded' AS status, ?::TIMESTAMP AS loaded_at, true AS is_current""",
        [path, sha, len(rows), len(rows), datetime.fromisoformat(loaded_at)],
    )
    connection.executemany(
        """INSERT INTO staging.kp2mi_placements BY NAME SELECT ? AS source_file, ? AS file_sha256,
           ? AS line, 'id' || ? AS id_pmi, ?::DATE AS placement_date, ? AS sex, ? AS age,
           'SMA' AS education, 'SMA' AS education_label, '35' AS province, 'MYS' AS destination,
           'PLRT' AS occupation, 'INFORMAL' AS sector, 'P2P' AS scheme""",
        [(path, sha, line, line, date, sex, age) for line, (date, sex, age) in enumerate(rows, start=2)],
    )


def build(connection, table: str) -> str:
    return build_sql_table(connection, table, sql_files()[table].read_text(encoding="utf-8"))


def build_both(connection) -> tuple[str, str]:
    return build(connection, PLACEMENTS), build(connection, COUNTS)


def assert_equals_whole(connection) -> None:
    """Each table holds exactly what its SQL gives on today's staging."""
    for table in (PLACEMENTS, COUNTS):
        whole = connection.execute(sql_files()[table].read_text(encoding="utf-8")).fetchall()
        assert sorted(connection.execute(f"SELECT * FROM {table}").fetchall()) == sorted(whole)


def counts(connection) -> list[tuple]:
    return connection.execute(
        f"SELECT placement_month, sex, age_group, placed FROM {COUNTS} ORDER BY ALL"
    ).fetchall()


def test_a_new_month_rebuilds_that_month_only(warehouse):
    deliver(warehouse, JANUARY, "a1", "2024-02-01 08:00", [("2023-01-05", "F", 30), ("2023-01-09", "F", 31)])
    assert build_both(warehouse) == ("built whole", "built whole")
    deliver(warehouse, FEBRUARY, "b1", "2024-03-01 08:00", [("2023-02-02", "M", 52)])
    assert build_both(warehouse) == ("rebuilt the changed month(s) 2023-02",) * 2
    assert counts(warehouse) == [("2023-01", "F", "Y30T34", 2), ("2023-02", "M", "Y_GE50", 1)]
    assert_equals_whole(warehouse)
    assert build_both(warehouse) == ("no month changed",) * 2


def test_a_revised_vintage_replaces_its_month(warehouse):
    deliver(warehouse, JANUARY, "a1", "2024-02-01 08:00", [("2023-01-05", "F", 30), ("2023-01-09", "F", 31)])
    deliver(warehouse, FEBRUARY, "b1", "2024-03-01 08:00", [("2023-02-02", "M", 52)])
    build_both(warehouse)
    deliver(warehouse, JANUARY, "a2", "2024-04-01 08:00", [("2023-01-05", "M", 19)])
    assert build_both(warehouse) == ("rebuilt the changed month(s) 2023-01",) * 2
    assert counts(warehouse) == [("2023-01", "M", "Y18T24", 1), ("2023-02", "M", "Y_GE50", 1)]
    assert_equals_whole(warehouse)


def test_a_file_read_again_empties_the_months_its_old_rows_were_in(warehouse):
    # the first read put a row in March (a date misread); a reader fix reads the same bytes again
    deliver(warehouse, JANUARY, "a1", "2024-02-01 08:00", [("2023-01-05", "F", 30), ("2023-03-01", "F", 30)])
    build_both(warehouse)
    deliver(warehouse, JANUARY, "a1", "2024-05-01 08:00", [("2023-01-05", "F", 30), ("2023-01-03", "F", 30)])
    assert build_both(warehouse) == ("rebuilt the changed month(s) 2023-01, 2023-03",) * 2
    assert counts(warehouse) == [("2023-01", "F", "Y30T34", 2)]
    assert_equals_whole(warehouse)


def test_new_reference_groups_build_the_table_whole(warehouse):
    deliver(warehouse, JANUARY, "a1", "2024-02-01 08:00", [("2023-01-05", "F", 30)])
    build_both(warehouse)
    warehouse.execute("UPDATE reference.age_groups SET age_group = 'Y30T34X' WHERE age_group = 'Y30T34'")
    assert build(warehouse, PLACEMENTS) == "built whole"
    assert build(warehouse, COUNTS) == "built whole"  # its input was built whole
    assert_equals_whole(warehouse)


def test_an_input_whose_changes_cannot_be_followed_is_refused(warehouse):
    warehouse.execute("CREATE TABLE core.tka_permits (permit_month VARCHAR)")
    sql = (
        "SELECT p.* FROM core.pmi_placements AS p "
        "JOIN core.tka_permits AS t ON t.permit_month = p.placement_month"
    )
    with pytest.raises(ValueError, match=r"reads core\.tka_permits, whose changes it cannot follow"):
        build_sql_table(warehouse, COUNTS, sql)
