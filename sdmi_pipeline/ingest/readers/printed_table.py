"""Tables as publications print them in a workbook (spec §2.2, §2.6).

Title rows, then a header row: `No`, the dimension (`Negara Penempatan`, `Country` …), one column
per period, and optionally `Jumlah` / `Total`; the data rows; a closing `Jumlah` / `Total` row;
perhaps notes below it. Totals are not data: they reconcile the table, which is accepted whole or
quarantined whole with every cell that disagrees (`TableRejectedError`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from sdmi_pipeline.ingest.readers.numbers import printed_number
from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.ingest.readers.xlsx_table import open_workbook
from sdmi_pipeline.reference.normalise import label_key
from sdmi_pipeline.reference.periods import PeriodLabelError

TOTAL_LABELS = {"jumlah", "total", "jumlah total", "total keseluruhan", "grand total"}
NUMBER_LABELS = {"no", "nomor", "no urut"}


@dataclass(frozen=True)
class CellIssue:
    """One cell that keeps a table from being read or from reconciling."""

    row: int  # sheet row, 1-based as Excel shows it
    column: str  # the column's header as printed
    cell: str  # Excel reference, e.g. E9
    value: object
    reason: str


class TableRejectedError(FileFormatError):
    """A printed table quarantined whole; `issues` lists every cell that is wrong."""

    def __init__(self, path: Path, sheet: str, issues: list[CellIssue], what: str):
        self.issues = issues
        listed = "; ".join(f"{issue.cell} ({issue.column}): {issue.reason}" for issue in issues[:10])
        more = f"; and {len(issues) - 10} more" if len(issues) > 10 else ""
        super().__init__(f"{path}: sheet {sheet!r}: {what}, table quarantined: {listed}{more}")

    def rejects(self) -> pd.DataFrame:
        """One meta.rejects row per cell: line (sheet row), column_name, value, reason."""
        return pd.DataFrame(
            {
                "line": [issue.row for issue in self.issues],
                "column_name": [issue.column for issue in self.issues],
                "value": [None if issue.value is None else str(issue.value) for issue in self.issues],
                "reason": [f"{issue.cell}: {issue.reason}" for issue in self.issues],
            }
        )


@dataclass(frozen=True)
class PrintedTable:
    """The data of a printed table: labels down, periods across, totals kept for reconciling."""

    sheet: str
    label_header: str  # as printed, e.g. "Negara Penempatan"
    labels: pd.Series  # sheet row → label as printed
    values: pd.DataFrame  # sheet row × period ("2023-01", "2023-Q1") → Decimal, None when not available
    raw: pd.DataFrame  # sheet row × header as printed → cell as delivered (label and periods)
    headers: dict[str, str]  # period → header as printed
    ignored: list[str] = field(default_factory=list)  # other sheets, said why
    totals: dict[str, Decimal | None] = field(default_factory=dict)  # period → closing Jumlah/Total cell
    total_line: int | None = None  # sheet row of the closing Jumlah/Total row
    total_label: str | None = None  # the closing row's label as printed ("Jumlah", "Total")


@dataclass(frozen=True)
class _Layout:
    sheet: str
    cells: list[tuple]
    header_row: int  # index into cells
    label_column: int
    period_columns: dict[int, str]  # column index → period
    total_column: int | None
    merged: list


def _text(value: object) -> str:
    return "" if value is None else label_key(str(value))


def _cell(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter  # with the workbook (xlsx_table.open_workbook)

    return f"{get_column_letter(column + 1)}{row + 1}"


def _header_row(cells: list[tuple], label_headers: set[str]) -> tuple[int, int] | None:
    """(row, column) of the first cell naming the dimension, if any."""
    for row, values in enumerate(cells):
        for column, value in enumerate(values):
            if _text(value) in label_headers:
                return row, column
    return None


def _locate(path: Path, sheet, label_headers: set[str], period_of: Callable[[object], str]) -> _Layout | str:
    """The table's layout on `sheet`, or why the sheet holds none."""
    cells = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    if not any(value is not None and str(value).strip() for row in cells for value in row):
        return f"sheet {sheet.title!r} is empty"
    found = _header_row(cells, label_headers)
    if found is None:
        named = " / ".join(sorted(label_headers))
        return f"sheet {sheet.title!r} holds no table (no header cell naming {named})"
    header_row, label_column = found
    merged = [span for span in sheet.merged_cells.ranges if span.max_row >= header_row + 1]
    for span in merged:
        if span.min_row <= header_row + 1 <= span.max_row:
            raise FileFormatError(
                f"{path}: sheet {sheet.title!r}, row {header_row + 1}: merged cells {span.coord} in the "
                "table header; each period needs a header cell of its own (unmerge them)"
            )
    period_columns: dict[int, str] = {}
    total_column = None
    issues = []
    for column, value in enumerate(cells[header_row]):
        key = _text(value)
        if column == label_column or not key or key in NUMBER_LABELS:
            continue
        if key in TOTAL_LABELS:
            total_column = column
            continue
        try:
            period = period_of(value)
        except PeriodLabelError as error:
            issues.append(CellIssue(header_row + 1, str(value), _cell(header_row, column), value, str(error)))
            continue
        if period in period_columns.values():
            reason = f"period {period} has a second column"
            issues.append(CellIssue(header_row + 1, str(value), _cell(header_row, column), value, reason))
        period_columns[column] = period
    if issues:
        raise TableRejectedError(path, sheet.title, issues, "header cells that name no period")
    if not period_columns:
        raise FileFormatError(f"{path}: sheet {sheet.title!r}, row {header_row + 1}: no period columns")
    return _Layout(sheet.title, cells, header_row, label_column, period_columns, total_column, merged)


