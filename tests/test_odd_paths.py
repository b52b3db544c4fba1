"""Odd names and paths under the raw root: each refused on its own, named, never retried."""

import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sdmi_pipeline.ingest.raw_paths import future_refusal, name_period
from sdmi_pipeline.samples.placements import generate
from tests.conftest import SMALL_SCALE, query

FOLDER = "penempatan"


def test_the_period_in_a_file_name_is_its_last_year_and_month():
    assert name_period("penduduk_1975_2023.json") == "2023"
    assert name_period("snapshot_indonesia_2023_07.csv") == "2023-07"
    assert name_period("penempatan_pmi_2031_01.csv") == "2031-01"
    assert name_period("remitansi_pmi.xlsx") is None
    today = date(2026, 11, 30)
    assert future_refusal("penempatan_pmi_2026_11.csv", today) is None
    assert future_refusal("tka_2026.csv", today) is None
    assert future_refusal("penempatan_pmi_2026_12.csv", today).startswith(
        "the file name gives the period 2026-12, after the build date 2026-11-30"
    )
    assert "period 2027, after" in future_refusal("population_coa_IDN_2027.json", today)


@pytest.mark.slow
def test_odd_paths_are_refused_one_by_one_and_the_good_files_load(
    refresh, raw_root: Path, warehouse_dir: Path
):
    folder = raw_root / "kp2mi" / FOLDER
    generate(raw_root, scale=SMALL_SCALE, bad_rows=0, months=[3])
    (folder / "penempatan_pmi_2023_03.csv").rename(folder / "penempatan_pmi_2023_03.CSV")
    (folder / "penempatan_pmi_2023_05.csv").mkdir()
    (folder / "penempatan_pmi_2023_06.csv").symlink_to(folder / "missing.csv")
    (folder / "penempatan_pmi_2023_07.csv").symlink_to("/etc/passwd")
    shutil.copyfile(folder / "penempatan_pmi_2023_01.csv", folder / "penempatan_pmi_2031_01.csv")
    undecodable = os.fsencode(folder) + b"/penempatan_pmi_2023_\xff8.csv"
    with open(undecodable, "wb") as handle:
        handle.write((folder / "penempatan_pmi_2023_01.csv").read_bytes())

    result = refresh()

    assert result.success
    retries = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert retries == []
    published = warehouse_dir / "sdmi.duckdb"
    files = dict(query(published, "SELECT path, coalesce(error, status) FROM meta.raw_files ORDER BY path"))
    prefix = "kp2mi/penempatan/penempatan_pmi_"
    assert files == {
        f"{prefix}2023_01.csv": "loaded",
        f"{prefix}2023_02.csv": "loaded",
        f"{prefix}2023_03.CSV": "loaded",
        f"{prefix}2023_05.csv": "a folder, not a file: a delivery must be a single file; "
        "move its content out or rename it",
        f"{prefix}2023_06.csv": f"a symbolic link to {folder / 'missing.csv'}, which does not exist "
        "(a dangling link)",
        f"{prefix}2023_07.csv": "a symbolic link to /etc/passwd, outside the raw root; "
        "copy the file into the raw root",
        f"{prefix}2023_\\xff8.csv": f"the file name is not valid UTF-8 text ({prefix}2023_\\xff8.csv); "
        "rename it with plain letters, digits and underscores",
        f"{prefix}2031_01.csv": "the file name gives the period 2031-01, after the build date "
        f"{datetime.now(UTC):%Y-%m-%d}: no delivery can report a period that has not happened; "
        "check the year (and month) in its name",
    }
    rejects = query(published, "SELECT path, line FROM meta.rejects WHERE line = 0 ORDER BY path")
    assert [path for path, _ in rejects] == [path for path, error in files.items() if error != "loaded"]
    months = query(
        published,
        "SELECT DISTINCT strftime(placement_date, '%Y-%m') FROM core.pmi_placements ORDER BY 1",
    )
    assert months == [("2023-01",), ("2023-02",), ("2023-03",)]
    assert "root:" not in str(query(published, "SELECT * FROM meta.rejects"))
