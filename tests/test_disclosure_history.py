"""Disclosure control across runs and releases: the same pattern every time, earlier suppression carried.

Uses the shipped sample's warehouse of tests/test_release.py (`published`).
"""

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sdmi_pipeline.release.disclosure import suppress
from sdmi_pipeline.release.history import OBSERVATIONS
from sdmi_pipeline.release.public import open_public_with_report
from sdmi_pipeline.warehouse.resource import attach_sql
from tests.test_release import published  # noqa: F401  (the module fixture)

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

KEY = ["indicator_id", "source", "freq", "time_period", "ref_area", "counterpart_area", "sex", "age",
       "province", "education", "sector", "occupation", "scheme", "population_type", "location"]  # fmt: skip


def _hidden(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    found = connection.sql("SELECT * FROM indicators.observations WHERE obs_status = 'C'").df()
    return found[KEY].sort_values(KEY).reset_index(drop=True)


def _suppressed_in_order(published_path: Path, order: str, earlier: Path | None = None) -> pd.DataFrame:
    """Suppress a copy of the observations whose rows are stored in `order`."""
    connection = duckdb.connect()
    connection.execute(attach_sql(published_path, "w", "READ_ONLY"))
    connection.execute("CREATE SCHEMA indicators")
    connection.execute(
        f"CREATE TABLE indicators.observations AS SELECT * FROM w.indicators.observations ORDER BY {order}"
    )
    connection.execute("ALTER TABLE indicators.observations ALTER COLUMN value DROP NOT NULL")
    suppress(connection, 5, earlier)
    return _hidden(connection)


def test_the_same_tables_give_the_same_pattern_whatever_their_row_order(published):  # noqa: F811
    # The issue: two exports of one warehouse hid 2,052 and 2,044 secondary cells.
    forward = _suppressed_in_order(published, "ALL")
    backward = _suppressed_in_order(published, "ALL DESC")
    shuffled = _suppressed_in_order(
        published, "hash(indicator_id || time_period || province || counterpart_area)"
    )
    assert len(forward) == 978 + 1758
    pd.testing.assert_frame_equal(forward, backward)
    pd.testing.assert_frame_equal(forward, shuffled)


def test_a_release_against_its_own_pattern_carries_it_and_adds_nothing(published, tmp_path):  # noqa: F811
    first, _ = open_public_with_report(published, 5)
    earlier = first.sql("SELECT * FROM indicators.observations").df()
    (tmp_path / OBSERVATIONS).parent.mkdir(parents=True)
    earlier.to_parquet(tmp_path / OBSERVATIONS)
    again, carried = open_public_with_report(published, 5, tmp_path)
    # Every cell hidden before is hidden again: the 1,808 secondary cells are carried, not recomputed.
    assert (carried.primary, carried.secondary, carried.carried) == (978, 1758, 1758)
    pd.testing.assert_frame_equal(_hidden(again), _hidden(first))
