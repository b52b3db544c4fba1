"""Tables built month by month: a new, revised or re-read file rebuilds only its months, and the
result always equals building the table whole."""

from datetime import datetime

import duckdb
import pytest

from sdmi_pipeline.contracts.checks import CONTRACT_CHECK, contract_violations
from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.reference.code_lists import age_group_table
from sdmi_pipeline.samples.placements import generate
from sdmi_pipeline.warehouse.monthly_slices import rebuilt_rows
from sdmi_pipeline.warehouse.resource import SCHEMAS
from sdmi_pipeline.warehouse.sql_assets import build_sql_table, sql_files
from tests.conftest import SMALL_SCALE

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
           'DOMESTIC_WORKER' AS occupation, 'INFORMAL' AS sector, 'P2P' AS scheme""",
        [(path, sha, line, line, date, sex, age) for line, (date, sex, age) in enumerate(rows, start=2)],
    )


def build(connection, table: str) -> str:
    return build_sql_table(connection, table, sql_files()[table].read_text(encoding="utf-8")).how


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


def broken_rules(connection, table: str, months: list[str] | None) -> dict[str, int]:
    """Rules of `table`'s contract broken by the rows a check after a build of `months` reads."""
    checked = rebuilt_rows(table, months)
    return {v.rule: v.count for v in contract_violations(connection, contract_for(table), checked)}


PLACEMENTS_KEY = "primary key (source_file, source_line) is unique"


def test_a_build_by_slices_checks_only_the_rows_of_its_months(warehouse):
    deliver(warehouse, JANUARY, "a1", "2024-02-01 08:00", [("2023-01-05", "F", 30), ("2023-01-09", "F", 31)])
    build_both(warehouse)
    # January goes bad after its check: a row of sex X, and a copy of a row (its key twice)
    warehouse.execute(
        f"INSERT INTO {PLACEMENTS} SELECT * REPLACE ('X' AS sex) FROM {PLACEMENTS} WHERE source_line = 2"
    )
    # and holds a row whose key February's line 3 will repeat
    warehouse.execute(
        f"INSERT INTO {PLACEMENTS} SELECT * REPLACE (? AS source_file) FROM {PLACEMENTS} "
        "WHERE source_line = 3",
        [FEBRUARY],
    )
    deliver(warehouse, FEBRUARY, "b1", "2024-03-01 08:00", [("2023-02-02", "X", 52), ("2023-02-03", "M", 40)])
    built = build_sql_table(warehouse, PLACEMENTS, sql_files()[PLACEMENTS].read_text(encoding="utf-8"))
    assert built.months == ["2023-02"]
    # February: its own bad row, and its line 3 repeating January's copy; not January's own faults
    assert broken_rules(warehouse, PLACEMENTS, built.months) == {"sex: sex outside M/F": 1, PLACEMENTS_KEY: 1}
    assert broken_rules(warehouse, PLACEMENTS, None) == {"sex: sex outside M/F": 2, PLACEMENTS_KEY: 2}
    assert broken_rules(warehouse, PLACEMENTS, []) == {}  # no month rebuilt: no row to check


def test_a_key_holding_the_month_is_checked_within_the_rebuilt_months(warehouse):
    deliver(warehouse, JANUARY, "a1", "2024-02-01 08:00", [("2023-01-05", "F", 30)])
    build_both(warehouse)
    warehouse.execute(f"INSERT INTO {COUNTS} SELECT * FROM {COUNTS}")  # January's cell twice
    deliver(warehouse, FEBRUARY, "b1", "2024-03-01 08:00", [("2023-02-02", "M", 52)])
    build(warehouse, PLACEMENTS)
    built = build_sql_table(warehouse, COUNTS, sql_files()[COUNTS].read_text(encoding="utf-8"))
    assert built.months == ["2023-02"]
    checked = rebuilt_rows(COUNTS, built.months)
    assert checked.key_partners(contract_for(COUNTS).primary_key) == "placement_month IN ('2023-02')"
    assert broken_rules(warehouse, COUNTS, built.months) == {}
    key = ", ".join(contract_for(COUNTS).primary_key)
    assert broken_rules(warehouse, COUNTS, None) == {f"primary key ({key}) is unique": 1}


def test_what_a_check_reads_is_said_in_words():
    assert rebuilt_rows(PLACEMENTS, None).describe() == "whole table"
    assert rebuilt_rows(PLACEMENTS, ["2024-01"]).describe() == "months rebuilt by this build: 2024-01"
    assert rebuilt_rows(PLACEMENTS, []).describe() == "none (no month rebuilt)"
    assert rebuilt_rows("core.tka_permits", ["2024-01"]).describe() == "whole table"  # not built by month
    assert rebuilt_rows(PLACEMENTS, ["2024-01'; DROP"]).describe() == "whole table"  # not a month


def rows_checked(result) -> dict[str, str]:
    """What each by-month table's contract check read in a run, from its result's metadata."""
    return {
        evaluation.asset_key.to_user_string(): evaluation.metadata["rows checked"].value
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name == CONTRACT_CHECK
        and evaluation.asset_key.to_user_string() in ("core/pmi_placements", "core/pmi_monthly_counts")
    }


@pytest.mark.slow
def test_a_refresh_that_adds_a_month_checks_that_month(refresh, raw_root):
    first = refresh()
    assert first.success
    assert rows_checked(first) == {
        "core/pmi_placements": "whole table",
        "core/pmi_monthly_counts": "whole table",
    }
    generate(raw_root, scale=SMALL_SCALE, months=[3])
    second = refresh()
    assert second.success
    march = "months rebuilt by this build: 2023-03"
    assert rows_checked(second) == {"core/pmi_placements": march, "core/pmi_monthly_counts": march}
