"""Every launch path runs the refresh in process, as `sdmi build` does (issue 14).

A real `dagster-daemon` on a temporary DAGSTER_HOME (the project's dagster.yaml: queued runs,
one at a time) drains the queue through the instance's run launcher, which starts each run in a
subprocess from the code server, as in production. Three runs go through it:
- the sensor's first tick on an empty warehouse (the daemon evaluates it);
- the nightly schedule's RunRequest, submitted with `dagster job launch` as the UI's launchpad does;
- the implicit asset job over a partition range: what the UI's "Materialize" and an asset backfill run.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    build_schedule_context,
    build_sensor_context,
)

from sdmi_pipeline.definitions import REFRESH_JOB, defs
from sdmi_pipeline.ingest.partitions import range_tags
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.samples.placements import generate

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
ASSET_JOB = "__ASSET_JOB"
IN_PROCESS = "Executing steps in process"


class Deployment:
    """A raw root, a warehouse and a DAGSTER_HOME under one folder, with a daemon running on them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "dagster_home"
        self.environment = os.environ | {
            "DAGSTER_HOME": str(self.home),
            "SDMI_RAW_DIR": str(root / "raw"),
            "SDMI_WAREHOUSE_DIR": str(root / "warehouse"),
        }

    def cli(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "dagster"), *arguments, "-w", "workspace.yaml"],
            cwd=PROJECT_ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )

    def wait_for_run(self, instance: DagsterInstance, job_name: str, seen: set[str]) -> DagsterRun:
        """The next run of `job_name` not in `seen`, once it has finished."""
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            runs = [run for run in instance.get_runs() if run.job_name == job_name and run.run_id not in seen]
            if runs and runs[0].status in FINISHED:
                seen.add(runs[0].run_id)
                return runs[0]
            time.sleep(1)
        log = (self.root / "daemon.log").read_text()[-3000:]
        raise AssertionError(f"no finished run of {job_name} within 15 minutes; daemon log:\n{log}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("launch")
    generate(root / "raw", scale=0.01, bad_rows=8, months=[1, 2])
    place = Deployment(root)
    place.home.mkdir()
    shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", place.home / "dagster.yaml")
    with (root / "daemon.log").open("w") as log:
        daemon = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"],
            cwd=PROJECT_ROOT,
            env=place.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    with pytest.MonkeyPatch.context() as patch:
        for name in ("DAGSTER_HOME", "SDMI_RAW_DIR", "SDMI_WAREHOUSE_DIR"):
            patch.setenv(name, place.environment[name])
        try:
            yield place
        finally:
            os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(timeout=60)


@pytest.fixture(scope="module")
def launched(deployment: Deployment) -> dict[str, DagsterRun]:
    """The three runs, each launched once the previous one has finished."""
    seen: set[str] = set()
    runs = {}
    with DagsterInstance.get() as instance:
        runs["sensor"] = deployment.wait_for_run(instance, REFRESH_JOB, seen)

        schedule = defs.resolve_schedule_def("nightly_refresh")
        request = schedule.evaluate_tick(build_schedule_context(instance=instance)).run_requests[0]
        assert request.run_config == {}
        deployment.cli("job", "launch", "-j", REFRESH_JOB, "--tags", json.dumps(request.tags))
        runs["schedule"] = deployment.wait_for_run(instance, REFRESH_JOB, seen)

        deployment.cli("job", "launch", "-j", ASSET_JOB, "--tags", json.dumps(range_tags(["2023-02"])))
        runs["asset job"] = deployment.wait_for_run(instance, ASSET_JOB, seen)
        for name, run in runs.items():
            stats = instance.get_run_stats(run.run_id)
            print(f"{name}: {stats.end_time - stats.start_time:.1f} s from start to end of the run")
    return runs


def of_type(events: list, event_type: DagsterEventType) -> list:
    return [event for event in events if event.dagster_event_type == event_type]


@pytest.mark.parametrize("path", ["sensor", "schedule", "asset job"])
def test_every_launch_path_runs_its_steps_in_one_process(launched: dict[str, DagsterRun], path: str):
    run = launched[path]
    assert run.status == DagsterRunStatus.SUCCESS
    with DagsterInstance.get() as instance:
        events = instance.all_logs(run.run_id)
    engine = [event.message for event in of_type(events, DagsterEventType.ENGINE_EVENT)]
    assert any(message.startswith(IN_PROCESS) for message in engine), engine
    assert not of_type(events, DagsterEventType.STEP_WORKER_STARTING)  # no subprocess per step
    steps = of_type(events, DagsterEventType.STEP_SUCCESS)
    assert len(steps) == len(defs.resolve_job_def(run.job_name).graph.node_names())
    assert len({event.dagster_event.pid for event in steps}) == 1  # one process ran every step


def test_the_sensor_run_was_started_by_the_sensor(launched: dict[str, DagsterRun]):
    assert launched["sensor"].tags["dagster/sensor_name"] == "raw_files_changed"
    assert launched["sensor"].tags["sdmi/changed_files"].startswith("kp2mi/penempatan/penempatan_pmi_2023_01")


def test_first_tick_on_a_loaded_warehouse_starts_nothing(launched: dict[str, DagsterRun]):
    sensor = defs.resolve_sensor_def("raw_files_changed")
    with DagsterInstance.ephemeral() as instance:
        tick = sensor.evaluate_tick(build_sensor_context(instance=instance, cursor=None))
    assert tick.run_requests == [] and tick.skip_message == "no raw file arrived or changed"
    assert len(json.loads(tick.cursor)) == 2  # the two monthly files, hashed
