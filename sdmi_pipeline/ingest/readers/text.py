"""Delimited text as publishers deliver it: UTF-8 (BOM or not) or Windows-1252, `,` or `;`.

Lines that cannot be read as a record (see `lines`) are left out of the frame and listed. The
checked records are parsed by DuckDB's `read_csv`, trimmed and typed there, and handed over as
Arrow-backed text columns. Where DuckDB's CSV dialect and pandas' could differ (a quote after
spaces that follow a delimiter) or DuckDB refuses what the line checks let through, pandas
parses the file instead, so every file reads the same either way.
"""

import csv
import functools
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sdmi_pipeline.ingest.readers.lines import UTF8_BOM, FileFormatError, Lines, read_lines

__all__ = ["UTF8_BOM", "DelimitedText", "FileFormatError", "normalise_header", "read_delimited"]


@dataclass(frozen=True)
class DelimitedText:
    """A delimited file read as text: one string column per header, indexed by file line."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str
    header: dict[str, str]  # normalised name → name as written in the file
    unreadable: pd.DataFrame  # line, value, reason: lines that could not be read as a record


def normalise_header(name: str) -> str:
    """Header key: trimmed, lower case, spaces as underscores."""
    return "_".join(str(name).strip().lower().split())


@dataclass(frozen=True)
class CheckedText:
    """A delimited file's lines checked one by one (see `lines`), and its header."""

    lines: Lines
    delimiter: str
    header: dict[str, str]  # normalised name → name as written in the file

    @property
    def names(self) -> list[str]:
        return list(self.header)


def check_text(path: Path, raw: bytes | None = None) -> CheckedText:
    """Decode and check every line of a delimited file; refuse a header that repeats a column."""
    raw = path.read_bytes() if raw is None else raw
    lines, delimiter, written = read_lines(raw, path)
    return CheckedText(lines, delimiter, _named(written, path))


def _named(written: list[str], path: Path) -> dict[str, str]:
    """Normalised name → name as written; a header that repeats a column is refused."""
    names = [normalise_header(name) for name in written]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileFormatError(f"{path}: line 1: column(s) {', '.join(repeated)} appear more than once")
    return dict(zip(names, written, strict=True))


def header_names(first_line: str, delimiter: str, path: Path) -> dict[str, str]:
    """The header line's names, normalised → as written (see `check_text`)."""
    return _named(next(csv.reader([first_line], delimiter=delimiter)), path)


def parse_records(checked: CheckedText) -> pa.Table:
    """The records as an Arrow table: `line` (physical, the header is 1), then one text column per
    header name, trimmed, null where empty; blank records left out."""
    parsed = _parse_with_duckdb(checked.lines, checked.delimiter, checked.names)
    if parsed is not None:
        return parsed
    frame = _parse_with_pandas(checked.lines, checked.delimiter, checked.names)
    return pa.Table.from_pandas(frame.reset_index(), preserve_index=False)


def read_delimited(path: Path, raw: bytes | None = None) -> DelimitedText:
    """Read a delimited text file with every value as trimmed text (NA where empty).

    The index is the physical line number (header = line 1); blank lines are dropped.
    """
    checked = check_text(path, raw)
    frame = parse_records(checked).to_pandas(types_mapper=PANDAS_TEXT.get).set_index("line")
    frame.index = frame.index.astype("int64")
    lines = checked.lines
    return DelimitedText(frame, lines.encoding, checked.delimiter, checked.header, lines.unreadable)


# What Python's str.strip() removes: the characters whose str.isspace() holds.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_RE2_CLASS = "".join(f"\\x{{{ord(character):x}}}" for character in WHITE_SPACE)
TRIM = f"^[{_RE2_CLASS}]+|[{_RE2_CLASS}]+$"  # for regexp_replace in DuckDB
# Where no white space but the space (and the newline between records) occurs, DuckDB's trim()
# does what str.strip() does, faster.
OTHER_WHITE_SPACE = re.compile("[" + re.escape(WHITE_SPACE.replace(" ", "").replace("\n", "")) + "]")
# pandas reads `a, "b"` (skipinitialspace) as the quoted value b; DuckDB would keep the quotes.
QUOTE_AFTER_SPACE = re.compile(r'(^|[,;])[ \t]+"', re.MULTILINE)
PANDAS_TEXT = {pa.string(): pd.StringDtype()}  # the contracts' VARCHAR in pandas (contracts.py)


def _parse_with_duckdb(lines: Lines, delimiter: str, names: list[str]) -> pa.Table | None:
    """The records parsed by DuckDB (see `parse_records`); None when pandas must parse the file
    (see the module's docstring)."""
    text = lines.records_text
    if (' "' in text or '\t"' in text) and QUOTE_AFTER_SPACE.search(text):
        return None
    parameters = {"path": None, "delimiter": delimiter, "columns": {name: "VARCHAR" for name in names}}
    multi_line = text.count("\n") != len(lines.record_lines)
    if multi_line or OTHER_WHITE_SPACE.search(text):
        parameters["trim"] = TRIM
        trim = "nullif(regexp_replace({0}, $trim, '', 'g'), '') AS {0}"
    else:
        trim = "nullif(trim({0}), '') AS {0}"
    trimmed = [trim.format('"' + name.replace('"', '""') + '"') for name in names]
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".csv") as records:
        records.write(text)
        records.flush()
        parameters["path"] = records.name
        with duckdb.connect() as connection:
            try:
                table = connection.sql(
                    f"""SELECT {", ".join(trimmed)} FROM read_csv($path, delim = $delimiter, header = true,
                            auto_detect = false, columns = $columns, quote = '"', escape = '"')""",
                    params=parameters,
                ).to_arrow_table()
            except duckdb.Error:
                return None
    if table.num_rows != len(lines.record_lines):
        return None
    table = table.add_column(0, "line", pa.array(lines.record_lines, pa.int64()))
    some_value = functools.reduce(pc.or_, (pc.is_valid(table[name]) for name in names))
    return table.filter(some_value)


def _parse_with_pandas(lines: Lines, delimiter: str, names: list[str]) -> pd.DataFrame:
    """The records parsed by pandas from the checked text (blank and unreadable lines included)."""
    frame = pd.read_csv(
        io.StringIO(lines.text),
        sep=delimiter,
        dtype="string",
        keep_default_na=False,
        skip_blank_lines=False,
        skipinitialspace=True,
        names=names,
        header=0,
    )
    frame.index = pd.Index(_physical_lines(frame), name="line")
    frame = frame.apply(lambda column: column.str.strip()).replace("", pd.NA)
    return frame.dropna(how="all")


def _physical_lines(frame: pd.DataFrame) -> pd.Series:
    """Line on which each record starts: records after a quoted multi-line value move down."""
    newlines = sum(frame[column].str.count("\n").fillna(0).astype(int) for column in frame.columns)
    extra_before = newlines.cumsum().shift(1, fill_value=0) if len(frame) else newlines
    return pd.RangeIndex(2, len(frame) + 2).to_series().reset_index(drop=True) + extra_before.to_numpy()
