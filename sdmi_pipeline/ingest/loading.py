"""Incremental loading of a source's raw files into its staging table, with provenance.

A file whose content (sha256) and parser fingerprint are those last read under its path is not
parsed again; a change to the reader, code lists or contract parses every file again. A new
content is a new vintage: its rows are loaded beside the old ones and become current; the old
vintage stays queryable. A file that cannot be read at all is recorded as failed and leaves the
previous vintage current, so nothing published before is lost.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import duckdb
import pandas as pd

from sdmi_pipeline.contracts.contract import Contract, contract_for
from sdmi_pipeline.contracts.versions import modules_named
from sdmi_pipeline.digests import sha256
from sdmi_pipeline.ingest.cross_file_keys import reject_repeats_of_other_files
from sdmi_pipeline.ingest.file_digests import file_sha256
from sdmi_pipeline.ingest.raw_paths import (
    EMPTY_SHA256,
    GONE,
    display_path,
    future_refusal,
    matching_paths,
    refusal,
)
from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.printed_table import TableRejectedError
from sdmi_pipeline.ingest.readers.records import RecordFile
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.refusals import content_refusal, explain
from sdmi_pipeline.ingest.revision_guard import HELD, drop_held_revisions, revision_hold
from sdmi_pipeline.ingest.sample_marker import sample_note
from sdmi_pipeline.ingest.validation import validate_file
from sdmi_pipeline.ingest.validation_records import RecordRows
from sdmi_pipeline.ingest.vintages import write_vintage
from sdmi_pipeline.paths import SCHEMAS_DIR
from sdmi_pipeline.warehouse.resource import create_documented_table


@dataclass(frozen=True)
class Source:
    """A delivery type: where its files land, how to read them, which contract they meet."""

    name: str
    publisher: str
    pattern: str  # glob relative to the raw root
    table: str  # staging table, whose contract validates the rows
    read: Callable[[Path, bytes], ReadFile | RecordFile]
    period: Callable[[Path], str | None] | None = None  # the month (YYYY-MM) a file covers, if known
    unique_across_files: str | None = None  # a column whose values no two current files may share
    formats: tuple[str, ...] = ()  # file formats, when the pattern's extension does not say (e.g. csv, xlsx)
    whole_file: bool = False  # aggregates: one bad cell or repeated key refuses the file (all or nothing)

    @property
    def contract(self) -> Contract:
        return contract_for(self.table)

    def files(self, raw_root: Path) -> list[Path]:
        """Every entry matching the pattern (ignoring case), readable or not (see raw_paths.refusal)."""
        return matching_paths(raw_root, self.pattern)

    def periods(self, raw_root: Path) -> list[str]:
        """The months the source's files cover, from their names."""
        if self.period is None:
            return []
        return sorted({month for path in self.files(raw_root) if (month := self.period(path))})


@dataclass
class FileOutcome:
    """What happened to one file in this build."""

    path: str
    parsed: bool
    status: str = "unchanged"
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    """A source's files in this build, and the paths it found gone from the raw root."""

    source: str
    files: list[FileOutcome] = field(default_factory=list)
    gone: list[FileOutcome] = field(default_factory=list)

    @property
    def parsed(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.parsed]

    def total(self, attribute: str) -> int:
        return sum(getattr(outcome, attribute) for outcome in self.parsed)


# The modules that decide a file's rows; a package stands for every module in it (not revision_guard:
# a held content is guarded again every build); contracts/versions.py: modules_named.
PARSER_MODULES = (
    "sdmi_pipeline.ingest.readers",
    "sdmi_pipeline.reference",
    "sdmi_pipeline.ingest.validation",
    "sdmi_pipeline.ingest.validation_records",
    "sdmi_pipeline.ingest.cross_file_keys",
    "sdmi_pipeline.contracts.contract",
    "sdmi_pipeline.contracts.rules",
    "sdmi_pipeline.ingest.loading",
    "sdmi_pipeline.ingest.vintages",
)


def parser_modules() -> list[ModuleType]:
    """The modules of PARSER_MODULES, packages expanded to their modules, sorted by name."""
    return modules_named(PARSER_MODULES)


def parser_fingerprint(source: Source) -> str:
    """SHA-256 of the code and contract that turn the source's files into rows.

    A file is parsed again when this changes: a reader fix or a new name variant must reach
    the files loaded before it.
    """
    digest = hashlib.sha256()
    for module in parser_modules():
        digest.update(module.__name__.encode() + b"\0" + Path(module.__file__).read_bytes())
    contract = SCHEMAS_DIR / f"{source.table.replace('.', '/')}.yaml"
    digest.update(b"contract\0" + contract.read_bytes())
    return digest.hexdigest()


