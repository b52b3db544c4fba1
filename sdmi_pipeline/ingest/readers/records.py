"""Record-level files (KP2MI placements, Kemnaker permits) read in DuckDB.

The checked records (`text.parse_records`) become the DuckDB table `delivered`. Each derived
column is computed by the reader's own pandas function (the same code lists and rules as every
other reader) once per distinct combination of the delivered values it depends on, and joined
back to every record by DuckDB: Python sees a few hundred distinct labels, dates and ages, never
the rows. Problems a function finds on a distinct value become issues on every line that holds it.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sdmi_pipeline.contracts.contract import Contract, pandas_dtype
from sdmi_pipeline.ingest.readers.clean_csv import read_clean
from sdmi_pipeline.ingest.readers.lines import no_unreadable_lines
from sdmi_pipeline.ingest.readers.text import PANDAS_TEXT, check_text, parse_records

# A derived column's function: the distinct input values (text columns, RangeIndex) → its value
# for each, and the issues found (line = position among the distinct values).
Computed = pd.Series | tuple[pd.Series, pd.DataFrame | list[pd.DataFrame]]
ISSUE_COLUMNS = ("line", "column", "reason", "raw_column")
_NO_ISSUES = pd.DataFrame({name: pd.Series(dtype="object") for name in ISSUE_COLUMNS})
# One thread for a file's own database: its reading, joins and export hold one set of buffers, not
# one per thread (a 10x monthly file: about 80 MiB less at its peak, and fewer CPU-s; docs/benchmarks.md).
FILE_DATABASE = {"threads": 1}


@dataclass(frozen=True)
class Derived:
    """A contract column computed from delivered columns, over their distinct values."""

    inputs: tuple[str, ...]
    compute: Callable[[pd.DataFrame], Computed]


def of_column(column: str, function: Callable[..., Computed], *arguments: object) -> Derived:
    """A column derived from one delivered column: `function(values, *arguments)`."""
    return Derived((column,), lambda distinct: function(distinct[column], *arguments))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _same(left: str, right: str, columns: tuple[str, ...]) -> str:
    """SQL: the two rows hold the same values in `columns` (nulls equal)."""
    return " AND ".join(f"{left}.{_quoted(c)} IS NOT DISTINCT FROM {right}.{_quoted(c)}" for c in columns)


def to_contract_frame(table: pa.Table, contract: Contract) -> pd.DataFrame:
    """Rows of a contract's columns as pandas gives them to Pandera: indexed by line, the
    contract's pandas dtypes (the readers' shape, for tests and the small formats)."""
    integers = {pa.int32(): pd.Int64Dtype(), pa.int64(): pd.Int64Dtype()}
    frame = table.to_pandas(types_mapper=(PANDAS_TEXT | integers).get, date_as_object=False)
    types = {c.name: pandas_dtype(c.type) for c in contract.columns if c.name in frame.columns}
    frame = frame.astype(types)
    return frame.set_index(pd.Index(frame.pop("line").astype("int64"), name="line"))


@dataclass
class RecordFile:
    """A record-level file in DuckDB, with the `ReadFile` interface (pandas on demand)."""

    connection: duckdb.DuckDBPyConnection  # in memory: delivered (Arrow), view typed, table issues
    contract: Contract
    header: dict[str, str]
    encoding: str
    delimiter: str
    unreadable: pd.DataFrame
    ignored_columns: list[str] = field(default_factory=list)

    def typed(self) -> pa.Table:
        """line and the contract's delivered columns, typed, for every record, in line order.

        The view is not sorted: DuckDB gives the records in line order on one thread (sorting them
        there held a second copy of them), and Arrow sorts them only if they are not."""
        table = self.connection.sql("SELECT * FROM typed").to_arrow_table()
        lines = table["line"]
        if len(lines) > 1 and not pc.all(pc.greater(lines[1:], lines[:-1])).as_py():
            table = table.take(pc.sort_indices(lines))
        return table

    def close(self) -> None:
        """Free the file's DuckDB database (ingest closes it once the rows are loaded)."""
        self.connection.close()

    @cached_property
    def rows(self) -> pd.DataFrame:
        return to_contract_frame(self.typed(), self.contract)

    @cached_property
    def raw(self) -> pd.DataFrame:
        return self.raw_lines(None)

    def raw_lines(self, lines: list[int] | None) -> pd.DataFrame:
        """Values as delivered (text), indexed by line: of `lines`, or of every record."""
        where = "" if lines is None else "WHERE line IN (SELECT unnest($lines))"
        table = self.connection.sql(
            f"SELECT * FROM delivered {where}", params={} if lines is None else {"lines": lines}
        ).to_arrow_table()
        frame = table.to_pandas(types_mapper=PANDAS_TEXT.get)
        return frame.set_index(pd.Index(frame.pop("line").astype("int64"), name="line"))

    @cached_property
    def issues(self) -> pd.DataFrame:
        frame = self.connection.sql('SELECT * FROM issues ORDER BY line, "column"').df()
        return frame.astype({"line": "int64"})

    @property
    def lines_read(self) -> int:
        """Data lines (records) of the file: its records and its unreadable lines."""
        records = self.connection.execute("SELECT count(*) FROM delivered").fetchone()[0]
        return records + self.unreadable["line"].nunique()


