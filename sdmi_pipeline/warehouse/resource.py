"""The DuckDB warehouse: a build file that assets write, published in one atomic rename.

Assets write `<warehouse>/sdmi.build.duckdb`, seeded from the published warehouse so that
unchanged raw files need not be parsed again. The build file is kept in the storage format of
PUBLISHED_STORAGE_VERSION (so every DuckDB 1.x client opens it): a seed copied from the published
file already is, and a first build creates its file in that format. Publishing checkpoints the
build file and renames it over `<warehouse>/sdmi.duckdb`: a reader holding the published file
open keeps the version it opened (POSIX rename semantics), a new reader sees the new one, and a
crash before the rename leaves the last good version in place. Only a build file in another
format, or one that is mostly free blocks, is copied whole into a fresh file first (compaction).

A run holds the warehouse's build lock (build_lock.py) from its start to its end. When it takes
the lock, runs of dead processes are marked failed and their pool slots freed (healing.py), and a
build file left by another run (one that died or failed) is discarded: every run starts from the
published warehouse.
"""

import errno
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
from dagster import AssetKey, Backoff, ConfigurableResource, Failure, InitResourceContext, Jitter, RetryPolicy
from pydantic import Field, PrivateAttr

from sdmi_pipeline.contracts.contract import contract_for, contracts
from sdmi_pipeline.paths import BUILD_NAME, PUBLISHED_NAME, default_raw_dir, default_warehouse_dir
from sdmi_pipeline.warehouse.acceptances import LEDGER_NAME, sync_acceptances
from sdmi_pipeline.warehouse.build_lock import BuildLock, BuildLockTimeout
from sdmi_pipeline.warehouse.catalog import one_commit, table_exists
from sdmi_pipeline.warehouse.healing import heal_dead_runs, tag_this_process

PUBLISHING_NAME = "sdmi.publishing.duckdb"
# The storage format of the published file: the oldest that keeps everything the warehouse uses
# (tables, views, primary keys, NOT NULL, comments on tables, views and columns). DuckDB 1.0 is
# the first release whose storage every later DuckDB reads; see docs/warehouse.md.
PUBLISHED_STORAGE_VERSION = "v1.0.0"
# Publishing copies the build into a fresh file when more than this share of its blocks is free:
# blocks freed by replaced tables are reused by later builds, so a file stays below about twice
# its live size and is compacted at most now and then (docs/warehouse.md, "Build and publish").
COMPACT_FREE_SHARE = 0.5
SCHEMAS = ("reference", "staging", "core", "indicators", "meta", "report")
BOOKKEEPING_TABLES = ("meta.raw_files", "meta.rejects", "meta.accepted_revisions")
# Every step that opens the build file (assets and checks) is in this pool; DuckDB allows one
# writing process per file, so a deployment that runs steps in parallel limits it to 1.
WAREHOUSE_POOL = "warehouse"
# The asset whose materialization is the published file (runs/publish.py); the release reads it.
PUBLISHED_KEY = AssetKey(["published_warehouse"])
# Transient errors (a locked file, a full or unreachable disk) are retried with backoff: 30 s,
# 60 s, 120 s. Anything else raised in a warehouse session is a data or code error and fails
# the step at once (see WarehouseResource.connect). A path that is not a readable file (a folder,
# a dangling link) is no transient error: retrying gives the same answer.
TRANSIENT_ERRORS = (duckdb.IOException, TimeoutError, BlockingIOError)
TRANSIENT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.ESTALE, errno.EAGAIN, errno.EBUSY, errno.ETIMEDOUT}
TRANSIENT_RETRY = RetryPolicy(max_retries=3, delay=30, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)


@dataclass(frozen=True)
class Publication:
    """A published warehouse, and why it was copied into a fresh file (None: renamed as it was)."""

    path: Path
    copied_because: str | None


class ContractMismatchError(ValueError):
    """A table's or view's columns differ from its contract."""


