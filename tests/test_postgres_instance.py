"""The production instance config (deploy/dagster.postgres.yaml) against a real PostgreSQL server."""

import shutil
from pathlib import Path

import psycopg2
import pytest
from dagster import DagsterInstance

from sdmi_pipeline.definitions import REFRESH_JOB, build_definitions
from sdmi_pipeline.ingest.partitions import delivered_months, range_tags
from sdmi_pipeline.paths import PROJECT_ROOT
from tests.servers import postgres_server


@pytest.fixture
def postgres(monkeypatch: pytest.MonkeyPatch):
    with postgres_server() as settings:
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        yield settings


@pytest.mark.slow
def test_refresh_runs_on_a_postgres_instance(
    postgres, raw_root: Path, warehouse_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(PROJECT_ROOT / "deploy" / "dagster.postgres.yaml", home / "dagster.yaml")
    monkeypatch.setenv("SDMI_RAW_DIR", str(raw_root))
    monkeypatch.setenv("SDMI_WAREHOUSE_DIR", str(warehouse_dir))
    with DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        concurrency = instance.get_concurrency_config()
        assert (
            concurrency.pool_config.default_pool_limit,
            concurrency.run_queue_config.max_concurrent_runs,
        ) == (1, 1)
        job = build_definitions().resolve_job_def(REFRESH_JOB)
        result = job.execute_in_process(instance=instance, tags=range_tags(delivered_months(raw_root)))
        assert result.success
    connection = psycopg2.connect(
        host=postgres["DAGSTER_PG_HOST"], port=postgres["DAGSTER_PG_PORT"], user="sdmi", dbname="dagster"
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT pipeline_name, status FROM runs")
        assert cursor.fetchall() == [(REFRESH_JOB, "SUCCESS")]
        cursor.execute("SELECT count(*) FROM asset_check_executions WHERE execution_status = 'SUCCEEDED'")
        assert cursor.fetchone()[0] == len(build_definitions().resolve_asset_graph().asset_check_keys)  # 90
    connection.close()
    assert (warehouse_dir / "sdmi.duckdb").exists()