def read_records(path: Path, content: bytes | None, contract: Contract) -> RecordFile:
    """Read a delimited record-level file into DuckDB: its checked records as `delivered`, read by
    `read_csv` straight from the file when it is clean (`clean_csv`), else line by line (`lines`).
    The reader then looks at the header and calls `derive`."""
    raw = path.read_bytes() if content is None else content
    connection = duckdb.connect(config=FILE_DATABASE)
    with tempfile.TemporaryDirectory(prefix="sdmi-records-") as folder:
        on_disk = path if content is None else Path(folder) / "delivered.csv"
        if content is not None:
            on_disk.write_bytes(content)  # the bytes that were hashed, not whatever the path holds now
        clean = read_clean(connection, on_disk, raw, path)
    if clean is not None:
        header, delimiter, encoding = clean
        return RecordFile(connection, contract, header, encoding, delimiter, no_unreadable_lines())
    checked = check_text(path, raw)
    connection.register("delivered", parse_records(checked))  # Arrow, scanned in place
    lines = checked.lines
    return RecordFile(
        connection, contract, checked.header, lines.encoding, checked.delimiter, lines.unreadable
    )


def derive(read: RecordFile, columns: dict[str, str | Derived | None]) -> RecordFile:
    """Create the view `typed` (line and the contract's `columns`, unsorted: `RecordFile.typed` gives
    them in line order) and the table `issues` of a file read into DuckDB. A column is a delivered
    column taken as it is, `Derived`, or None (not delivered: null)."""
    connection = read.connection
    selected, joins, issues = ["d.line"], [], []
    for number, (name, source) in enumerate(columns.items()):
        sql_type = read.contract.column(name).type
        if source is None:
            selected.append(f"NULL::{sql_type} AS {name}")
            continue
        if isinstance(source, str):
            selected.append(f"CAST(d.{_quoted(source)} AS {sql_type}) AS {name}")
            continue
        table = f"derived_{number}"
        issues.append(_distinct_values(connection, table, source))
        selected.append(f"CAST({table}.value AS {sql_type}) AS {name}")
        joins.append(f"LEFT JOIN {table} ON {_same('d', table, source.inputs)}")
    connection.execute(
        f"""CREATE VIEW typed AS SELECT {", ".join(selected)} FROM delivered AS d {" ".join(joins)}"""
    )
    expanded = [
        f"""SELECT d.line, i."column", i.reason, i.raw_column FROM {issue_table} AS i
            JOIN {table} ON {table}.position = i.line JOIN delivered AS d ON {_same("d", table, inputs)}"""
        for table, issue_table, inputs in issues
    ]
    none = 'SELECT NULL::BIGINT AS line, NULL AS "column", NULL AS reason, NULL AS raw_column WHERE false'
    connection.execute(f"CREATE TABLE issues AS {' UNION ALL '.join([*expanded, none])}")
    return read


def _distinct_values(
    connection: duckdb.DuckDBPyConnection, table: str, derived: Derived
) -> tuple[str, str, tuple[str, ...]]:
    """Table `table` (inputs, position, value) and `<table>_issues` of one derived column."""
    inputs = ", ".join(_quoted(name) for name in derived.inputs)
    distinct = (
        connection.sql(f"SELECT DISTINCT {inputs} FROM delivered")
        .to_arrow_table()
        .to_pandas(types_mapper=PANDAS_TEXT.get)
    )
    computed = derived.compute(distinct)
    values, found = computed if isinstance(computed, tuple) else (computed, [])
    found = pd.concat([_NO_ISSUES, *found] if isinstance(found, list) else [_NO_ISSUES, found])
    found = found.reindex(columns=list(ISSUE_COLUMNS)).astype({"line": "int64", "raw_column": "object"})
    mapped = distinct.assign(position=range(len(distinct)), value=values.reset_index(drop=True))
    connection.register("computed_values", mapped)
    connection.execute(f"CREATE TABLE {table} AS SELECT * FROM computed_values")
    connection.register("computed_issues", found)
    connection.execute(
        f"""CREATE TABLE {table}_issues AS SELECT line::BIGINT AS line, "column"::VARCHAR AS "column",
                reason::VARCHAR AS reason, raw_column::VARCHAR AS raw_column FROM computed_issues"""
    )
    connection.unregister("computed_values")
    connection.unregister("computed_issues")
    return table, f"{table}_issues", derived.inputs