class WarehouseResource(ConfigurableResource):
    """Where raw files are read from and where the warehouse is built and published."""

    raw_dir: str | None = Field(
        default=None, description="Raw landing folder; unset: SDMI_RAW_DIR at run time, else data/raw."
    )
    warehouse_dir: str | None = Field(
        default=None,
        description="Warehouse folder; unset: SDMI_WAREHOUSE_DIR at run time, else data/warehouse.",
    )
    memory_limit: str = Field(
        default="512MB",
        description="DuckDB memory_limit for builds: blocks read and written stay cached up to it "
        "(512MB: a first build of five years at 10x volume peaks below 1 GiB resident; "
        "docs/deployment.md).",
    )
    lock_wait_seconds: int = Field(
        default=3 * 3600, description="How long a build waits for another build of the same warehouse."
    )
    _lock: BuildLock | None = PrivateAttr(default=None)
    # Inside a run, one connection serves every step the process runs (the in-process executor:
    # all of them), instead of one opened and checkpointed per step (docs/benchmarks.md).
    _in_run: bool = PrivateAttr(default=False)
    _session: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """At the start of a run: heal dead runs, take the build lock, discard another run's build file."""
        self._in_run = True
        if context.dagster_run is None or context.instance is None:
            return  # outside a run (a test building the resource directly): no lock
        log = context.log
        run_id = context.dagster_run.run_id
        tag_this_process(context.instance, context.dagster_run)
        heal_dead_runs(context.instance, log, current_run=run_id, warehouse_root=self.warehouse_root)
        lock = BuildLock(self.warehouse_root)
        try:
            previous = lock.acquire(
                run_id,
                self.lock_wait_seconds,
                lambda holder: log.warning(
                    "waiting for %s to finish its build of %s",
                    holder.describe() if holder else "another build",
                    self.warehouse_root,
                ),
            )
        except BuildLockTimeout as error:
            raise Failure(description=str(error), allow_retries=False) from error
        self._lock = lock
        if previous is None or previous.run_id != run_id:
            owner = previous.describe() if previous else "a build of unknown run"
            self._discard_build(
                lambda leftover: log.warning(
                    "discarded %s left by %s; this build starts from the published warehouse", leftover, owner
                )
            )

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        self.close_session()
        self._in_run = False
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _discard_build(self, report: Callable[[str], None]) -> None:
        """Delete a build file (and DuckDB's WAL, a half-made seed) that belongs to no live run."""
        for leftover in (
            self.build_path,
            self.build_path.with_name(self.build_path.name + ".wal"),
            self.build_path.with_suffix(".seeding"),
        ):
            if leftover.exists():
                leftover.unlink()
                report(leftover.name)

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
    def acceptances_path(self) -> Path:
        """The ledger `sdmi accept` appends to (revision_guard.py)."""
        return self.warehouse_root / LEDGER_NAME

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
            if isinstance(error, OSError) and error.errno in TRANSIENT_ERRNOS:
                raise
            raise Failure(description=f"{type(error).__name__}: {error}", allow_retries=False) from error
        if not self._in_run:
            connection.close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        started = self._seed_build()
        # A new file is created in the published storage format; an existing one keeps its own.
        storage = {"storage_compatibility_version": PUBLISHED_STORAGE_VERSION}
        connection = duckdb.connect(str(self.build_path), config=storage)
        connection.execute(f"SET memory_limit = '{self.memory_limit}'")
        if started or not _has_bookkeeping(connection):
            _prepare_build(connection)
        sync_acceptances(connection, self.acceptances_path)
        return connection

    def publish(self, before_rename: Callable[[Path], None] | None = None) -> Publication:
        """Checkpoint the build and rename it over the published file (after a compacting copy
        when `publish_needs_copy` says so).

        `before_rename` is given the finished file that is about to be renamed into place (the
        lake backend copies it into the lakes): when it raises, nothing is renamed, the published
        file stays the last good one, and the next run builds and publishes again.
        """
        self.close_session()
        if not self.build_path.exists():
            raise Failure(  # not retried: no retry makes a build file appear
                description=f"nothing to publish: {self.build_path} does not exist (no table was built "
                "in this run; materialize the tables with it)",
                allow_retries=False,
            )
        with duckdb.connect(str(self.build_path)) as connection:
            connection.execute("CHECKPOINT")
            reason = publish_needs_copy(connection)
        log = self.build_path.with_name(self.build_path.name + ".wal")
        if reason is None and log.exists():
            reason = "its write-ahead log was not checkpointed"
        if reason is None:
            if before_rename is not None:
                before_rename(self.build_path)
            os.replace(self.build_path, self.published_path)
            return Publication(self.published_path, None)
        publishing = self.warehouse_root / PUBLISHING_NAME
        copy_for_old_clients(self.build_path, publishing)  # reads the write-ahead log too
        if before_rename is not None:
            try:
                before_rename(publishing)
            except BaseException:
                publishing.unlink(missing_ok=True)
                raise
        os.replace(publishing, self.published_path)
        self.build_path.unlink()
        log.unlink(missing_ok=True)
        return Publication(self.published_path, reason)


