"""Issue 21: every refused, held or ignored path is named at every build, up to date or not, by
`sdmi status` and by the sensor's tick; a deleted file clears; the exit status tells the outcome."""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from dagster import DagsterInstance, build_sensor_context

from sdmi_pipeline.cli import main
from sdmi_pipeline.runs.outcome import OUTCOME_TAG, UNREAD_TAG
from tests.conftest import query
from tests.test_cli import cli_environment  # noqa: F401 (fixture)

FOLDER = Path("kp2mi") / "penempatan"
BAD_NAME = os.fsencode(FOLDER / "penempatan_pmi_2023_06") + b"\xff.csv"  # a Windows zip's name
SHOWN_BAD_NAME = "kp2mi/penempatan/penempatan_pmi_2023_06\\xff.csv"
MONTH_FOLDER = "kp2mi/penempatan/penempatan_pmi_2023_07.csv"
FUTURE = "kp2mi/penempatan/penempatan_pmi_2031_01.csv"
BAD_JUNE = "kp2mi/penempatan/penempatan_pmi_2023_06.csv"
NOTES = "kp2mi/penempatan/catatan.txt"
FEBRUARY = "kp2mi/penempatan/penempatan_pmi_2023_02.csv"


def put_odd_paths(raw_root: Path) -> None:
    """The three paths the up-to-date check passed over in silence, a bad June file and a note."""
    january = (raw_root / FOLDER / "penempatan_pmi_2023_01.csv").read_bytes()
    with open(os.path.join(os.fsencode(raw_root), BAD_NAME), "wb") as handle:
        handle.write(january)
    (raw_root / MONTH_FOLDER).mkdir()
    (raw_root / MONTH_FOLDER / "data.csv").write_bytes(january)
    (raw_root / FUTURE).write_bytes(january)
    (raw_root / BAD_JUNE).write_text("a,b\n1,2\n")
    (raw_root / NOTES).write_text("delivered by hand\n")


def named(output: str, state: str) -> list[str]:
    """The paths listed under "Not read into the figures" as `state` (e.g. "refused, new")."""
    lines = [line.strip() for line in output.splitlines()]
    return sorted(line.split(": ")[1] for line in lines if line.startswith(f"{state}: "))


def last_run_tags(home: Path) -> dict[str, str]:
    with DagsterInstance.from_config(str(home)) as instance:
        (run,) = instance.get_runs(limit=1)
        return dict(run.tags)


