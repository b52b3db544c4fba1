"""A second build on unchanged inputs parses nothing and changes nothing; revisions keep old vintages."""

from pathlib import Path

import duckdb
import pytest

from tests.conftest import query, staging_metadata

PUBLISHED = "sdmi.duckdb"
JANUARY = "kp2mi/penempatan/penempatan_pmi_2023_01.csv"


def table_snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every user table's rows, sorted, so two warehouses can be compared exactly."""
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = connection.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE NOT internal ORDER BY 1"
        ).fetchall()
        return {
            name: sorted(connection.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
            for (name,) in tables
        }


@pytest.mark.slow
def test_second_build_parses_no_file_and_gives_identical_tables(refresh, warehouse_dir: Path):
    assert refresh().success
    first = table_snapshot(warehouse_dir / PUBLISHED)
    second_run = refresh()
    assert second_run.success
    metadata = staging_metadata(second_run)
    assert (metadata["files_seen"], metadata["files_parsed"], metadata["files_unchanged"]) == (2, 0, 2)
    assert metadata["rows_read"] == 0
    assert table_snapshot(warehouse_dir / PUBLISHED) == first


@pytest.mark.slow
def test_revised_file_replaces_current_figures_and_keeps_the_old_vintage(
    refresh, warehouse_dir: Path, raw_root: Path
):
    assert refresh().success
    published = warehouse_dir / PUBLISHED
    before = query(published, "SELECT count(*) FROM core.pmi_placements WHERE source_file = ?", [JANUARY])[0][
        0
    ]
    path = raw_root / JANUARY
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([*lines[:-11], b""]))  # the revision drops the last ten records
    run = refresh()
    assert run.success and staging_metadata(run)["files_parsed"] == 1
    vintages = query(
        published,
        "SELECT is_current, rows_accepted FROM meta.raw_files WHERE path = ? ORDER BY loaded_at",
        [JANUARY],
    )
    assert [current for current, _ in vintages] == [False, True]
    after = query(published, "SELECT count(*) FROM core.pmi_placements WHERE source_file = ?", [JANUARY])[0][
        0
    ]
    assert after == vintages[1][1] < before
    kept = query(
        published,
        """SELECT count(*) FROM staging.kp2mi_placements s JOIN meta.raw_files f
        ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND NOT f.is_current""",
    )[0][0]
    assert kept == before


@pytest.mark.slow
def test_unreadable_revision_keeps_the_previous_vintage(refresh, warehouse_dir: Path, raw_root: Path):
    assert refresh().success
    published = warehouse_dir / PUBLISHED
    before = query(published, "SELECT count(*) FROM core.pmi_placements")[0][0]
    (raw_root / JANUARY).write_text("nomor;tanggal\n1;2023-01-02\n", encoding="utf-8")
    run = refresh()
    assert run.success
    checks = {
        (e.asset_key.to_user_string(), e.check_name): e.passed for e in run.get_asset_check_evaluations()
    }
    assert checks["staging/kp2mi_placements", "files_readable"] is False
    assert checks["staging/kemnaker_permits", "files_readable"] is True
    assert query(published, "SELECT count(*) FROM core.pmi_placements")[0][0] == before
    failed = query(
        published,
        "SELECT status, is_current, error FROM meta.raw_files WHERE path = ? ORDER BY loaded_at DESC LIMIT 1",
        [JANUARY],
    )[0]
    assert failed[:2] == ("failed", False)
    assert failed[2].startswith(f"{JANUARY}: line 1: required column(s) missing: id_pmi")
    reject = query(published, "SELECT line, reason FROM meta.rejects WHERE path = ? AND line = 1", [JANUARY])
    assert reject == [(1, failed[2])]


@pytest.mark.slow
def test_a_new_reader_parses_every_file_again_with_the_same_result(refresh, warehouse_dir: Path, monkeypatch):
    from sdmi_pipeline.ingest import loading as ingest

    assert refresh().success
    first = table_snapshot(warehouse_dir / PUBLISHED)
    unchanged = ingest.parser_fingerprint(ingest.Source("x", "X", "", "staging.kp2mi_placements", None))
    monkeypatch.setattr(ingest, "parser_fingerprint", lambda source: "a-fixed-reader")
    run = refresh()
    assert run.success and staging_metadata(run)["files_parsed"] == 2
    second = table_snapshot(warehouse_dir / PUBLISHED)
    assert second["core.pmi_placements"] == first["core.pmi_placements"]
    without_vintage = [
        [row[:-1] for row in snapshot["indicators.observations"]] for snapshot in (first, second)
    ]
    assert without_vintage[0] == without_vintage[1]  # vintage, the load date, is the last column
    parsers = query(warehouse_dir / PUBLISHED, "SELECT DISTINCT parser FROM meta.raw_files")
    assert parsers == [("a-fixed-reader",)] and len(unchanged) == 64
