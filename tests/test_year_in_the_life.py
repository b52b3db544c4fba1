"""A year in the life (issue 21, Deliver 6): a calibrated year at 1 % delivered month by month
through the raw-file sensor, with other sources' files and faults from the fault corpus between.

The path is the daemon's: every run is requested by a real tick of the sensor (or of the nightly
schedule) on one Dagster instance (a DAGSTER_HOME with the project's dagster.yaml), with the code
location's repository, so it asks only for what the changed files feed as in production; the run
then executes in process with the request's tags and assets, as the daemon's run launcher executes
it (tests/test_launch.py: every launch path runs its steps in one process). One run is started in
a process of its own and killed (kill -9) mid-build: the next tick heals it, and the next run reads
its month too. The daemon itself is not started: at one tick a minute the year would take hours.

Faults put in: March first delivered as UTF-16 (refused, then corrected), a file refused and then
deleted, April revised within the revision guard, June halved (held back, then accepted for the
nightly run), September first delivered as a workbook (refused, then corrected), December 2022
delivered and later deleted (its rows withdrawn, and the build says so; it alerts because series
seen only in 2022 disappear with it: a withdrawal that removes no whole series is said, not
alerted, docs/warehouse.md), and the crash: seven.

An alert is a run an operator hears of (notify.py mails one per run): a run whose checks warned
(its warnings are listed) or a run that failed. Every fault must alert once, when it comes, and a
routine delivery (or the run after a fault cleared) never. At the end the published warehouse
equals a clean build of the final files, cell for cell.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    RunRequest,
    build_schedule_context,
    build_sensor_context,
)

from sdmi_pipeline.definitions import REFRESH_JOB, defs
from sdmi_pipeline.digests import sha256
from sdmi_pipeline.ingest.partitions import delivered_months, range_tags
from sdmi_pipeline.paths import BUILD_NAME, PROJECT_ROOT, PUBLISHED_NAME
from sdmi_pipeline.samples.placements import placements, write_month_files
from sdmi_pipeline.warehouse.acceptances import record_acceptance
from sdmi_pipeline.warehouse.resource import WarehouseResource
from tests.conftest import query
from tests.fault_corpus import PMI_FAULTS

pytestmark = pytest.mark.slow

SCALE = 0.01
FAULTS = {fault.id: fault for fault in PMI_FAULTS}
SENSOR = defs.resolve_sensor_def("raw_files_changed")
NIGHTLY = defs.resolve_schedule_def("nightly_refresh")
JOB = defs.resolve_job_def(REFRESH_JOB)
REPOSITORY = defs.get_repository_def()
FOLDER = Path("kp2mi") / "penempatan"
# A run in a process of its own, as the daemon's launcher starts one: killed mid-build.
RUN_IN_A_PROCESS = """
import json, sys
from dagster import AssetKey, DagsterInstance
from sdmi_pipeline.definitions import REFRESH_JOB, defs
request = json.loads(sys.argv[1])
assets = [AssetKey(path) for path in request["assets"]] if request["assets"] is not None else None
with DagsterInstance.get() as instance:
    defs.resolve_job_def(REFRESH_JOB).execute_in_process(
        instance=instance, tags=request["tags"], asset_selection=assets, raise_on_error=False
    )