@pytest.mark.slow
def test_refused_paths_are_named_every_time_and_clear_when_deleted(
    cli_environment,  # noqa: F811
    raw_root: Path,
    warehouse_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    runner = CliRunner()
    first = runner.invoke(main, ["build"])
    assert first.exit_code == 0, first.output
    assert "Not read into the figures" not in first.output
    assert last_run_tags(tmp_path / "dagster_home")[OUTCOME_TAG] == "clean"

    put_odd_paths(raw_root)
    refused = sorted([SHOWN_BAD_NAME, MONTH_FOLDER, FUTURE, BAD_JUNE])
    built = runner.invoke(main, ["build"])
    assert built.exit_code == 3, built.output  # published, but deliveries were refused
    assert named(built.output, "refused, new") == refused
    assert named(built.output, "ignored, new") == [NOTES]
    assert f"refused, new: {MONTH_FOLDER}: a folder, not a file" in built.output
    assert f"refused, new: {FUTURE}: the file name gives the period 2031-01, after the build date" in (
        built.output
    )
    assert f"refused, new: {BAD_JUNE}: line 1: required column(s) missing: id_pmi," in built.output
    tags = last_run_tags(tmp_path / "dagster_home")
    assert tags[OUTCOME_TAG] == "refused_or_held"
    assert tags[UNREAD_TAG] == "; ".join([*(f"refused: {path}" for path in refused), f"ignored: {NOTES}"])

    again = runner.invoke(main, ["build"])  # nothing changed: up to date, and every path said again
    assert again.exit_code == 3, again.output
    assert again.output.splitlines()[-1].startswith("Up to date: ")
    assert named(again.output, "refused, still there") == refused
    assert named(again.output, "ignored, still there") == [NOTES]

    status = runner.invoke(main, ["status"])
    assert named(status.output, "refused, still there") == refused
    assert "  FAILED (WARN) published_warehouse deliveries_clean, run " in status.output

    sensor = __import__("sdmi_pipeline.definitions").definitions.defs.resolve_sensor_def("raw_files_changed")
    with DagsterInstance.ephemeral() as instance:
        tick = sensor.evaluate_tick(build_sensor_context(instance=instance))
    assert tick.skip_message == (
        f"no raw file arrived or changed; not read into the figures: {tags[UNREAD_TAG]}"
    )

    shutil.rmtree(raw_root / MONTH_FOLDER)
    for path in (BAD_NAME.decode("utf-8", "surrogateescape"), FUTURE, BAD_JUNE, NOTES):
        (raw_root / path).unlink()
    cleared = runner.invoke(main, ["build"])
    assert cleared.exit_code == 0, cleared.output
    assert "Gone from the raw root since the last build (4):" in cleared.output
    assert f"{BAD_JUNE}: deleted from the raw root: its refusal or hold is cleared" in cleared.output
    assert "Not read into the figures" not in cleared.output
    published = warehouse_dir / "sdmi.duckdb"
    assert query(published, "SELECT count(*) FROM meta.raw_files WHERE status = 'gone'") == [(4,)]
    assert query(published, f"SELECT count(*) FROM meta.raw_files WHERE path = '{BAD_JUNE}'") == [(2,)]
    status = runner.invoke(main, ["status"])
    assert "Not read into the figures" not in status.output
    assert "files_readable" not in status.output  # the check passes again

    quiet = runner.invoke(main, ["build"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output.startswith("Up to date: ")


PLACED_2023 = """SELECT value FROM indicators.observations WHERE indicator_id = 'PMI_PLACED'
    AND freq = 'A' AND time_period = '2023' AND counterpart_area = '_T' AND sex = '_T'
    AND province = '_T' AND sector = '_T' AND occupation = '_T' AND scheme = '_T'
    AND age = '_T' AND education = '_T'"""


@pytest.mark.slow
def test_a_deleted_delivery_takes_its_rows_out_and_the_build_says_so(
    cli_environment,  # noqa: F811
    raw_root: Path,
    warehouse_dir: Path,
):
    runner = CliRunner()
    published = warehouse_dir / "sdmi.duckdb"
    may = raw_root / FOLDER / "penempatan_pmi_2023_05.CSV"  # read whatever the case of its name
    may.write_bytes((raw_root / FEBRUARY).read_bytes().replace(b"2023-02-", b"2023-05-"))
    assert runner.invoke(main, ["build"]).exit_code == 0
    (with_may,) = query(published, PLACED_2023)[0]
    (may_rows,) = query(
        published, "SELECT rows_accepted FROM meta.raw_files WHERE path LIKE '%_05.CSV' AND is_current"
    )[0]
    assert may_rows > 0

    may.unlink()
    withdrawn = runner.invoke(main, ["build"])
    assert withdrawn.exit_code == 0, withdrawn.output
    assert (
        "  Gone from the raw root since the last build (1):\n"
        f"    kp2mi/penempatan/penempatan_pmi_2023_05.CSV: deleted from the raw root: its {may_rows:,} "
        "accepted rows are withdrawn from the published figures"
    ) in withdrawn.output
    assert query(published, PLACED_2023) == [(with_may - may_rows,)]
    assert query(published, "SELECT count(*) FROM core.pmi_placements WHERE placement_month = '2023-05'") == [
        (0,)
    ]
    assert runner.invoke(main, ["build"]).output.startswith("Up to date: ")  # gone is no change any more
    forced = runner.invoke(main, ["build", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "Gone from the raw root" not in forced.output  # said once, when it went
    assert query(published, PLACED_2023) == [(with_may - may_rows,)]


def test_build_help_documents_the_exit_status():
    result = CliRunner().invoke(main, ["build", "--help"])
    text = " ".join(result.output.split())
    assert "Exit status: 0 published, all clean; 3 published, but a path under the raw root" in text
    assert "1 nothing published, a blocking check or a step failed" in text
