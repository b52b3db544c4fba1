"""The lake backend on Celery workers (issue 22 §3): PostgreSQL, Redis and two workers on loopback."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

from sdmi_pipeline.ingest.partitions import delivered_months, range_tags
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.samples.placements import generate
from sdmi_pipeline.warehouse.healing import heal_dead_runs
from tests.conftest import BAD_ROWS_PER_FILE, SMALL_SCALE
from tests.lakehouse import grant_aggregates, lakehouse, read_as_statistician
from tests.servers import free_port, require
from tests.test_ducklake import lakes

pytestmark = pytest.mark.slow  # 13-17 minutes on 2 cores; CI runs it
WORKERS = 2
KILLED_STEP = "staging__kp2mi_placements"  # the longest step of a small build


@contextmanager
def redis_server() -> Iterator[str]:
    """Debian's redis-server on a free loopback port, nothing persisted; yields the broker URL."""
    binary = shutil.which("redis-server")
    require("Redis (Debian package redis-server)", binary is not None)
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def celery_workers(environment: dict[str, str], logs: Path) -> Iterator[list[subprocess.Popen]]:
    """Two Celery workers of one process each (`celery -A sdmi_pipeline.warehouse.workers worker`)."""
    celery = Path(sys.executable).parent / "celery"
    workers = [
        subprocess.Popen(
            [
                str(celery),
                "-A",
                "sdmi_pipeline.warehouse.workers",
                "worker",
                "-Q",
                "dagster",
                "--concurrency=1",
                "--prefetch-multiplier=1",
                "-n",
                f"sdmi{number}@%h",
                "--loglevel=INFO",
            ],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=open(logs / f"worker{number}.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        for number in range(WORKERS)
    ]
    try:
        yield workers
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()


STARTED: list[subprocess.Popen] = []  # the runs and the reader: ended when the test ends, however


@pytest.fixture(autouse=True)
def end_started_processes() -> Iterator[None]:
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=60)


def launch(environment: dict[str, str], raw: Path, log: Path) -> subprocess.Popen:
    """The refresh as the daemon would start it: `dagster job execute`, its steps sent to the workers."""
    tags = json.dumps(range_tags(delivered_months(raw)))
    run = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster"),
            "job",
            "execute",
            "-m",
            "sdmi_pipeline.definitions",
            "-j",
            "refresh_warehouse",
            "--tags",
            tags,
        ],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=open(log, "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )
    STARTED.append(run)
    return run


READER = """
import json, sys, time
import duckdb
from sdmi_pipeline.warehouse.ducklake import load_extensions, attach_lake
connection = duckdb.connect()
load_extensions(connection)
attached = False
while True:
    try:
        if not attached:  # a read-only attach fails until the first publish created the catalog
            attach_lake(connection, sys.argv[1], "", "sdmi", read_only=True)
            attached = True
        row = connection.execute(
            "SELECT (SELECT count(*) FROM sdmi.indicators.observations), "
            "(SELECT count(*) FROM sdmi.meta.observation_history), "
            "(SELECT max(vintage)::VARCHAR FROM sdmi.meta.observation_history)").fetchone()
    except duckdb.Error:
        row = None  # nothing published yet
    print(json.dumps(row), flush=True)
    time.sleep(0.2)
"""
STATE = (
    "SELECT (SELECT count(*) FROM sdmi.indicators.observations AT (VERSION => {v})), "
    "(SELECT count(*) FROM sdmi.meta.observation_history AT (VERSION => {v})), "
    "(SELECT max(vintage)::VARCHAR FROM sdmi.meta.observation_history AT (VERSION => {v}))"
)


def pool_processes(workers: list[subprocess.Popen]) -> list[int]:
    """The pids of the workers' pool processes (the children that run the steps)."""
    return [
        int(child)
        for worker in workers
        for child in subprocess.run(
            ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True
        ).stdout.split()
    ]


def step_events(instance: DagsterInstance, run_id: str, step: str) -> list[str]:
    """The events of `step` in the run that matter here (sent to a worker, started, ended), oldest first."""
    kinds = {
        DagsterEventType.ENGINE_EVENT,
        DagsterEventType.STEP_START,
        DagsterEventType.STEP_SUCCESS,
        DagsterEventType.STEP_FAILURE,
    }
    return [
        record.dagster_event.event_type_value
        for record in instance.all_logs(run_id, of_type=kinds)
        if record.dagster_event.step_key == step
    ]


def signal_all(pids: list[int], number: int) -> None:
    for pid in pids:
        with suppress(ProcessLookupError):  # a killed one may be gone already
            os.kill(pid, number)
    if number == signal.SIGSTOP:  # the signal is delivered a moment later: wait until it was
        for pid in pids:
            for _ in range(1000):
                try:
                    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
                except OSError:
                    break
                if state in "TtZX":
                    break
                time.sleep(0.001)


def kill_mid_step(
    instance: DagsterInstance, workers: list[subprocess.Popen], step: str, timeout: float = 900
) -> tuple[str, list[int]]:
    """SIGKILL the workers' pool processes while one of them is in the middle of `step`.

    A small build's step lasts half a second, so waiting for its start and then killing races with
    its end. Instead, once the step is sent to the workers, their pool processes are kept frozen
    (SIGSTOP) and let run (SIGCONT) in slices of 50 ms; while frozen nothing can finish, so when
    the step has started and not ended it is certainly mid-step when they are killed. Returns the
    run's id and the pids killed.
    """
    deadline = time.monotonic() + timeout
    run_id = None
    while run_id is None:  # the run, once the step was sent to a worker
        assert time.monotonic() < deadline, f"no run sent {step} to a worker within {timeout} s"
        runs = instance.get_runs(limit=1)
        if runs and step_events(instance, runs[0].run_id, step):
            run_id = runs[0].run_id
        else:
            time.sleep(0.5)
    while time.monotonic() < deadline:
        frozen = pool_processes(workers)
        signal_all(frozen, signal.SIGSTOP)
        events = [event for event in step_events(instance, run_id, step) if event != "ENGINE_EVENT"]
        if events and events[-1] == "STEP_START":
            signal_all(frozen, signal.SIGKILL)
            signal_all(frozen, signal.SIGCONT)
            return run_id, frozen
        if events and events[-1] != "STEP_START":
            signal_all(frozen, signal.SIGCONT)
            raise AssertionError(f"{step} ended before it could be caught mid-step: {events}")
        signal_all(frozen, signal.SIGCONT)
        time.sleep(0.05)
    raise AssertionError(f"{step} did not start within {timeout} s")


def file_backend_observations(raw: Path, root: Path) -> Path:
    """The file backend's warehouse on the same raw files: `sdmi build`, in process."""
    environment = os.environ | {
        "SDMI_RAW_DIR": str(raw),
        "SDMI_WAREHOUSE_DIR": str(root / "warehouse"),
        "DAGSTER_HOME": str(root / "home"),
        "SDMI_EXPORT_DIR": str(root / "exports"),
        "SDMI_WAREHOUSE_BACKEND": "file",
        "SDMI_EXECUTOR": "in_process",
    }
    (root / "home").mkdir(parents=True)
    completed = subprocess.run(
        [sys.executable, "-m", "sdmi_pipeline.cli", "build"], env=environment, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return root / "warehouse" / "sdmi.duckdb"


def test_the_lake_on_two_celery_workers(tmp_path: Path, raw_root: Path):
    pytest.importorskip("dagster_celery")
    require("pgrep (Debian package procps)", shutil.which("pgrep") is not None)
    with lakehouse() as lake, redis_server() as broker:
        home = tmp_path / "dagster_home"
        home.mkdir()
        shutil.copyfile(PROJECT_ROOT / "deploy" / "dagster.celery.yaml", home / "dagster.yaml")
        environment = (
            os.environ
            | lake
            | {
                "DAGSTER_HOME": str(home),
                "SDMI_EXECUTOR": "celery",
                "SDMI_CELERY_BROKER": broker,
                "SDMI_RAW_DIR": str(raw_root),
                "SDMI_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
                "SDMI_EXPORT_DIR": str(tmp_path / "exports"),
            }
        )
        os.environ.update({key: environment[key] for key in lake if key.startswith("DAGSTER_PG")})
        instance = DagsterInstance.from_config(str(home))
        # The reader writes its observations to a file: a pipe nobody drains would fill up and
        # stop it after a few minutes, long before the last release.
        observations = tmp_path / "reader.jsonl"
        reader = subprocess.Popen(
            [sys.executable, "-c", READER, lake["SDMI_LAKE_CATALOG"]],
            stdout=open(observations, "w"),  # noqa: SIM115
            stderr=open(tmp_path / "reader.log", "w"),  # noqa: SIM115
        )
        STARTED.append(reader)
        with celery_workers(environment, tmp_path) as workers:
            # 1. A worker killed mid-step: the step runs again on a worker and the run completes,
            # or the run fails naming the step and publishes nothing.
            first = launch(environment, raw_root, tmp_path / "run1.log")
            killed_run, killed = kill_mid_step(instance, workers, KILLED_STEP)
            assert killed
            first.wait(timeout=1800)
            status = instance.get_run_by_id(killed_run).status
            if status == DagsterRunStatus.SUCCESS:
                ran = [
                    r
                    for r in instance.all_logs(killed_run)
                    if r.dagster_event
                    and r.dagster_event.event_type_value == "STEP_START"
                    and r.dagster_event.step_key == KILLED_STEP
                ]
                assert len(ran) == 2  # started, killed, started again on a worker
            else:
                assert status == DagsterRunStatus.FAILURE
                assert KILLED_STEP in (tmp_path / "run1.log").read_text()
                assert not (tmp_path / "warehouse" / "sdmi.duckdb").exists()
            # A killed step never ends, so its `warehouse` pool slot may still be claimed; in a
            # deployment the daemon frees it (run_monitoring: free_slots_after_run_end_seconds).
            heal_dead_runs(instance)
            # 2. When the killed run failed, the next run heals and publishes.
            if status != DagsterRunStatus.SUCCESS:
                assert launch(environment, raw_root, tmp_path / "run2.log").wait(timeout=1800) == 0, (
                    tmp_path / "run2.log"
                ).read_text()[-3000:]
            shutil.copyfile(tmp_path / "warehouse" / "sdmi.duckdb", tmp_path / "release1.duckdb")
            # 3. A new month, another release.
            generate(raw_root, scale=SMALL_SCALE, bad_rows=BAD_ROWS_PER_FILE, months=[3])
            assert launch(environment, raw_root, tmp_path / "run3.log").wait(timeout=1800) == 0, (
                tmp_path / "run3.log"
            ).read_text()[-3000:]
        reader.terminate()
        reader.wait(timeout=60)
        seen = {
            tuple(json.loads(line)) if json.loads(line) else None
            for line in observations.read_text().split("\n")[:-1]  # whole lines only
        }
        connection = lakes(lake)
        snapshots = [
            row[0]
            for row in connection.execute(
                "SELECT snapshot_id FROM sdmi.snapshots() WHERE author = 'sdmi publish' ORDER BY 1"
            ).fetchall()
        ]
        assert len(snapshots) == 2  # the killed run's release (or the next run's), and the new month's
        releases = {connection.execute(STATE.format(v=v)).fetchone() for v in snapshots}
        # The reader saw nothing, or one whole release: never new observations with old history.
        assert seen - {None} <= releases and len(seen - {None}) >= 2, (seen, releases)
        # Cell for cell, the file backend's observations on the same raw files (vintage aside: each
        # build's time).
        file_warehouse = file_backend_observations(raw_root, tmp_path / "file")
        connection.execute(f"ATTACH '{file_warehouse}' AS file (READ_ONLY)")
        connection.execute(f"ATTACH '{tmp_path / 'release1.duckdb'}' AS release1 (READ_ONLY)")
        for left, right in (
            ("sdmi.indicators.observations", "file.indicators.observations"),
            ("file.indicators.observations", "sdmi.indicators.observations"),
            (
                f"sdmi.indicators.observations AT (VERSION => {snapshots[-2]})",
                "release1.indicators.observations",
            ),
            (
                "release1.indicators.observations",
                f"sdmi.indicators.observations AT (VERSION => {snapshots[-2]})",
            ),
        ):
            assert connection.execute(
                f"SELECT count(*) FROM (SELECT * EXCLUDE (vintage) FROM {left} "
                f"EXCEPT ALL SELECT * EXCLUDE (vintage) FROM {right})"
            ).fetchone() == (0,), (left, right)
        connection.close()
        grant_aggregates(lake)
        answers = read_as_statistician(lake)
        assert answers["attach_records"][0] == answers["records_parquet"][0] == "refused"
        instance.dispose()
