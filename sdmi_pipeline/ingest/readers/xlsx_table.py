"""A table in an Excel workbook: the first sheet that holds the header row, every value as text.

Sheets before or after it (a `Catatan` sheet of notes, a cover page) are not read; they are
listed so the caller can report them.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from openpyxl import Workbook

from sdmi_pipeline.ingest.readers.text import FileFormatError, normalise_header

HEADER_SEARCH_ROWS = 10  # title rows a sheet may carry above its header


@dataclass(frozen=True)
class SheetTable:
    """The rows under a header row: one string column per header, indexed by Excel row number."""

    frame: pd.DataFrame
    sheet: str
    header: dict[str, str]  # normalised name → name as written in the sheet
    ignored_sheets: list[str]  # `sheet "<name>" (<why>)`, in workbook order


def cell_text(value: Any) -> str | None:
    """A cell as the text a delimited file would hold: `3` not `3.0`, dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _header_row(rows: list[tuple], required: tuple[str, ...]) -> int | None:
    """Index (0-based) of the first row whose cells name every required column."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {normalise_header(cell) for cell in row if cell_text(cell)}
        if set(required) <= names:
            return index
    return None


def _table(path: Path, sheet: str, rows: list[tuple], header_index: int) -> SheetTable:
    written = [cell_text(cell) for cell in rows[header_index]]
    named = [(position, name) for position, name in enumerate(written) if name]
    names = [normalise_header(name) for _, name in named]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileFormatError(
            f"{path}: sheet {sheet!r} row {header_index + 1}: column(s) {', '.join(repeated)} "
            "appear more than once"
        )
    body = rows[header_index + 1 :]
    frame = pd.DataFrame(
        {
            name: pd.array(
                [cell_text(row[position]) if position < len(row) else None for row in body], dtype="string"
            )
            for (position, _), name in zip(named, names, strict=True)
        },
        index=pd.RangeIndex(header_index + 2, header_index + 2 + len(body), name="line"),
    )
    frame = frame.dropna(how="all")
    header = {name: written_name for name, (_, written_name) in zip(names, named, strict=True)}
    return SheetTable(frame, sheet, header, [])


def open_workbook(path: Path, content: bytes, read_only: bool) -> "Workbook":
    """The workbook's cell values (cached results of formulas); FileFormatError if it is none.

    `read_only` streams the sheets but hides merged cells; the printed-table reader needs them.
    openpyxl is imported here, when a workbook is read: not before a build's first step.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(io.BytesIO(content), read_only=read_only, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileFormatError(f"{path}: not a readable .xlsx workbook ({error})") from error


def read_xlsx_table(path: Path, content: bytes, required: tuple[str, ...]) -> SheetTable:
    """The table of the first sheet with a header row naming every `required` column.

    Raises FileFormatError when the file is not a workbook or no sheet has the header row.
    """
    workbook = open_workbook(path, content, read_only=True)
    try:
        ignored: list[str] = []
        table: SheetTable | None = None
        for worksheet in workbook.worksheets:
            if table is not None:
                top = list(worksheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True))
                why = (
                    "no header row"
                    if _header_row(top, required) is None
                    else "the header row again; only the first sheet with it is read"
                )
                ignored.append(f'sheet "{worksheet.title}" ({why})')
                continue
            rows = list(worksheet.iter_rows(values_only=True))
            header_index = _header_row(rows, required)
            if header_index is None:
                ignored.append(f'sheet "{worksheet.title}" (no header row)')
                continue
            table = _table(path, worksheet.title, rows, header_index)
    finally:
        workbook.close()
    if table is None:
        raise FileFormatError(
            f"{path}: no sheet has a header row with {', '.join(required)} "
            f"in its first {HEADER_SEARCH_ROWS} rows"
        )
    return SheetTable(table.frame, table.sheet, table.header, ignored)
