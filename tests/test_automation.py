"""The nightly schedule's and the raw-file sensor's decisions, with Dagster's test helpers."""

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance, DagsterRunStatus, build_schedule_context, build_sensor_context

from sdmi_pipeline.dagster_internals import create_run_for_test, cron_ticks
from sdmi_pipeline.definitions import REFRESH_JOB, defs
from sdmi_pipeline.digests import sha256
from sdmi_pipeline.paths import PROJECT_ROOT
from sdmi_pipeline.warehouse.resource import create_documented_table

SENSOR = defs.resolve_sensor_def("raw_files_changed")


@pytest.fixture
def raw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "raw"
    (root / "kp2mi" / "penempatan").mkdir(parents=True)
    (root / "kp2mi" / "penempatan" / "penempatan_pmi_2023_01.csv").write_text("id_pmi\n1\n")
    monkeypatch.setenv("SDMI_RAW_DIR", str(root))
    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(tmp_path / "warehouse"))  # none published yet
    return root


def tick(instance: DagsterInstance, cursor: str | None):
    return SENSOR.evaluate_tick(build_sensor_context(instance=instance, cursor=cursor))


def test_nightly_schedule_runs_at_one_in_the_morning_jakarta_time():
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 1 * * *", "Asia/Jakarta")
    assert schedule.job_name == REFRESH_JOB
    start = datetime(2026, 11, 21, 12, 0, tzinfo=UTC).timestamp()
    next_tick = next(cron_ticks(start, "0 1 * * *", "Asia/Jakarta"))
    assert next_tick.astimezone(UTC) == datetime(2026, 11, 21, 18, 0, tzinfo=UTC)  # 01:00 WIB = 18:00 UTC
    with DagsterInstance.ephemeral() as instance:
        data = schedule.evaluate_tick(
            build_schedule_context(instance=instance, scheduled_execution_time=next_tick)
        )
    assert len(data.run_requests) == 1


def test_sensor_requests_a_refresh_for_new_files_and_then_rests(raw: Path):
    with DagsterInstance.ephemeral() as instance:
        first = tick(instance, None)
        assert len(first.run_requests) == 1
        assert (
            first.run_requests[0].tags["sdmi/changed_files"] == "kp2mi/penempatan/penempatan_pmi_2023_01.csv"
        )
        second = tick(instance, first.cursor)
        assert second.run_requests == [] and second.skip_message == "no raw file arrived or changed"


def test_touching_a_file_without_changing_it_starts_nothing(raw: Path):
    path = raw / "kp2mi" / "penempatan" / "penempatan_pmi_2023_01.csv"
    with DagsterInstance.ephemeral() as instance:
        first = tick(instance, None)
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
        touched = tick(instance, first.cursor)
        assert touched.run_requests == []
        assert touched.cursor != first.cursor  # the new time is remembered, the hash reused


def test_changed_content_requests_a_new_refresh(raw: Path):
    path = raw / "kp2mi" / "penempatan" / "penempatan_pmi_2023_01.csv"
    with DagsterInstance.ephemeral() as instance:
        first = tick(instance, None)
        path.write_text("id_pmi\n2\n")
        changed = tick(instance, first.cursor)
        assert len(changed.run_requests) == 1
        assert changed.run_requests[0].run_key != first.run_requests[0].run_key
        path.unlink()
        removed = tick(instance, changed.cursor)
        assert len(removed.run_requests) == 1


def test_sensor_waits_while_a_refresh_runs_and_keeps_the_change(raw: Path):
    with DagsterInstance.ephemeral() as instance:
        running = create_run_for_test(instance, REFRESH_JOB, status=DagsterRunStatus.STARTED)
        waiting = tick(instance, None)
        assert waiting.run_requests == []
        assert waiting.skip_message == f"1 file(s) changed; waiting for run {running.run_id} to finish"
        assert waiting.cursor is None  # the change is not consumed
        instance.report_run_canceled(running)
        assert len(tick(instance, waiting.cursor).run_requests) == 1


