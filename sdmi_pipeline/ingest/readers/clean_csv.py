"""A record-level file that DuckDB's `read_csv` reads whole, with no rejected line.

Most deliveries are clean: UTF-8, every record on one line with the header's number of values.
Such a file goes straight from its bytes into DuckDB (`read_csv` with `store_rejects`), and
Python never splits or decodes its lines. Anything DuckDB rejects (a line that is not UTF-8, a
wrong number of values) and anything the two readings could disagree on (a line with an odd
number of quotes, blank lines between records, white space other than the space, a quote after
spaces) sends the file to the line-by-line reading (`lines.py`, `text.py`), which names
each unreadable line, decodes Windows-1252 lines and gives the same rows for the rest.
"""

import re
from pathlib import Path

import duckdb

from sdmi_pipeline.ingest.readers.lines import (
    UTF8_BOM,
    FileFormatError,
    header_delimiter,
    quotes_per_line,
    refuse_non_text,
)
from sdmi_pipeline.ingest.readers.text import OTHER_WHITE_SPACE, QUOTE_AFTER_SPACE, header_names

# The white space `trim()` leaves (text.OTHER_WHITE_SPACE) but for the \r of a CRLF line end.
_OTHER_THAN_CRLF = re.compile(OTHER_WHITE_SPACE.pattern.replace("\\\r", ""))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_clean(
    connection: duckdb.DuckDBPyConnection, on_disk: Path, raw: bytes, path: Path
) -> tuple[dict[str, str], str, str] | None:
    """Create `delivered` (a table or view: line, one trimmed text column per header name, null where
    empty; records with no value left out) from a clean file, and return its header (normalised
    name → as written), delimiter and encoding; None, with nothing created, when the file is not
    clean. Refuses, as the line-by-line reading does, a file that is empty, not text, or whose
    header is empty, tab-delimited or repeats a column. `on_disk` holds `raw`; `path` is the
    delivered file's name, for messages."""
    if not raw.strip():
        raise FileFormatError(f"{path}: the file is empty")
    refuse_non_text(raw, path)
    bom = raw.startswith(UTF8_BOM)
    try:
        text = raw[len(UTF8_BOM) :].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    first = text.split("\n", 1)[0].rstrip("\r")
    delimiter = header_delimiter(first, path)
    header = header_names(first, delimiter, path)
    body = text.rstrip("\r\n")
    lines = body.count("\n") + 1
    if (
        text.count("\r") != text.count("\r\n")
        or "\n\n" in body
        or "\n\r\n" in body
        or _OTHER_THAN_CRLF.search(text)
        or ((' "' in text or '\t"' in text) and QUOTE_AFTER_SPACE.search(text))
        or ('"' in text and bool((quotes_per_line(text, delimiter) % 2 == 1).any()))
    ):
        return None
    names = list(header)
    values = ", ".join("nullif(trim({0}), '') AS {0}".format(_quoted(name)) for name in names)
    connection.execute(  # the records trimmed as they are read: one copy of them, not two
        f"""CREATE TEMP TABLE parsed AS SELECT {values} FROM read_csv($path, delim = $delimiter,
               header = true, auto_detect = false, columns = $columns, quote = '"', escape = '"',
               strict_mode = true, store_rejects = true, rejects_table = 'rejected_lines',
               rejects_scan = 'rejected_scans')""",
        {"path": str(on_disk), "delimiter": delimiter, "columns": {name: "VARCHAR" for name in names}},
    )
    rejected = connection.execute("SELECT count(*) FROM rejected_lines").fetchone()[0]
    records = connection.execute("SELECT count(*) FROM parsed").fetchone()[0]
    if rejected or records != lines - 1:
        connection.execute("DROP TABLE parsed; DROP TABLE rejected_lines; DROP TABLE rejected_scans")
        return None
    no_value = " AND ".join(f"{_quoted(name)} IS NULL" for name in names)
    if connection.execute(f"SELECT count(*) FROM parsed WHERE {no_value}").fetchone()[0]:
        connection.execute(
            f"""CREATE TABLE delivered AS SELECT * FROM (SELECT rowid + 2 AS line, * FROM parsed)
                WHERE NOT ({no_value})"""
        )
        connection.execute("DROP TABLE parsed")
    else:  # no record without a value (the usual file): the records as read, with their line
        connection.execute("CREATE VIEW delivered AS SELECT rowid + 2 AS line, * FROM parsed")
    return header, delimiter, "utf-8-sig" if bom else "utf-8"
