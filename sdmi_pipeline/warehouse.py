"""The DuckDB warehouse: a build file that assets write, published in one atomic rename.

Assets write `<warehouse>/sdmi.build.duckdb`, seeded from the published warehouse so that
unchanged raw files need not be parsed again. Publishing checkpoints the build file and renames
it over `<warehouse>/sdmi.duckdb`: a reader holding the published file open keeps the version it
opened (POSIX rename semantics), a new reader sees the new one, and a crash before the rename
leaves the last good version in place.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import Backoff, ConfigurableResource, Failure, InitResourceContext, Jitter, RetryPolicy
from pydantic import Field, PrivateAttr

from sdmi_pipeline.contracts import contracts
from sdmi_pipeline.paths import PUBLISHED_NAME, default_raw_dir, default_warehouse_dir

BUILD_NAME = "sdmi.build.duckdb"
SCHEMAS = ("reference", "staging", "core", "indicators", "meta")
BOOKKEEPING_TABLES = ("meta.raw_files", "meta.rejects")
# Every step that opens the build file (assets and checks) is in this pool; DuckDB allows one
# writing process per file, so a deployment that runs steps in parallel limits it to 1.
WAREHOUSE_POOL = "warehouse"
# Transient errors (a locked file, a full or unreachable disk) are retried with backoff: 30 s,
# 60 s, 120 s. Anything else raised in a warehouse session is a data or code error and fails
# the step at once (see WarehouseResource.connect).
TRANSIENT_ERRORS = (duckdb.IOException, OSError, TimeoutError)
TRANSIENT_RETRY = RetryPolicy(max_retries=3, delay=30, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)


class WarehouseResource(ConfigurableResource):
    """Where raw files are read from and where the warehouse is built and published."""

    raw_dir: str | None = Field(
        default=None, description="Raw landing folder; unset: SDMI_RAW_DIR at run time, else data/raw."
    )
    warehouse_dir: str | None = Field(
        default=None,
        description="Warehouse folder; unset: SDMI_WAREHOUSE_DIR at run time, else data/warehouse.",
    )
    memory_limit: str = Field(default="4GB", description="DuckDB memory_limit for builds.")
    # Inside a run, one connection serves every step the process runs (the in-process executor:
    # all of them), instead of one opened and checkpointed per step (docs/benchmarks.md).
    _in_run: bool = PrivateAttr(default=False)
    _session: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        self._in_run = True

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        self.close_session()
        self._in_run = False

    def close_session(self) -> None:
        """Close the run's connection (checkpointing the build file), if one is open."""
        if self._session is not None:
            self._session.close()
            self._session = None

    @property
    def raw_root(self) -> Path:
        return Path(self.raw_dir or default_raw_dir())

    @property
    def warehouse_root(self) -> Path:
        return Path(self.warehouse_dir or default_warehouse_dir())

    @property
    def published_path(self) -> Path:
        return self.warehouse_root / PUBLISHED_NAME

    @property
    def build_path(self) -> Path:
        return self.warehouse_root / BUILD_NAME

    def _seed_build(self) -> bool:
        """Start a build from the published warehouse (or from nothing); True when it starts now."""
        self.build_path.parent.mkdir(parents=True, exist_ok=True)
        if self.build_path.exists():
            return False
        if self.published_path.exists():
            partial = self.build_path.with_suffix(".seeding")
            shutil.copyfile(self.published_path, partial)
            os.replace(partial, self.build_path)
        return True

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the build file, schemas and bookkeeping tables in place.

        In a run it is the run's connection, left open for the next step; outside one it is
        closed on exit. An error that is not transient (TRANSIENT_ERRORS) leaves as a Failure
        that the retry policy does not retry: running a step again on the same data gives the
        same error. After any error the connection is closed; the next step opens a new one.
        """
        connection = None
        try:
            connection = self._session or self._open()
            if self._in_run:
                self._session = connection
            yield connection
        except BaseException as error:
            if connection is not None:  # the next step, or a retry, starts from a new connection
                self._session = None
                connection.close()
            if isinstance(error, (*TRANSIENT_ERRORS, Failure)) or not isinstance(error, Exception):
                raise
            raise Failure(description=f"{type(error).__name__}: {error}", allow_retries=False) from error
        if not self._in_run:
            connection.close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        started = self._seed_build()
        connection = duckdb.connect(str(self.build_path))
        connection.execute(f"SET memory_limit = '{self.memory_limit}'")
        if started or not _has_bookkeeping(connection):
            _prepare_build(connection)
        return connection

    def publish(self) -> Path:
        """Checkpoint the build and rename it over the published warehouse, atomically."""
        self.close_session()
        if not self.build_path.exists():
            raise FileNotFoundError(f"nothing to publish: {self.build_path} does not exist")
        with duckdb.connect(str(self.build_path)) as connection:
            connection.execute("CHECKPOINT")
        os.replace(self.build_path, self.published_path)
        return self.published_path


def _has_bookkeeping(connection: duckdb.DuckDBPyConnection) -> bool:
    found = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name || '.' || table_name IN ?",
        [list(BOOKKEEPING_TABLES)],
    ).fetchone()[0]
    return found == len(BOOKKEEPING_TABLES)


def _prepare_build(connection: duckdb.DuckDBPyConnection) -> None:
    """Schemas and bookkeeping tables (with today's contract comments), once per build file."""
    for schema in SCHEMAS:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in BOOKKEEPING_TABLES:
        create_documented_table(connection, table)


def create_documented_table(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """Create a Python-written table from its contract, with its comments."""
    contract = contracts()[table]
    connection.execute(contract.create_table_sql())
    for statement in contract.comment_sql():
        connection.execute(statement)
