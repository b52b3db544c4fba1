"""A killed build never blocks the next one; two builds of one warehouse never share a build file."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from sdmi_pipeline.dagster_internals import create_run_for_test
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.processes import is_alive, process_started
from sdmi_pipeline.warehouse.build_lock import BuildLock, BuildLockTimeout
from sdmi_pipeline.warehouse.healing import PID_TAG, STARTED_TAG, heal_dead_runs, is_running, process_tags
from tests.conftest import build_environment, query

pytestmark = pytest.mark.slow  # its fixtures build warehouses (the quick loop leaves them to CI)

SAMPLE = PROJECT_ROOT / "data" / "raw"
PMI_PLACED_2023 = """SELECT value FROM indicators.observations WHERE indicator_id = 'PMI_PLACED'
    AND freq = 'A' AND time_period = '2023' AND counterpart_area = '_T' AND sex = '_T'
    AND province = '_T' AND sector = '_T' AND occupation = '_T' AND scheme = '_T'
    AND age = '_T' AND education = '_T'"""


def start_build(root: Path, output: int = subprocess.PIPE, *options: str) -> subprocess.Popen:
    """`sdmi build` on the shipped sample, warehouse and DAGSTER_HOME under `root`, in the background.

    In a session of its own, so that a kill takes its helpers (Dagster's `tail` of compute logs) too.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "sdmi_pipeline.cli", "build", *options],
        env=build_environment(SAMPLE, root),
        stdout=output,
        stderr=output,
        text=True,
        start_new_session=True,
    )


def finish(build: subprocess.Popen) -> str:
    out, err = build.communicate(timeout=900)
    assert build.returncode == 0, out[-3000:] + err[-3000:]
    return err


def prepare_dagster_home(root: Path) -> None:
    """The instance's storage made once (two first-ever builds at once would race to create it)."""
    home = root / "dagster_home"
    home.mkdir(parents=True)
    shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    assert unfinished_runs(root) == []


def unfinished_runs(root: Path) -> list:
    with DagsterInstance.from_config(str(root / "dagster_home")) as instance:
        statuses = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
        return instance.get_runs(filters=RunsFilter(statuses=statuses))


def test_a_second_build_waits_for_the_lock_and_names_the_holder(tmp_path: Path):
    first, second = BuildLock(tmp_path), BuildLock(tmp_path)
    assert first.acquire("run-one", 1, lambda holder: None) is None
    waited = []
    with pytest.raises(BuildLockTimeout, match=rf"run run-one \(pid {os.getpid()} on .*, started 20"):
        second.acquire("run-two", 1.5, waited.append)
    assert [holder.run_id for holder in waited] == ["run-one"]
    first.release()
    previous = second.acquire("run-two", 1, lambda holder: None)
    assert (previous.run_id, previous.pid) == ("run-one", os.getpid())
    second.release()


def test_a_lock_held_by_a_killed_process_is_free(tmp_path: Path):
    lock_holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from sdmi_pipeline.warehouse.build_lock import BuildLock;"
            "BuildLock(Path(sys.argv[1])).acquire('dead-run', 1, print); print('held', flush=True);"
            "time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        assert lock_holder.stdout.readline().strip() == "held"
        lock_holder.send_signal(signal.SIGKILL)
        lock_holder.wait(timeout=10)
        assert not is_alive(lock_holder.pid)
        previous = BuildLock(tmp_path).acquire("next-run", 2, print)
        assert previous.run_id == "dead-run" and previous.pid == lock_holder.pid
    finally:
        lock_holder.kill()


@pytest.mark.slow
def test_two_builds_started_together_both_publish_one_after_the_other(tmp_path: Path):
    prepare_dagster_home(tmp_path)
    first, second = start_build(tmp_path), start_build(tmp_path)
    logs = [finish(first), finish(second)]
    assert sum("waiting for run" in log for log in logs) == 1, logs
    published = tmp_path / "warehouse" / "sdmi.duckdb"
    assert query(published, PMI_PLACED_2023) == [(83_864.0,)]
    assert not (tmp_path / "warehouse" / "sdmi.build.duckdb").exists()
    assert unfinished_runs(tmp_path) == []


def wait_for_first_step(progress: Path, build: subprocess.Popen) -> None:
    """Until the build has printed its first step's line (its run exists), or has ended."""
    deadline = time.monotonic() + 300
    while build.poll() is None and time.monotonic() < deadline:
        if "[ 1/" in progress.read_text():  # progress.py's line of the first step to end
            return
        time.sleep(0.1)


