"""Every release's changes in meta.revisions, with anomaly flags; every published value kept by vintage."""

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from sdmi_pipeline.ingest.revisions import record_release, release_changes, revision_lines
from sdmi_pipeline.samples.placements import generate
from sdmi_pipeline.warehouse.resource import create_documented_table
from tests.conftest import BAD_ROWS_PER_FILE, SMALL_SCALE, copy_shipped_placements, query

FIRST, SECOND = datetime(2026, 1, 5, 2, 0), datetime(2026, 2, 5, 2, 0)
APRIL = "kp2mi/penempatan/penempatan_pmi_2023_04.csv"


def observation(
    period: str,
    value: float,
    destination: str = "MYS",
    freq: str = "M",
    sex: str = "_T",
    status: str = "A",
    source: str = "KP2MI",
) -> tuple:
    return ("PMI_PLACED", freq, period, "IDN", destination, sex, "_T", "_T", "_T", "_T", "_T", "_T",
            "_Z", "_Z", value, "persons", status, source, f"vintage of {value}")  # fmt: skip


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
        "    removed PMI_PLACED M 2023-04 ref_area=IDN counterpart_area=SAU source=KP2MI: 50 → none "
        "(category_disappears)",
        "    revised PMI_PLACED M 2023-04 ref_area=IDN counterpart_area=MYS source=KP2MI: 100 → 180 "
        "(revision_beyond_threshold,series_break)",
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


def deliver(
    connection: duckdb.DuckDBPyConnection,
    path: str,
    digest: str,
    loaded_at: datetime,
    source: str = "kp2mi_placements",
) -> None:
    """A loaded file in meta.raw_files (the current vintage of its path)."""
    connection.execute("UPDATE meta.raw_files SET is_current = false WHERE path = ?", [path])
    connection.execute(
        """INSERT INTO meta.raw_files (source, path, sha256, parser, size_bytes, rows_accepted, rows_rejected,
                                       status, loaded_at, is_current)
           VALUES (?, ?, ?, 'p', 1, 1, 0, 'loaded', ?, true)""",
        [source, path, digest, loaded_at],
    )


def year_to_date(months: int, small: float, status: str = "P") -> list[tuple]:
    """Monthly values of 100 (and 1 for a small cell), their provisional year-to-date totals by sex."""
    periods = [f"2023-{m:02d}" for m in range(1, months + 1)]
    monthly = [observation(period, 100) for period in periods]
    monthly += [observation(period, small if period == periods[-1] else 1, sex="F") for period in periods]
    women = months - 1 + small
    return [
        *monthly,
        observation("2023", 100 * months, freq="A", status=status),
        observation("2023", women, freq="A", sex="F", status=status),
        observation("2023", 100 * months + women, freq="A", destination="_T", status=status),
    ]