"""


class Year:
    """The raw root, the warehouse, one Dagster instance and the sensor's cursor, step by step."""

    def __init__(self, root: Path) -> None:
        self.raw, self.warehouse, self.rows = root / "raw", root / "warehouse", placements(2023, SCALE, 2023)
        home = root / "dagster_home"
        home.mkdir()
        shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
        self.instance = DagsterInstance.from_config(str(home))
        self.cursor: str | None = None
        self.log: list[tuple[str, bool, list[str]]] = []  # what arrived, a fault?, what alerted
        self.gone: dict[str, str] = {}  # path → what the builds said of it when it was deleted

    def path(self, year: int, month: int) -> Path:
        return self.raw / FOLDER / f"penempatan_pmi_{year}_{month:02d}.csv"

    def deliver(self, month: int) -> None:
        write_month_files(self.rows, self.raw, 2023, bad_rows=0, months=[month])

    def request(self, what: str) -> RunRequest:
        """The sensor's tick, with the code location's repository as the daemon evaluates it."""
        context = build_sensor_context(instance=self.instance, cursor=self.cursor, repository_def=REPOSITORY)
        data = SENSOR.evaluate_tick(context)
        self.cursor = data.cursor
        assert len(data.run_requests) == 1, (what, data.skip_message)
        return data.run_requests[0]

    def tick(self, what: str, fault: bool = False) -> None:
        """The sensor's tick, then the run it requests, as the daemon would launch it."""
        self.run(what, fault, self.request(what))

    def nightly(self, what: str) -> None:
        """The nightly schedule's run: what a change without a new file (an acceptance) waits for."""
        data = NIGHTLY.evaluate_tick(build_schedule_context(instance=self.instance))
        assert len(data.run_requests) == 1, what
        self.run(what, False, data.run_requests[0])

    def run(self, what: str, fault: bool, request: RunRequest) -> None:
        run = JOB.execute_in_process(
            instance=self.instance,
            tags=request.tags,
            asset_selection=request.asset_selection,
            raise_on_error=False,
        )
        assert run.success, what
        warned = sorted(
            f"{e.asset_key.to_user_string()}:{e.check_name}"
            for e in run.get_asset_check_evaluations()
            if not e.passed
        )
        for event in run.get_asset_materialization_events():
            gone = event.materialization.metadata.get("gone")
            self.gone |= gone.value if gone is not None else {}
        self.log.append((what, fault, warned))
        print(f"  {what}: {', '.join(warned) or 'no alert'}", flush=True)  # shown if the test fails

    def crash(self, what: str) -> str:
        """The sensor's tick, its run started in a process of its own and killed (kill -9) once a step
        has ended and the build file is written, before it publishes; returns the run's id."""
        request = self.request(what)
        assets = [key.path for key in request.asset_selection] if request.asset_selection else None
        arguments = json.dumps({"tags": request.tags, "assets": assets})
        with (self.raw.parent / "crashed_run.log").open("w") as output:
            victim = subprocess.Popen(
                [sys.executable, "-c", RUN_IN_A_PROCESS, arguments],
                cwd=PROJECT_ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a kill takes its helpers (Dagster's tail of compute logs) too
            )
        deadline, run_id = time.monotonic() + 600, None
        try:
            while victim.poll() is None and time.monotonic() < deadline:
                runs = [r for r in self.instance.get_runs() if r.tags.get("sdmi/changed_files")]
                if runs and runs[0].status == DagsterRunStatus.STARTED:
                    run_id = runs[0].run_id
                    ended = self.instance.all_logs(run_id, of_type=DagsterEventType.STEP_SUCCESS)
                    if ended and (self.warehouse / BUILD_NAME).exists():
                        break
                time.sleep(0.2)
        finally:
            if victim.poll() is None:
                os.killpg(victim.pid, signal.SIGKILL)  # kill -9, as a power loss would
            victim.wait(timeout=60)
        assert victim.returncode == -signal.SIGKILL, (self.raw.parent / "crashed_run.log").read_text()[-3000:]
        assert run_id is not None and (self.warehouse / BUILD_NAME).exists()
        return run_id


def differences(published: Path, clean: Path) -> dict[str, int]:
    """Rows of each indicators table in one warehouse and not the other (vintage aside: load times)."""
    with duckdb.connect() as connection:
        connection.execute(f"ATTACH '{published}' AS published (READ_ONLY)")
        connection.execute(f"ATTACH '{clean}' AS clean (READ_ONLY)")
        tables = connection.execute(
            """SELECT table_name FROM duckdb_tables() WHERE database_name = 'clean'
               AND schema_name = 'indicators' ORDER BY ALL"""
        ).fetchall()
        found = {}
        for (table,) in tables:
            columns = [
                name
                for (name,) in connection.execute(
                    """SELECT column_name FROM duckdb_columns() WHERE database_name = 'clean'
                       AND schema_name = 'indicators' AND table_name = ? AND column_name <> 'vintage'""",
                    [table],
                ).fetchall()
            ]
            select = ", ".join(columns)
            a, b = f"published.indicators.{table}", f"clean.indicators.{table}"
            only = "(SELECT count(*) FROM (SELECT {s} FROM {x} EXCEPT ALL SELECT {s} FROM {y}))"
            found[table] = connection.execute(
                f"SELECT {only.format(s=select, x=a, y=b)} + {only.format(s=select, x=b, y=a)}"
            ).fetchone()[0]
        return found


def read_by(published: Path, path: Path, raw: Path) -> list[tuple]:
    """The readings of `path` in the published warehouse's meta.raw_files."""
    sql = "SELECT status FROM meta.raw_files WHERE path = ? ORDER BY loaded_at"
    return query(published, sql, [path.relative_to(raw).as_posix()])


def test_a_year_in_the_life(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setenv("SDMI_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    started = time.monotonic()
    year = Year(tmp_path)
    published = year.warehouse / PUBLISHED_NAME
    december_2022 = year.path(2022, 12)
    refused_then_deleted = year.path(2022, 6)
    for month in range(1, 13):
        if month == 2:  # last year's December arrives late, with February (a good delivery, deleted later)
            write_month_files(placements(2022, SCALE, 2022), year.raw, 2022, bad_rows=0, months=[12])
        if month == 3:  # March first arrives as UTF-16, then corrected
            year.path(2023, 3).write_bytes(FAULTS["pmi-utf16-bom"].content)
            year.tick("March as UTF-16 (refused)", fault=True)
        if month == 4:  # a tab-delimited file for June 2022 arrives, and is deleted again with April
            refused_then_deleted.write_bytes(FAULTS["pmi-tab-delimited"].content)
            year.tick("June 2022 tab-delimited (refused)", fault=True)
            refused_then_deleted.unlink()
        if month == 5:  # other sources arrive between
            shutil.copytree(PROJECT_ROOT / "data" / "raw" / "unhcr", year.raw / "unhcr")
            year.tick("UNHCR files")
        if month == 7:  # April revised: ten records fewer, within the revision guard
            april = year.path(2023, 4)
            april.write_bytes(b"\n".join([*april.read_bytes().split(b"\n")[:-11], b""]))
            year.tick("April revised", fault=True)
        if month == 8:  # June again with half its records: held back, then accepted
            june = year.path(2023, 6)
            lines = june.read_bytes().split(b"\n")
            june.write_bytes(b"\n".join([*lines[: len(lines) // 2], b""]))
            year.tick("June halved (held)", fault=True)
            relative = june.relative_to(year.raw).as_posix()
            record_acceptance(WarehouseResource().acceptances_path, relative, sha256(june.read_bytes()))
            year.nightly("June accepted, the nightly run")
        if month == 9:  # September first arrives as a workbook under the CSV name, then corrected
            year.path(2023, 9).write_bytes(FAULTS["pmi-xlsx-under-csv-name"].content)
            year.tick("September as a workbook (refused)", fault=True)
        if month == 10:
            shutil.copytree(PROJECT_ROOT / "data" / "raw" / "bps", year.raw / "bps")
            year.tick("BPS files")
            december_2022.unlink()  # withdrawn by its publisher
            year.tick("December 2022 deleted (rows withdrawn)", fault=True)
        year.deliver(month)
        if month == 11:  # November's run is killed mid-build; December's run heals it and reads November
            crashed = year.crash("month 11 (run killed mid-build)")
            assert read_by(published, year.path(2023, 11), year.raw) == []  # not published
            continue
        if month == 12:
            request = year.request("month 12")
            healed = year.instance.get_run_by_id(crashed).status == DagsterRunStatus.FAILURE
            year.log.append(("month 11 (run killed mid-build)", True, ["run failed"] if healed else []))
            year.run("month 12 (and November)", False, request)
            continue
        year.tick(f"month {month:02d}")
    year.instance.dispose()
    assert not (year.warehouse / BUILD_NAME).exists()
    assert read_by(published, year.path(2023, 11), year.raw) == [("loaded",)]
    assert read_by(published, refused_then_deleted, year.raw) == [("failed",), ("gone",)]
    assert (
        "accepted rows are withdrawn from the published figures"
        in year.gone[december_2022.relative_to(year.raw).as_posix()]
    )
    assert (
        "its refusal or hold is cleared" in year.gone[refused_then_deleted.relative_to(year.raw).as_posix()]
    )
    took = time.monotonic() - started

    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(tmp_path / "clean"))
    with DagsterInstance.ephemeral() as instance:
        clean = JOB.execute_in_process(
            instance=instance, tags=range_tags(delivered_months(year.raw)), raise_on_error=False
        )
    assert clean.success

    faults = sum(fault for _, fault, _ in year.log)
    alerts = sum(bool(alerted) for _, _, alerted in year.log)
    with capsys.disabled():
        print()
        for what, fault, alerted in year.log:
            print(f"  {what}{' (fault)' if fault else ''}: {', '.join(alerted) or 'no alert'}")
        print(
            f"year in the life: {alerts} alerts for {faults} faults put in ({took / 60:.1f} min for the year)"
        )
    assert [what for what, fault, alerted in year.log if not fault and alerted] == []  # routine: silent
    assert [what for what, fault, alerted in year.log if fault and not alerted] == []  # a fault: said
    assert alerts == faults  # once each: a fault clears before the next run, which is silent
    found = differences(published, tmp_path / "clean" / "sdmi.duckdb")
    assert "observations" in found and found == dict.fromkeys(found, 0)
