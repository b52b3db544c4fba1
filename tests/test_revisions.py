"""Every release's changes in meta.revisions, with anomaly flags; every published value kept by vintage."""

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.warehouse.resource import create_documented_table
from sdmi_pipeline.warehouse.revisions import record_release, release_changes, revision_lines
from tests.conftest import copy_shipped_placements, query

FIRST, SECOND = datetime(2026, 1, 5, 2, 0), datetime(2026, 2, 5, 2, 0)
APRIL = "kp2mi/penempatan/penempatan_pmi_2023_04.csv"


def observation(period: str, value: float, destination: str = "MYS", freq: str = "M") -> tuple:
    return ("PMI_PLACED", freq, period, "IDN", destination, "_T", "_T", "_T", "_T", "_T", "_T", "_T",
            "_Z", "_Z", value, "persons", "A", "KP2MI", f"vintage of {value}")  # fmt: skip


def publish(connection: duckdb.DuckDBPyConnection, rows: list[tuple], release: datetime) -> None:
    connection.execute("DELETE FROM indicators.observations")
    connection.executemany(f"INSERT INTO indicators.observations VALUES ({', '.join(['?'] * 19)})", rows)
    record_release(connection, release)


@pytest.fixture
def connection() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for schema in ("indicators", "meta"):
        connection.execute(f"CREATE SCHEMA {schema}")
    create_documented_table(connection, "indicators.observations")
    return connection


def test_changes_are_listed_with_their_flags_and_history_keeps_every_value(connection):
    months = [observation(f"2023-0{m}", 100) for m in range(1, 4)]
    before = [
        *months,
        observation("2023-04", 100),
        observation("2023-04", 50, "SAU"),
        observation("2023", 420, freq="A"),
    ]
    publish(connection, before, FIRST)
    assert connection.execute("SELECT count(*) FROM meta.revisions").fetchone()[0] == 0  # first release

    after = [
        *months,
        observation("2023-04", 180),
        observation("2023", 395, freq="A"),
        observation("2023-05", 101),
    ]
    publish(connection, after, SECOND)

    changes = connection.execute(
        """SELECT change_kind, freq, time_period, counterpart_area, old_value, new_value, change,
                  round(change_share, 4), flags FROM meta.revisions WHERE release = ? ORDER BY ALL""",
        [SECOND],
    ).fetchall()
    assert changes == [
        ("added", "M", "2023-05", "MYS", None, 101.0, None, None, None),
        ("removed", "M", "2023-04", "SAU", 50.0, None, None, None, "category_disappears"),
        ("revised", "A", "2023", "MYS", 420.0, 395.0, -25.0, -0.0595, None),
        ("revised", "M", "2023-04", "MYS", 100.0, 180.0, 80.0, 0.8, "revision_beyond_threshold,series_break"),
    ]
    kinds, flags, flagged = release_changes(connection, SECOND)
    assert kinds == {"added": 1, "removed": 1, "revised": 2}
    assert flags == {"category_disappears": 1, "revision_beyond_threshold": 1, "series_break": 1}
    assert len(flagged) == 2

    assert revision_lines(connection) == [
        "  revisions: release 2026-02-05 02:00:00 UTC changed 1 added, 1 removed, 2 revised (meta.revisions)",
        "  revision flags: category_disappears 1, revision_beyond_threshold 1, series_break 1",
        "    removed PMI_PLACED M 2023-04 SAU: 50 → none (category_disappears)",
        "    revised PMI_PLACED M 2023-04 MYS: 100 → 180 (revision_beyond_threshold,series_break)",
    ]
    april = connection.execute(
        """SELECT value, vintage, released_at, withdrawn_at FROM meta.observation_history
           WHERE time_period = '2023-04' AND counterpart_area = 'MYS' ORDER BY released_at"""
    ).fetchall()
    assert april == [(100.0, "vintage of 100", FIRST, SECOND), (180.0, "vintage of 180", SECOND, None)]
    published_now = connection.execute(
        "SELECT count(*) FROM meta.observation_history WHERE withdrawn_at IS NULL"
    )
    assert published_now.fetchone()[0] == len(after)


def test_an_unchanged_release_lists_no_change(connection):
    rows = [observation("2023-01", 100), observation("2023", 100, freq="A")]
    publish(connection, rows, FIRST)
    publish(connection, rows, SECOND)
    assert connection.execute("SELECT count(*) FROM meta.revisions").fetchone()[0] == 0
    assert connection.execute("SELECT count(*) FROM meta.observation_history").fetchone()[0] == 2


@pytest.fixture
def raw_root(tmp_path: Path) -> Path:
    return copy_shipped_placements(tmp_path / "raw")


def test_a_revision_shows_in_meta_revisions_and_its_warn_check(refresh, raw_root: Path, warehouse_dir: Path):
    published = warehouse_dir / "sdmi.duckdb"
    assert refresh().success
    observations = query(published, "SELECT count(*) FROM indicators.observations")[0][0]
    assert query(published, "SELECT count(*) FROM meta.observation_history") == [(observations,)]
    april = raw_root / APRIL
    lines = april.read_bytes().split(b"\n")
    april.write_bytes(b"\n".join([*lines[:-11], b""]))  # ten records fewer: 5 %, within the guard

    run = refresh()

    assert run.success
    total = query(
        published,
        """SELECT old_value, new_value, flags, old_vintage < new_vintage FROM meta.revisions
           WHERE indicator_id = 'PMI_PLACED' AND freq = 'A' AND counterpart_area = '_T' AND sex = '_T'
           AND age = '_T' AND province = '_T' AND education = '_T' AND sector = '_T'
           AND occupation = '_T' AND scheme = '_T'""",
    )
    accepted = query(
        published, "SELECT rows_accepted FROM meta.raw_files WHERE path = ? AND is_current", [APRIL]
    )
    assert total == [(840.0, 840.0 - 193 + accepted[0][0], None, True)]
    (check,) = [e for e in run.get_asset_check_evaluations() if e.check_name == "no_anomalous_revisions"]
    assert check.metadata["changes_revised"].value > 0
    withdrawn = query(
        published, "SELECT count(*) FROM meta.observation_history WHERE withdrawn_at IS NOT NULL"
    )
    replaced = query(published, "SELECT count(*) FROM meta.revisions WHERE change_kind <> 'added'")
    assert withdrawn == replaced and replaced[0][0] > 0