@pytest.fixture
def delivered(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Four months delivered and published, each its own file."""
    create_documented_table(connection, "meta.raw_files")
    for month in range(1, 5):
        path = f"kp2mi/penempatan/penempatan_pmi_2023_0{month}.csv"
        deliver(connection, path, f"m{month}", datetime(2026, 1, 1))
    publish(connection, year_to_date(4, 1), FIRST)
    return connection


def test_a_routine_month_revises_nothing(delivered):
    """May arrives: the year-to-date totals grow, a small cell jumps; no figure delivered changed."""
    deliver(delivered, "kp2mi/penempatan/penempatan_pmi_2023_05.csv", "m5", datetime(2026, 2, 1))
    publish(delivered, year_to_date(5, 4), SECOND)
    kinds, flags, flagged = release_changes(delivered, SECOND)
    assert kinds == {"added": 2, "updated": 3}
    assert flags == {} and flagged.empty
    # The year complete (status P to A) is the provisional total's last step, no revision either.
    publish(delivered, year_to_date(5, 4, status="A"), datetime(2026, 3, 1))
    assert release_changes(delivered, datetime(2026, 3, 1))[:2] == ({"updated": 3}, {})


@pytest.mark.parametrize("path", ["penempatan_pmi_2023_04.csv", "penempatan_pmi_2023_04.CSV"])
def test_new_content_for_a_delivered_month_is_a_revision_with_every_dimension_named(delivered, path):
    """April again (same path, or the same month under another name): its figures are revised."""
    deliver(delivered, f"kp2mi/penempatan/{path}", "april again", datetime(2026, 2, 1))
    publish(delivered, year_to_date(4, 3), SECOND)  # women in April: 1 → 3
    kinds, flags, _ = release_changes(delivered, SECOND)
    assert kinds == {"revised": 3}
    assert flags == {"revision_beyond_threshold": 2, "series_break": 1}
    assert revision_lines(delivered)[2:] == [
        "    revised PMI_PLACED A 2023 ref_area=IDN counterpart_area=MYS sex=F source=KP2MI: 4 → 6 "
        "(revision_beyond_threshold)",
        "    revised PMI_PLACED M 2023-04 ref_area=IDN counterpart_area=MYS sex=F source=KP2MI: 1 → 3 "
        "(revision_beyond_threshold,series_break)",
    ]


def test_a_figure_that_a_first_delivery_fills_in_is_an_update(delivered):
    """UNHCR's first file: a final value of UNHCR (as a coverage share) and one of all sources move."""
    unhcr = [
        observation("2023", 0, "_Z", "A", source="UNHCR"),
        observation("2023", 30, "_Z", "A", source="All"),
    ]
    publish(delivered, [*year_to_date(4, 1), *unhcr], SECOND)
    deliver(delivered, "unhcr/population_coa_IDN_2023.json", "u", datetime(2026, 3, 1), "unhcr_population")
    filled = [
        observation("2023", 100, "_Z", "A", source="UNHCR"),
        observation("2023", 50, "_Z", "A", source="All"),
    ]
    third = datetime(2026, 3, 5)
    publish(delivered, [*year_to_date(4, 1), *filled], third)
    assert release_changes(delivered, third)[:2] == ({"updated": 2}, {})
    # The same change with no delivery behind it is a revision of a final figure.
    publish(delivered, [*year_to_date(4, 1), *unhcr], datetime(2026, 4, 1))
    assert release_changes(delivered, datetime(2026, 4, 1))[:2] == (
        {"revised": 2},
        {"revision_beyond_threshold": 2},
    )


def test_a_revision_an_operator_accepted_is_listed_not_flagged(delivered):
    """April accepted: its women rise 1 → 3 and Saudi Arabia, only in April, goes: listed, no flag."""
    publish(delivered, [*year_to_date(4, 1), observation("2023-04", 2, "SAU")], datetime(2026, 1, 20))
    path = "kp2mi/penempatan/penempatan_pmi_2023_04.csv"
    create_documented_table(delivered, "meta.accepted_revisions")
    delivered.execute(
        """INSERT INTO meta.accepted_revisions (path, sha256, accepted_by, accepted_at)
           VALUES (?, 'april again', 'op', ?)""",
        [path, datetime(2026, 2, 1)],
    )
    deliver(delivered, path, "april again", datetime(2026, 2, 1))
    publish(delivered, year_to_date(4, 3), SECOND)
    assert release_changes(delivered, SECOND)[:2] == ({"removed": 1, "revised": 3}, {})


@pytest.fixture
def raw_root(tmp_path: Path) -> Path:
    return copy_shipped_placements(tmp_path / "raw")


def revision_check(run) -> object:
    (check,) = [e for e in run.get_asset_check_evaluations() if e.check_name == "no_anomalous_revisions"]
    return check


@pytest.mark.slow
def test_a_routine_month_passes_and_a_revised_month_is_flagged(refresh, raw_root: Path, warehouse_dir: Path):
    """Build, add May, build: no flag. Then April again with 800 records fewer: flagged."""
    published = warehouse_dir / "sdmi.duckdb"
    assert refresh().success
    observations = query(published, "SELECT count(*) FROM indicators.observations")[0][0]
    assert query(published, "SELECT count(*) FROM meta.observation_history") == [(observations,)]
    generate(raw_root, scale=SMALL_SCALE, bad_rows=BAD_ROWS_PER_FILE, months=[5])

    may = refresh()

    assert may.success
    check = revision_check(may)
    assert check.passed, check.metadata["flagged"]
    assert check.metadata["changes_updated"].value > 0 and "changes_revised" not in check.metadata
    assert query(published, "SELECT count(*) FROM meta.revisions WHERE flags IS NOT NULL") == [(0,)]
    april = raw_root / APRIL
    lines = april.read_bytes().split(b"\n")
    april.write_bytes(b"\n".join([lines[0], *lines[801:]]))  # 800 records fewer: 4 %, within the guard

    run = refresh()

    assert run.success
    total = query(
        published,
        """SELECT change_kind, old_value, new_value, flags, old_vintage < new_vintage FROM meta.revisions
           WHERE indicator_id = 'PMI_PLACED' AND freq = 'A' AND counterpart_area = '_T' AND sex = '_T'
           AND age = '_T' AND province = '_T' AND education = '_T' AND sector = '_T'
           AND occupation = '_T' AND scheme = '_T' AND change_kind <> 'added'""",
    )
    accepted = query(
        published, "SELECT rows_accepted FROM meta.raw_files WHERE path = ? AND is_current", [APRIL]
    )
    with_may = 83_864.0 + 226
    assert total[-1] == ("revised", with_may, with_may - 19_248 + accepted[0][0], None, True)
    check = revision_check(run)
    assert not check.passed and check.metadata["flag_revision_beyond_threshold"].value > 0
    # Every annual value April moved is a revision now, not an update; beyond the threshold moved
    # April's cells and a few small cells of its year, no other month.
    assert "changes_updated" not in check.metadata and check.metadata["changes_revised"].value == 1341
    flagged = query(
        published,
        """SELECT DISTINCT time_period FROM meta.revisions WHERE flags IS NOT NULL
           AND release = (SELECT max(release) FROM meta.revisions)""",
    )
    assert sorted(flagged) == [("2023",), ("2023-04",)]  # April and its year; no other month
    withdrawn = query(
        published, "SELECT count(*) FROM meta.observation_history WHERE withdrawn_at IS NOT NULL"
    )
    replaced = query(published, "SELECT count(*) FROM meta.revisions WHERE change_kind <> 'added'")
    assert withdrawn == replaced and replaced[0][0] > 0