@pytest.mark.slow
def test_ten_builds_killed_at_random_moments_never_block_the_next(tmp_path: Path):
    moments = random.Random(13)
    healed = killed_in_run = 0
    for attempt in range(10):
        progress = tmp_path / "victim.log"
        with progress.open("w") as output:
            victim = start_build(tmp_path, output, "--force")  # a run even when nothing changed
        if attempt % 3 == 0:  # while Python and Dagster start: no run yet, or one just made
            time.sleep(moments.uniform(0.5, 3))
        else:  # in the run, at a random step (a no-op run of the sample lasts several seconds)
            wait_for_first_step(progress, victim)
            time.sleep(moments.uniform(0, 3))
        # Measured, not planned: the run had ended a step and the build was still going when killed.
        killed_in_run += "[ 1/" in progress.read_text() and victim.poll() is None
        os.killpg(victim.pid, signal.SIGKILL)  # kill -9, as a power loss would
        victim.wait(timeout=60)
        log = finish(start_build(tmp_path))
        healed += "marked it failed" in log
        published = tmp_path / "warehouse" / "sdmi.duckdb"
        assert query(published, PMI_PLACED_2023) == [(83_864.0,)]
        assert not (tmp_path / "warehouse" / "sdmi.build.duckdb").exists()
        assert unfinished_runs(tmp_path) == []
    assert killed_in_run >= 4  # most kills aimed at a run landed in one (else the test proves little)
    assert healed >= killed_in_run - 1  # each leaves a run to heal (one may land after the run's end)


@pytest.mark.parametrize("config", ["dagster_home/dagster.yaml", "deploy/dagster.postgres.yaml"])
def test_run_monitoring_frees_the_slots_of_ended_runs(config: str):
    import yaml

    settings = yaml.safe_load((PROJECT_ROOT / config).read_text(encoding="utf-8"))["run_monitoring"]
    assert settings["enabled"] is True
    assert settings["free_slots_after_run_end_seconds"] == 30
    assert settings["max_runtime_seconds"] == 7200


def test_a_build_file_left_by_another_run_is_discarded(refresh, warehouse_dir: Path, capfd):
    warehouse_dir.mkdir(parents=True)
    with duckdb.connect(str(warehouse_dir / "sdmi.build.duckdb")) as half_written:
        half_written.execute("CREATE TABLE left_by_a_dead_run AS SELECT 1 AS x")
    (warehouse_dir / "sdmi.build.lock").write_text(
        '{"run_id": "dead-run", "pid": 999999, "host": "elsewhere", "started": "2026-01-01T00:00:00+00:00"}'
    )
    result = refresh()
    assert result.success
    tables = query(warehouse_dir / "sdmi.duckdb", "SELECT table_name FROM duckdb_tables()")
    assert ("left_by_a_dead_run",) not in tables and ("pmi_placements",) in tables
    left = "discarded sdmi.build.duckdb left by run dead-run (pid 999999 on elsewhere"
    assert left in capfd.readouterr().err


def test_a_dead_run_is_marked_failed_and_its_pool_slot_freed(tmp_path: Path, caplog):
    shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", tmp_path / "dagster.yaml")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        tags = process_tags() | {PID_TAG: str(gone.pid)}
        dead = create_run_for_test(instance, "refresh_warehouse", status=DagsterRunStatus.STARTED, tags=tags)
        alive = create_run_for_test(
            instance, "refresh_warehouse", status=DagsterRunStatus.STARTED, tags=process_tags()
        )
        storage = instance.event_log_storage
        storage.set_concurrency_slots("warehouse", 1)
        storage.claim_concurrency_slot("warehouse", dead.run_id, "staging__kp2mi_placements")
        assert storage.get_concurrency_info("warehouse").active_slot_count == 1

        assert heal_dead_runs(instance) == [dead.run_id]

        assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == DagsterRunStatus.STARTED
        assert storage.get_concurrency_info("warehouse").active_slot_count == 0
    assert f"run {dead.run_id}: its process (pid {gone.pid} on " in caplog.text
    assert f"run {dead.run_id} (FAILURE) still held pool slots; freed them" in caplog.text


def test_the_build_lock_and_the_start_time_tell_a_dead_run_whose_pid_lives_again(tmp_path: Path):

    shutil.copyfile(PROJECT_ROOT / "dagster_home" / "dagster.yaml", tmp_path / "dagster.yaml")
    # a process that lives at a dead run's pid
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        with DagsterInstance.from_config(str(tmp_path)) as instance:

            def started_run(**tags: str):
                return create_run_for_test(
                    instance, "refresh_warehouse", status=DagsterRunStatus.STARTED, tags=process_tags() | tags
                )

            pid = str(other.pid)
            named = started_run(**{PID_TAG: pid, STARTED_TAG: ""})  # the lock names it; no start time known
            reused = started_run(**{PID_TAG: pid, STARTED_TAG: "1"})  # its process started at another time
            waiting = started_run(**{PID_TAG: pid, STARTED_TAG: process_started(other.pid)})
            lock = BuildLock(tmp_path / "warehouse")
            lock.acquire(named.run_id, 1, print)
            assert is_running(named, lock)  # the lock is held: the run it names lives
            lock.release()
            assert not is_running(named, lock)  # free: whatever process has its pid now, it is dead

            healed = heal_dead_runs(instance, warehouse_root=tmp_path / "warehouse")

            assert sorted(healed) == sorted([named.run_id, reused.run_id])
            assert instance.get_run_by_id(waiting.run_id).status == DagsterRunStatus.STARTED
    finally:
        other.kill()
        other.wait()