def publish_needs_copy(connection: duckdb.DuckDBPyConnection) -> str | None:
    """Why the open database must be copied into a fresh file before it is published, or None:
    its storage format is not PUBLISHED_STORAGE_VERSION, or more than COMPACT_FREE_SHARE of its
    blocks are free."""
    tags, total, free = connection.execute("""
        SELECT d.tags, s.total_blocks, s.free_blocks
        FROM duckdb_databases() AS d JOIN pragma_database_size() AS s USING (database_name)
        WHERE d.database_name = current_database()
    """).fetchone()
    storage = (tags or {}).get("storage_version", "unknown")
    if storage.rstrip("+") != PUBLISHED_STORAGE_VERSION:
        return f"storage format {storage}, not {PUBLISHED_STORAGE_VERSION}"
    if free > COMPACT_FREE_SHARE * total:
        return f"{free} of its {total} blocks are free"
    return None


def attach_sql(path: Path | str, alias: str, options: str = "") -> str:
    """`ATTACH '<path>' AS <alias> (<options>)`. DuckDB 1.5 binds no parameter in ATTACH (2.0 does),
    and the project pins 1.5.5 for the DuckLake extensions (docs/deployment.md)."""
    quoted = "'" + str(path).replace("'", "''") + "'"
    return f"ATTACH {quoted} AS {alias}" + (f" ({options})" if options else "")


def copy_for_old_clients(source: Path, target: Path) -> None:
    """Copy a whole DuckDB database (tables, views, keys, comments) into a new file that is
    written in PUBLISHED_STORAGE_VERSION; also leaves out the blocks freed by rebuilds."""
    target.unlink(missing_ok=True)
    with duckdb.connect() as connection:
        connection.execute(attach_sql(source, "build_file", "READ_ONLY"))
        storage = f"STORAGE_VERSION '{PUBLISHED_STORAGE_VERSION}'"
        connection.execute(attach_sql(target, "published_file", storage))
        connection.execute("COPY FROM DATABASE build_file TO published_file")
        connection.execute("DETACH published_file")


def _has_bookkeeping(connection: duckdb.DuckDBPyConnection) -> bool:
    return all(table_exists(connection, table) for table in BOOKKEEPING_TABLES)


def _prepare_build(connection: duckdb.DuckDBPyConnection) -> None:
    """Schemas and bookkeeping tables (with today's contract comments), once per build file."""
    for schema in SCHEMAS:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in BOOKKEEPING_TABLES:
        create_documented_table(connection, table)


def create_documented_table(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """Create a Python-written table from its contract, with its comments. A table of an older warehouse
    gains the nullable columns its contract added since (appended, as the contract lists them last)."""
    contract = contracts()[table]
    with one_commit(connection):
        connection.execute(contract.create_table_sql())
        for column in (column for column in contract.columns if column.nullable):
            connection.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column.name} {column.type}")
        for statement in contract.comment_sql():
            connection.execute(statement)


def hold_to_contract(connection: duckdb.DuckDBPyConnection, name: str, kind: str = "TABLE") -> None:
    """Check that the columns of `name` are its contract's, in order, then write its comments."""
    contract = contract_for(name)
    built = [
        row[0]
        for row in connection.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
            "ORDER BY column_index",
            [contract.schema_name, contract.table_name],
        ).fetchall()
    ]
    expected = [column.name for column in contract.columns]
    if built != expected:
        raise ContractMismatchError(
            f"{name}: the SQL gives columns {built}, the contract in schemas/ lists {expected}"
        )
    with one_commit(connection):
        for statement in contract.comment_sql(kind):
            connection.execute(statement)


def declare_constraints(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Declare the contract's NOT NULL columns and primary key on a built table; False when the rows
    break them (the blocking meets_contract check then names the rows)."""
    try:
        for statement in contract_for(table).constraint_sql():
            connection.execute(statement)
    except duckdb.ConstraintException:
        return False
    return True