def _last_read(connection: duckdb.DuckDBPyConnection, source: str) -> dict[str, tuple[str, str]]:
    """Path → (sha256, parser fingerprint) of the last vintage read (loaded or failed)."""
    rows = connection.execute(
        """SELECT path, arg_max(sha256, loaded_at), arg_max(parser, loaded_at) FROM meta.raw_files
           WHERE source = ? AND status <> 'held' GROUP BY path""",
        [source],
    ).fetchall()
    return {path: (sha256, parser) for path, sha256, parser in rows}


def ingest_source(
    connection: duckdb.DuckDBPyConnection,
    raw_root: Path,
    source: Source,
    selected: Callable[[Path], bool] | None = None,
) -> IngestReport:
    """Load every new or revised file of `source` (those `selected`, when given).

    Files read before with the same content and the same parser are skipped.
    """
    create_documented_table(connection, source.table)
    last_read = _last_read(connection, source.name)
    parser = parser_fingerprint(source)
    report = IngestReport(source.name)
    today = datetime.now(UTC).date()
    for path in source.files(raw_root):
        if selected is not None and not selected(path):
            continue
        relative = display_path(path, raw_root)
        if reason := refusal(path, raw_root) or future_refusal(path.name, today):
            report.files.append(_refuse(connection, source, path, relative, reason, parser))
            continue
        if last_read.get(relative) == (file_sha256(path), parser):
            drop_held_revisions(connection, source.table, relative)
            report.files.append(FileOutcome(relative, parsed=False))
            continue
        report.files.append(_load_file(connection, source, path, relative, parser))
    present = {display_path(path, raw_root) for path in source.files(raw_root)}
    report.gone = record_gone(connection, source, present, parser, raw_root)
    return report


def record_gone(
    connection: duckdb.DuckDBPyConnection, source: Source, present: set[str], parser: str, raw_root: Path
) -> list[FileOutcome]:
    """Record every path of `source` deleted from the raw root since its last reading: its vintages stop
    being current (their rows leave every table built from them) and a `gone` row ends its history,
    so a refusal or hold of it is no longer reported. Whatever the months of a run: the file is gone."""
    recorded = connection.execute(
        """SELECT path, max(rows_accepted) FILTER (is_current) FROM meta.raw_files WHERE source = ?
           GROUP BY path HAVING arg_max(status, loaded_at) <> ? ORDER BY path""",
        [source.name, GONE],
    ).fetchall()
    gone = []
    for relative, rows in recorded:
        if relative in present:
            continue
        message = (
            f"deleted from the raw root: its {rows:,} accepted rows are withdrawn from the published figures"
            if rows is not None
            else "deleted from the raw root: its refusal or hold is cleared (it stays in meta.raw_files)"
        )
        record = _record(source, raw_root / relative, relative, GONE, parser, 0) | _failed(message)
        record |= {"status": GONE, "illustrative": None}
        connection.execute("UPDATE meta.raw_files SET is_current = false WHERE path = ?", [relative])
        write_vintage(connection, source.table, source.name, record, None, EMPTY_REJECTS)
        gone.append(FileOutcome(relative, parsed=False, status=GONE, error=message))
    return gone


NO_REJECTS = {"line": pd.Series(dtype="int64")} | dict.fromkeys(["column_name", "value", "reason"])
EMPTY_REJECTS = pd.DataFrame(NO_REJECTS)


def _refuse(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    path: Path,
    relative: str,
    reason: str,
    parser: str,
) -> FileOutcome:
    """Record a path refused before reading (nothing read: the sha256 of no content) and say why."""
    size = path.lstat().st_size if path.is_file() else 0
    record = _record(source, path, relative, EMPTY_SHA256, parser, size) | _failed(reason)
    rejects = pd.DataFrame({"line": [0], "column_name": [None], "value": [None], "reason": [reason]})
    write_vintage(connection, source.table, source.name, record, None, rejects)
    return FileOutcome(relative, parsed=True, status="failed", error=reason)


def _record(source: Source, path: Path, relative: str, digest: str, parser: str, size: int) -> dict:
    """The meta.raw_files row of one vintage, before its outcome is known; `illustrative` from the
    sample marker beside the file (sample_marker.py)."""
    return {
        "source": source.name,
        "path": relative,
        "sha256": digest,
        "parser": parser,
        "size_bytes": size,
        "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        "error": None,
        "ignored_columns": None,
        "encoding": None,
        "delimiter": None,
        "illustrative": sample_note(path),
    }


def _failed(message: str) -> dict:
    return {
        "rows_read": None,
        "rows_accepted": 0,
        "rows_rejected": 0,
        "status": "failed",
        "error": message,
        "is_current": False,
    }