def _layout(path: Path, content: bytes, label_headers: set[str], period_of) -> tuple[_Layout, list[str]]:
    """The one sheet holding the table; the other sheets are reported as ignored."""
    tables, ignored = [], []
    for sheet in open_workbook(path, content, read_only=False).worksheets:
        located = _locate(path, sheet, label_headers, period_of)
        (ignored if isinstance(located, str) else tables).append(located)
    if not tables:
        raise FileFormatError(f"{path}: no table found: " + "; ".join(ignored))
    if len(tables) > 1:
        names = ", ".join(repr(layout.sheet) for layout in tables)
        raise FileFormatError(f"{path}: sheets {names} each hold a table; deliver one table per file")
    return tables[0], ignored


def _row_label(values: tuple, layout: _Layout) -> object:
    return values[layout.label_column] if layout.label_column < len(values) else None


def _is_total_row(values: tuple, layout: _Layout) -> bool:
    before_periods = values[: min(layout.period_columns)]
    return any(_text(value) in TOTAL_LABELS for value in before_periods)


def _number(
    values: tuple, row: int, column: int, header: str, convention: str, whole: bool, issues: list
) -> Decimal | None:
    value = values[column] if column < len(values) else None
    try:
        return printed_number(value, convention, whole)
    except ValueError as error:
        issues.append(CellIssue(row + 1, header, _cell(row, column), value, str(error)))
        return None


