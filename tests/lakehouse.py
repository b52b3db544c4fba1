"""A lakehouse for tests: PostgreSQL catalogs on loopback, lake folders, an aggregate-only role."""

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2

from tests.servers import postgres_server, require

READER_ROLE = "statistician"  # may read aggregates only
NOBODY = 65534  # the uid and gid a reader process drops to: it owns no lake folder


def require_lake_packages() -> None:
    """Skip without the DuckLake wheels (they exist for DuckDB 1.5.5 only); fail under CI."""
    try:
        from sdmi_pipeline.warehouse.ducklake import extension_file

        present = all(Path(extension_file(name)).exists() for name in ("ducklake", "postgres"))
    except ImportError:
        present = False
    require("duckdb-extension-ducklake and duckdb-extension-postgres (pip, .ci/run)", present)


def dsn(postgres: dict[str, str], database: str, user: str = "sdmi") -> str:
    return (
        f"dbname={database} host={postgres['DAGSTER_PG_HOST']} port={postgres['DAGSTER_PG_PORT']} user={user}"
    )


@contextmanager
def lakehouse() -> Iterator[dict[str, str]]:
    """PostgreSQL with the catalogs sdmi_lake and sdmi_records and the role `statistician`, and the
    two lake folders: aggregates world-readable, records readable by their owner only. Yields the
    SDMI_* environment of a ducklake deployment, plus DAGSTER_PG_* for the instance."""
    require_lake_packages()
    with postgres_server() as postgres:
        admin = psycopg2.connect(
            host=postgres["DAGSTER_PG_HOST"], port=postgres["DAGSTER_PG_PORT"], user="sdmi", dbname="dagster"
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {READER_ROLE} LOGIN")
            for database in ("sdmi_lake", "sdmi_records"):
                cursor.execute(f"CREATE DATABASE {database}")
            cursor.execute("REVOKE CONNECT ON DATABASE sdmi_records FROM PUBLIC")
        admin.close()
        folder = Path(tempfile.mkdtemp(prefix="sdmi-lake-"))
        folder.chmod(0o755)
        (folder / "aggregates").mkdir(mode=0o755)
        (folder / "records").mkdir(mode=0o700)
        try:
            yield postgres | {
                "SDMI_WAREHOUSE_BACKEND": "ducklake",
                "SDMI_LAKE_CATALOG": dsn(postgres, "sdmi_lake"),
                "SDMI_LAKE_DATA_PATH": str(folder / "aggregates") + "/",
                "SDMI_LAKE_RECORDS_CATALOG": dsn(postgres, "sdmi_records"),
                "SDMI_LAKE_RECORDS_DATA_PATH": str(folder / "records") + "/",
            }
        finally:
            subprocess.run(["rm", "-rf", str(folder)], check=False)


def grant_aggregates(postgres: dict[str, str]) -> None:
    """What an administrator grants the statistician: read the aggregates catalog, nothing else."""
    connection = psycopg2.connect(
        host=postgres["DAGSTER_PG_HOST"], port=postgres["DAGSTER_PG_PORT"], user="sdmi", dbname="sdmi_lake"
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {READER_ROLE}")
    connection.close()


READER = """
import json, os, sys
import duckdb
from sdmi_pipeline.warehouse.ducklake import load_extensions
connection = duckdb.connect()
load_extensions(connection)
if os.geteuid() == 0:  # from here on a statistician's process: it owns nothing of the pipeline's
    os.setgroups([]); os.setgid({nobody}); os.setuid({nobody})
answers = {{}}
def attempt(name, sql):
    try:
        answers[name] = ["ok", [list(map(str, row)) for row in connection.execute(sql).fetchall()]]
    except Exception as error:
        answers[name] = ["refused", f"{{type(error).__name__}}: {{error}}"]
attempt("attach_aggregates", "ATTACH 'ducklake:postgres:{aggregates}' AS sdmi (READ_ONLY)")
attempt("observations", "SELECT count(*) FROM sdmi.indicators.observations")
attempt("attach_records", "ATTACH 'ducklake:postgres:{records}' AS sdmi_records (READ_ONLY)")
attempt("records_parquet", "SELECT count(*) FROM read_parquet({records_files})")
try:
    with open({records_files}[0], "rb") as parquet:
        answers["records_open"] = ["ok", parquet.read(4).decode()]
except OSError as error:
    answers["records_open"] = ["refused", f"{{type(error).__name__}}: {{error}}"]
print(json.dumps(answers))
"""


def read_as_statistician(environment: dict[str, str]) -> dict[str, list]:
    """What the aggregate-only role, in a process that owns no lake folder, gets from each attempt:
    attach each lake's catalog, and open the record-level lake's Parquet files by their paths."""
    import json

    script = READER.format(
        nobody=NOBODY,
        aggregates=environment["SDMI_LAKE_CATALOG"].replace("user=sdmi", f"user={READER_ROLE}"),
        records=environment["SDMI_LAKE_RECORDS_CATALOG"].replace("user=sdmi", f"user={READER_ROLE}"),
        records_files=sorted(map(str, Path(environment["SDMI_LAKE_RECORDS_DATA_PATH"]).rglob("*.parquet"))),
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])