def _load_file(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    path: Path,
    relative: str,
    parser: str,
) -> FileOutcome:
    """Read, validate and write one file; its bytes are freed once read, before its rows are checked."""
    content = path.read_bytes()
    record = _record(source, path, relative, sha256(content), parser, len(content))
    try:
        if reason := content_refusal(content, path.name):
            raise FileFormatError(f"{path}: {reason}")
        read = source.read(path, content)
    except (FileFormatError, UnicodeDecodeError, pd.errors.ParserError) as error:
        message = explain(str(error).replace(str(path), relative))
        rejects = (
            error.rejects()
            if isinstance(error, TableRejectedError)
            else pd.DataFrame({"line": [1], "column_name": [None], "value": [None], "reason": [message]})
        )
        record |= _failed(message)
        write_vintage(connection, source.table, source.name, record, None, rejects)
        return FileOutcome(relative, parsed=True, status="failed", error=message)
    del content  # read: a 10x monthly file's 23 MB are not held while its rows are validated and written
    try:
        return _load_rows(connection, source, relative, read, record)
    finally:
        if isinstance(read, RecordFile):
            read.close()


def _load_rows(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    relative: str,
    read: ReadFile | RecordFile,
    record: dict,
) -> FileOutcome:
    """Validate a file as read and write its accepted rows, rejects and provenance."""
    digest = record["sha256"]
    validated = validate_file(read, source.contract)
    if source.unique_across_files:
        validated = reject_repeats_of_other_files(
            connection, source.table, source.unique_across_files, relative, validated, read
        )
    rejects = validated.rejects.assign(
        column_name=validated.rejects["column_name"].map(lambda name: read.header.get(name, name))
    )
    if source.whole_file and not rejects.empty:
        record |= {"ignored_columns": ", ".join(read.ignored_columns) or None, "encoding": read.encoding}
        record["delimiter"] = read.delimiter
        return _refuse_whole(connection, source, record, relative, read.lines_read, rejects)
    if isinstance(validated, RecordRows):
        accepted, rows_accepted = validated.accepted_table, validated.accepted_lines
    else:
        accepted = validated.accepted.assign(source_file=relative, file_sha256=digest)
        accepted["line"] = accepted.index.astype("int32")
        rows_accepted = _lines(accepted)
    rows_read = read.lines_read
    if isinstance(read, RecordFile):
        read.close()  # its rows are in `accepted` (Arrow): free its DuckDB before they are written
    held = revision_hold(connection, relative, digest, rows_accepted)
    record |= {
        "rows_read": rows_read,
        "rows_accepted": rows_accepted,
        "rows_rejected": validated.rejected_lines,
        "status": HELD if held else "loaded",
        "error": held,
        "is_current": not held,
        "ignored_columns": ", ".join(read.ignored_columns) or None,
        "encoding": read.encoding,
        "delimiter": read.delimiter,
    }
    write_vintage(connection, source.table, source.name, record, accepted, rejects)
    return FileOutcome(
        relative,
        parsed=True,
        status=record["status"],
        error=held,
        rows_read=rows_read,
        rows_accepted=rows_accepted,
        rows_rejected=validated.rejected_lines,
    )


def _refuse_whole(
    connection: duckdb.DuckDBPyConnection,
    source: Source,
    record: dict,
    relative: str,
    lines_read: int,
    rejects: pd.DataFrame,
) -> FileOutcome:
    """Refuse a file of aggregates with a bad cell: every bad cell in meta.rejects, no row loaded.

    Its lines all count as rejected, and the previous vintage of the file stays current.
    """
    cells = rejects.drop_duplicates(["line", "column_name"])
    listed = "; ".join(
        f"line {line} {column or ''}: {reason}".replace("  ", " ")
        for line, column, reason in cells[["line", "column_name", "reason"]].head(5).itertuples(index=False)
    )
    more = f"; and {len(cells) - 5} more" if len(cells) > 5 else ""
    message = (
        f"{relative}: a table of aggregates loads whole or not at all, and {len(cells)} cell(s) are wrong, "
        f"so the file is refused and its previous vintage stays current: {listed}{more}"
    )
    record |= {
        "rows_read": lines_read,
        "rows_accepted": 0,
        "rows_rejected": lines_read,
        "status": "failed",
        "error": message,
        "is_current": False,
    }
    write_vintage(connection, source.table, source.name, record, None, rejects)
    return FileOutcome(relative, True, "failed", lines_read, 0, lines_read, message)


def _lines(rows: pd.DataFrame) -> int:
    """Rows of the file behind `rows`: its distinct lines (a long table has a row per line and month)."""
    return rows.index.nunique()