def read_printed_table(
    path: Path,
    content: bytes,
    label_headers: set[str],
    period_of: Callable[[object], str],
    convention: str,
    whole: bool = True,
    tolerance: Decimal = Decimal(0),
) -> PrintedTable:
    """Read, parse and reconcile the printed table of a workbook.

    `label_headers` are the keys (see `label_key`) of the dimension's header; `period_of` turns a
    period header into its SDMX period or raises PeriodLabelError. Raises FileFormatError when
    no table can be read, and TableRejectedError listing the cells when a header, a number or a
    total is wrong.
    """
    layout, ignored = _layout(path, content, {label_key(label) for label in label_headers}, period_of)
    header = layout.cells[layout.header_row]
    printed = {
        column: str(header[column])
        for column in (*layout.period_columns, layout.total_column)
        if column is not None
    }
    issues: list[CellIssue] = []
    rows: dict[int, dict] = {}
    closing = None
    for row in range(layout.header_row + 1, len(layout.cells)):
        values = layout.cells[row]
        if not any(value is not None and str(value).strip() for value in values):
            continue
        if _is_total_row(values, layout):
            closing = row
            break
        rows[row] = {"label": _row_label(values, layout), "values": values}
    if closing is None:
        raise FileFormatError(
            f"{path}: sheet {layout.sheet!r}: no closing Jumlah/Total row below the table; "
            "it cannot be reconciled"
        )
    for span in layout.merged:
        if span.min_row <= closing + 1 and span.max_col - 1 >= min(layout.period_columns):
            raise FileFormatError(
                f"{path}: sheet {layout.sheet!r}: merged cells {span.coord} in the table body"
            )
    numbers = {
        row: {
            column: _number(entry["values"], row, column, printed[column], convention, whole, issues)
            for column in printed
        }
        for row, entry in rows.items()
    }
    totals = {
        column: _number(layout.cells[closing], closing, column, printed[column], convention, whole, issues)
        for column in printed
    }
    if issues:
        raise TableRejectedError(path, layout.sheet, issues, "cells that are not numbers")
    issues = _disagreements(layout, numbers, totals, closing, printed, tolerance)
    if issues:
        raise TableRejectedError(path, layout.sheet, issues, "totals that do not add up")
    index = pd.Index([row + 1 for row in rows], name="line")
    labels = pd.Series([entry["label"] for entry in rows.values()], index=index, dtype="object")
    values = pd.DataFrame(
        {period: [numbers[row][column] for row in rows] for column, period in layout.period_columns.items()},
        index=index,
        dtype="object",
    )
    raw = pd.DataFrame(
        {str(header[layout.label_column]): labels}
        | {
            printed[column]: [
                rows[row]["values"][column] if column < len(rows[row]["values"]) else None for row in rows
            ]
            for column in layout.period_columns
        },
        index=index,
    )
    headers = {period: printed[column] for column, period in layout.period_columns.items()}
    return PrintedTable(
        layout.sheet,
        str(header[layout.label_column]),
        labels,
        values,
        raw,
        headers,
        ignored,
        totals={period: totals[column] for column, period in layout.period_columns.items()},
        total_line=closing + 1,
        total_label=_closing_label(layout.cells[closing], layout),
    )


def _closing_label(values: tuple, layout: _Layout) -> str:
    """The printed label of the closing row (`Jumlah`, `Total`), wherever it sits before the periods."""
    return next(
        str(value).strip() for value in values[: min(layout.period_columns)] if _text(value) in TOTAL_LABELS
    )


def _disagreements(
    layout: _Layout,
    numbers: dict[int, dict[int, Decimal | None]],
    totals: dict[int, Decimal | None],
    closing: int,
    printed: dict[int, str],
    tolerance: Decimal,
) -> list[CellIssue]:
    """Every total cell that its addends do not reach; a sum with a not-available cell is not checked."""

    def check(addends: list[Decimal | None], total: Decimal | None, row: int, column: int, what: str):
        if total is None or any(addend is None for addend in addends):
            return
        found = sum(addends, Decimal(0))
        if abs(found - total) > tolerance:
            reason = f"{what} sum to {found:f} but the total says {total:f} (difference {found - total:f})"
            issues.append(CellIssue(row + 1, printed[column], _cell(row, column), total, reason))

    issues: list[CellIssue] = []
    periods = list(layout.period_columns)
    if layout.total_column is not None:
        for row, values in numbers.items():
            check(
                [values[column] for column in periods],
                values[layout.total_column],
                row,
                layout.total_column,
                "the row's periods",
            )
    for column in printed:
        check(
            [values[column] for values in numbers.values()],
            totals[column],
            closing,
            column,
            "the column's rows",
        )
    return issues
