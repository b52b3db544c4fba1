"""Shrinking revisions are held back until `sdmi accept`; the previous figures stay published."""

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdmi_pipeline.cli import main
from sdmi_pipeline.ingest.revision_guard import hold_reason
from tests.conftest import copy_shipped_placements, query

APRIL = "kp2mi/penempatan/penempatan_pmi_2023_04.csv"
PMI_PLACED_2023 = """SELECT value FROM indicators.observations WHERE indicator_id = 'PMI_PLACED'
    AND freq = 'A' AND time_period = '2023' AND counterpart_area = '_T' AND sex = '_T' AND age = '_T'
    AND province = '_T' AND education = '_T' AND sector = '_T' AND occupation = '_T' AND scheme = '_T'"""


@pytest.fixture
def raw_root(tmp_path: Path) -> Path:
    return copy_shipped_placements(tmp_path / "raw")


def checks_of(run) -> dict[tuple[str, str], bool]:
    return {(e.asset_key.to_user_string(), e.check_name): e for e in run.get_asset_check_evaluations()}


def test_the_guard_holds_a_revision_that_loses_more_than_the_allowed_share():
    assert hold_reason(None, 0, 0.10) is None
    assert hold_reason(198, 179, 0.10) is None  # 9.6 % fewer
    assert hold_reason(198, 178, 0.10).startswith(
        "revision held back: 178 accepted rows where the current vintage has 198 (10.1% fewer, "
        "more than the 10% allowed); if it is right, run `sdmi accept <path>`"
    )
    assert hold_reason(198, 0, 0.10).startswith(
        "revision held back: it holds no data row (the current vintage has 198)"
    )


@pytest.mark.slow
def test_a_cut_revision_and_a_header_only_revision_are_held_until_accepted(
    refresh, raw_root: Path, warehouse_dir: Path
):
    published = warehouse_dir / "sdmi.duckdb"
    assert refresh().success
    assert query(published, PMI_PLACED_2023) == [(83_864.0,)]
    april = raw_root / APRIL
    whole = april.read_bytes()

    april.write_bytes(whole[: len(whole) // 2])  # cut mid-row in transfer
    run = refresh()
    assert run.success
    assert query(published, PMI_PLACED_2023) == [(83_864.0,)]
    held = checks_of(run)["staging/kp2mi_placements", "revisions_not_held"]
    assert not held.passed and held.metadata["revisions_held"].value == 1
    assert "50.0% fewer" in held.metadata["held"].value
    status = query(
        published,
        "SELECT status, is_current, error FROM meta.raw_files WHERE path = ? ORDER BY loaded_at",
        [APRIL],
    )
    assert [row[:2] for row in status] == [("loaded", True), ("held", False)]
    assert status[1][2].startswith(
        "revision held back: 9,625 accepted rows where the current vintage has 19,248 (50.0% fewer, "
    )

    april.write_bytes(whole.split(b"\n", 1)[0] + b"\n")  # only the header
    run = refresh()
    assert query(published, PMI_PLACED_2023) == [(83_864.0,)]
    assert query(
        published,
        "SELECT error FROM meta.raw_files WHERE path = ? AND status = 'held' ORDER BY loaded_at DESC LIMIT 1",
        [APRIL],
    ) == [
        (
            "revision held back: it holds no data row (the current vintage has 19,248); "
            "if it is right, run `sdmi accept <path>` to let this revision through",
        )
    ]

    april.write_bytes(whole[: len(whole) // 2])
    accepted = CliRunner().invoke(main, ["accept", str(april)])
    assert accepted.exit_code == 0, accepted.output
    assert accepted.output.startswith(f"Accepted {APRIL} (sha256 ")
    run = refresh()
    assert checks_of(run)["staging/kp2mi_placements", "revisions_not_held"].passed
    assert query(published, PMI_PLACED_2023) == [(74_241.0,)]  # 83,864 - 19,248 + 9,625
    who = query(
        published,
        "SELECT path, accepted_by IS NOT NULL, accepted_at IS NOT NULL FROM meta.accepted_revisions",
    )
    assert who == [(APRIL, True, True)]


@pytest.mark.slow
def test_the_original_content_delivered_again_clears_a_held_revision(
    refresh, raw_root: Path, warehouse_dir: Path
):
    published = warehouse_dir / "sdmi.duckdb"
    assert refresh().success
    april = raw_root / APRIL
    whole = april.read_bytes()
    april.write_bytes(whole.split(b"\n", 1)[0] + b"\n")
    assert not checks_of(refresh())["staging/kp2mi_placements", "revisions_not_held"].passed
    april.write_bytes(whole)
    run = refresh()
    assert checks_of(run)["staging/kp2mi_placements", "revisions_not_held"].passed
    assert query(published, "SELECT status FROM meta.raw_files WHERE path = ?", [APRIL]) == [("loaded",)]
    assert query(published, PMI_PLACED_2023) == [(83_864.0,)]


@pytest.mark.slow
def test_a_utf16_revision_is_refused_saying_so_and_the_figures_stay(
    refresh, raw_root: Path, warehouse_dir: Path
):
    published = warehouse_dir / "sdmi.duckdb"
    assert refresh().success
    april = raw_root / APRIL
    april.write_bytes(april.read_bytes().decode("utf-8").encode("utf-16"))
    run = refresh()
    assert run.success
    assert query(published, PMI_PLACED_2023) == [(83_864.0,)]
    assert query(
        published, "SELECT status, error FROM meta.raw_files WHERE path = ? ORDER BY loaded_at", [APRIL]
    ) == [
        ("loaded", None),
        (
            "failed",
            f"{APRIL}: the file is UTF-16 text (byte order mark FF FE), not the CSV text its name says; "
            "save or export it as UTF-8 CSV text",
        ),
    ]
    assert not checks_of(run)["staging/kp2mi_placements", "files_readable"].passed


def test_accept_records_who_and_which_content_and_refuses_a_path_outside_the_raw_root(
    raw_root: Path, warehouse_dir: Path, tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("SDMI_RAW_DIR", str(raw_root))
    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(warehouse_dir))
    monkeypatch.setenv("SDMI_USER", "analyst@bps")
    april = raw_root / APRIL
    assert CliRunner().invoke(main, ["accept", str(april)]).exit_code == 0
    (entry,) = [
        json.loads(line) for line in (warehouse_dir / "accepted_revisions.jsonl").read_text().splitlines()
    ]
    assert entry["path"] == APRIL and entry["accepted_by"] == "analyst@bps"
    assert entry["sha256"] == hashlib.sha256(april.read_bytes()).hexdigest()
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("x\n")
    refused = CliRunner().invoke(main, ["accept", str(outside)])
    assert refused.exit_code == 2 and f"{outside} is not under the raw root" in refused.output
