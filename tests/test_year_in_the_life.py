"""A year in the life: a calibrated year delivered month by month through the raw-file sensor, with
faults from the fault corpus between; every fault alerts once, no routine month alerts, and the
warehouse ends equal to a clean build of the final files, cell for cell.

Not yet here (issue 21, Deliver 6): deleted deliveries (issue 21's Deliver 2) and a crash mid-build
(tests/test_crash_heal.py covers that on its own).
"""

import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, build_schedule_context, build_sensor_context

from sdmi_pipeline.definitions import REFRESH_JOB, defs
from sdmi_pipeline.digests import sha256
from sdmi_pipeline.ingest.revision_guard import record_acceptance
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.runs.partitions import delivered_months, range_tags
from sdmi_pipeline.samples.placements import placements, write_month_files
from sdmi_pipeline.warehouse.resource import WarehouseResource
from tests.fault_corpus import PMI_FAULTS

pytestmark = [pytest.mark.slow, pytest.mark.soak]

SCALE = 0.01
FAULTS = {fault.id: fault for fault in PMI_FAULTS}
SENSOR = defs.resolve_sensor_def("raw_files_changed")
NIGHTLY = defs.resolve_schedule_def("nightly_refresh")
JOB = defs.resolve_job_def(REFRESH_JOB)


class Year:
    """The raw root, the warehouse, one Dagster instance and the sensor's cursor, step by step."""

    def __init__(self, root: Path) -> None:
        self.raw, self.rows = root / "raw", placements(2023, SCALE, 2023)
        self.instance = DagsterInstance.ephemeral()
        self.cursor: str | None = None
        self.log: list[tuple[str, bool, list[str]]] = []  # what arrived, a fault?, checks that warned

    def month_path(self, month: int) -> Path:
        return self.raw / "kp2mi" / "penempatan" / f"penempatan_pmi_2023_{month:02d}.csv"

    def deliver(self, month: int) -> None:
        write_month_files(self.rows, self.raw, 2023, bad_rows=0, months=[month])

    def tick(self, what: str, fault: bool = False) -> None:
        """The sensor's tick, then the run it requests, as the daemon would launch it."""
        data = SENSOR.evaluate_tick(build_sensor_context(instance=self.instance, cursor=self.cursor))
        self.cursor = data.cursor
        assert len(data.run_requests) == 1, (what, data.skip_message)
        self.run(what, fault, data.run_requests[0].tags)

    def nightly(self, what: str) -> None:
        """The nightly schedule's run: what a change without a new file (an acceptance) waits for."""
        data = NIGHTLY.evaluate_tick(build_schedule_context(instance=self.instance))
        assert len(data.run_requests) == 1, what
        self.run(what, False, data.run_requests[0].tags)

    def run(self, what: str, fault: bool, tags: dict[str, str]) -> None:
        run = JOB.execute_in_process(instance=self.instance, tags=tags, raise_on_error=False)
        assert run.success, what
        warned = sorted(
            f"{e.asset_key.to_user_string()}:{e.check_name}"
            for e in run.get_asset_check_evaluations()
            if not e.passed
        )
        self.log.append((what, fault, warned))


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


def test_a_year_in_the_life(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setenv("SDMI_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    year = Year(tmp_path)
    for month in range(1, 13):
        if month == 3:  # March first arrives as UTF-16, then corrected
            year.month_path(3).write_bytes(FAULTS["pmi-utf16-bom"].content)
            year.tick("March as UTF-16 (refused)", fault=True)
        if month == 5:  # other sources arrive between
            shutil.copytree(PROJECT_ROOT / "data" / "raw" / "unhcr", year.raw / "unhcr")
            year.tick("UNHCR files")
        if month == 7:  # April revised: ten records fewer, within the revision guard
            april = year.month_path(4)
            april.write_bytes(b"\n".join([*april.read_bytes().split(b"\n")[:-11], b""]))
            year.tick("April revised", fault=True)
        if month == 8:  # June again with half its records: held back, then accepted
            june = year.month_path(6)
            lines = june.read_bytes().split(b"\n")
            june.write_bytes(b"\n".join([*lines[: len(lines) // 2], b""]))
            year.tick("June halved (held)", fault=True)
            relative = june.relative_to(year.raw).as_posix()
            record_acceptance(WarehouseResource().acceptances_path, relative, sha256(june.read_bytes()))
            year.nightly("June accepted, the nightly run")
        if month == 9:  # September first arrives as a workbook under the CSV name, then corrected
            year.month_path(9).write_bytes(FAULTS["pmi-xlsx-under-csv-name"].content)
            year.tick("September as a workbook (refused)", fault=True)
        if month == 10:
            shutil.copytree(PROJECT_ROOT / "data" / "raw" / "bps", year.raw / "bps")
            year.tick("BPS files")
        year.deliver(month)
        year.tick(f"month {month:02d}")
    year.instance.dispose()

    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(tmp_path / "clean"))
    with DagsterInstance.ephemeral() as instance:
        clean = JOB.execute_in_process(
            instance=instance, tags=range_tags(delivered_months(year.raw)), raise_on_error=False
        )
    assert clean.success

    faults = sum(fault for _, fault, _ in year.log)
    alerts = sum(len(warned) for _, _, warned in year.log)
    with capsys.disabled():
        for what, fault, warned in year.log:
            print(f"  {what}{' (fault)' if fault else ''}: {', '.join(warned) or 'no warning'}")
        print(f"year in the life: {alerts} alerts for {faults} faults put in")
    assert [what for what, fault, warned in year.log if not fault and warned] == []  # routine: silent
    assert [what for what, fault, warned in year.log if fault and len(warned) != 1] == []  # a fault: once
    found = differences(tmp_path / "warehouse" / "sdmi.duckdb", tmp_path / "clean" / "sdmi.duckdb")
    assert "observations" in found and found == dict.fromkeys(found, 0)