def test_embedded_instance_allows_one_refresh_and_one_warehouse_step_at_a_time(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((PROJECT_ROOT / "dagster_home" / "dagster.yaml").read_text())
    with DagsterInstance.from_config(str(home)) as instance:
        concurrency = instance.get_concurrency_config()
        assert concurrency.pool_config.default_pool_limit == 1
        assert concurrency.pool_config.pool_granularity.value == "run"  # no claim per step
        assert concurrency.run_queue_config.max_concurrent_runs == 1


def test_sensor_targets_the_months_that_changed(raw: Path):
    folder = raw / "kp2mi" / "penempatan"
    (folder / "penempatan_pmi_2023_02.csv").write_text("id_pmi\n1\n")
    with DagsterInstance.ephemeral() as instance:
        first = tick(instance, None)
        assert first.run_requests[0].tags["dagster/asset_partition_range_start"] == "2023-01"
        assert first.run_requests[0].tags["dagster/asset_partition_range_end"] == "2023-02"
        february = "kp2mi/penempatan/penempatan_pmi_2023_02.csv"
        read = [(path, sha256(raw / path), "2023-03-01") for path in (JANUARY, february)]
        publish_raw_files(raw, read)  # the first run published both months
        (folder / "penempatan_pmi_2023_02.csv").write_text("id_pmi\n2\n")
        february = tick(instance, first.cursor).run_requests[0]
        assert february.tags["dagster/asset_partition_range_start"] == "2023-02"
        assert february.tags["dagster/asset_partition_range_end"] == "2023-02"


def test_nightly_run_covers_every_delivered_month(raw: Path):
    (raw / "kp2mi" / "penempatan" / "penempatan_pmi_2022_11.csv").write_text("id_pmi\n1\n")
    schedule = defs.resolve_schedule_def("nightly_refresh")
    with DagsterInstance.ephemeral() as instance:
        (request,) = schedule.evaluate_tick(build_schedule_context(instance=instance)).run_requests
    assert request.tags["dagster/asset_partition_range_start"] == "2022-11"
    assert request.tags["dagster/asset_partition_range_end"] == "2023-01"


JANUARY = "kp2mi/penempatan/penempatan_pmi_2023_01.csv"


def publish_raw_files(raw: Path, vintages: list[tuple[str, str, str]]) -> None:
    """A published warehouse beside `raw` whose meta.raw_files lists (path, sha256, loaded_at)."""
    (raw.parent / "warehouse").mkdir()
    with duckdb.connect(str(raw.parent / "warehouse" / "sdmi.duckdb")) as connection:
        connection.execute("CREATE SCHEMA meta")
        create_documented_table(connection, "meta.raw_files")
        for path, sha256, loaded_at in vintages:
            connection.execute(
                """INSERT INTO meta.raw_files (source, path, sha256, parser, size_bytes, rows_accepted,
                   rows_rejected, status, loaded_at, is_current)
                   VALUES ('kp2mi_placements', ?, ?, 'parser', 0, 0, 0, 'loaded', ?, true)""",
                [path, sha256, loaded_at],
            )


def test_first_tick_on_a_warehouse_that_read_every_file_starts_nothing(raw: Path):
    january = raw / JANUARY
    (raw / "notes").mkdir()
    (raw / "notes" / "minutes.txt").write_text("no source reads this file")
    publish_raw_files(raw, [(JANUARY, "0" * 64, "2023-02-01"), (JANUARY, sha256(january), "2023-03-01")])
    with DagsterInstance.ephemeral() as instance:
        first = tick(instance, None)
        assert first.run_requests == []
        # the file no source reads starts nothing, and is named at every tick (issue 21)
        assert first.skip_message == (
            "no raw file arrived or changed; not read into the figures: ignored: notes/minutes.txt"
        )
        january.write_text("id_pmi\n2\n")
        changed = tick(instance, first.cursor)
    assert changed.run_requests[0].tags["sdmi/changed_files"] == JANUARY


def test_first_tick_starts_a_refresh_for_what_the_warehouse_has_not_read(raw: Path):
    january = raw / JANUARY
    publish_raw_files(raw, [(JANUARY, sha256(january), "2023-02-01"), (JANUARY, "0" * 64, "2023-03-01")])
    (raw / "kp2mi" / "penempatan" / "penempatan_pmi_2023_02.csv").write_text("id_pmi\n1\n")
    with DagsterInstance.ephemeral() as instance:
        (request,) = tick(instance, None).run_requests
    # January's last read was another content; February was never read.
    assert request.tags["sdmi/changed_files"] == f"{JANUARY}, kp2mi/penempatan/penempatan_pmi_2023_02.csv"


def test_first_tick_on_an_unreadable_warehouse_counts_every_file_as_new(raw: Path):
    (raw.parent / "warehouse").mkdir()
    (raw.parent / "warehouse" / "sdmi.duckdb").write_text("not a DuckDB file")
    with DagsterInstance.ephemeral() as instance:
        (request,) = tick(instance, None).run_requests
    assert request.tags["sdmi/changed_files"] == JANUARY


def test_the_sensor_never_opens_a_path_the_build_would_refuse(tmp_path: Path):
    from sdmi_pipeline.ingest.raw_changes import raw_file_states
    from sdmi_pipeline.ingest.raw_paths import EMPTY_SHA256

    root = tmp_path / "raw"
    (root / "kp2mi" / "penempatan").mkdir(parents=True)
    good = root / "kp2mi" / "penempatan" / "penempatan_pmi_2023_01.csv"
    good.write_text("id_pmi\n1\n")
    (root / "kp2mi" / "penempatan" / "penempatan_pmi_2023_02.csv").symlink_to("/etc/passwd")
    (root / "kp2mi" / "penempatan" / "penempatan_pmi_2023_03.csv").symlink_to(root / "missing.csv")
    states = raw_file_states(root, {})
    assert states["kp2mi/penempatan/penempatan_pmi_2023_01.csv"][0] == len("id_pmi\n1\n")
    outside = states["kp2mi/penempatan/penempatan_pmi_2023_02.csv"]
    dangling = states["kp2mi/penempatan/penempatan_pmi_2023_03.csv"]
    # never opened: recorded as the build records a refused path (sha256 of no content), so no change
    # once the build has recorded it
    assert outside == dangling == [None, None, EMPTY_SHA256]


def test_a_run_also_reads_what_the_published_warehouse_has_not_read(raw: Path):
    """A run that died before publishing (kill -9) leaves its files behind the cursor: the next run
    the sensor requests reads them too, or their month would wait for the nightly run."""
    folder = raw / "kp2mi" / "penempatan"
    publish_raw_files(raw, [(JANUARY, sha256(raw / JANUARY), "2023-02-01")])
    (folder / "penempatan_pmi_2023_02.csv").write_text("id_pmi\n1\n")
    with DagsterInstance.ephemeral() as instance:
        february = tick(instance, None)  # its run is killed: nothing published
        assert february.run_requests[0].tags["dagster/asset_partition_range_start"] == "2023-02"
        (folder / "penempatan_pmi_2023_03.csv").write_text("id_pmi\n1\n")
        (march,) = tick(instance, february.cursor).run_requests
    assert march.tags["dagster/asset_partition_range_start"] == "2023-02"
    assert march.tags["dagster/asset_partition_range_end"] == "2023-03"
    assert march.tags["sdmi/changed_files"] == (
        "kp2mi/penempatan/penempatan_pmi_2023_02.csv, kp2mi/penempatan/penempatan_pmi_2023_03.csv"
    )
