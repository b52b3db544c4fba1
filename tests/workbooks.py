"""Workbooks built in memory, as publishers save them, for the reader tests."""

import io

import openpyxl


def workbook_bytes(sheets: dict[str, list[list]], merged: dict[str, list[str]] | None = None) -> bytes:
    """An .xlsx with one sheet per entry (rows of cell values) and the given merged ranges."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for span in (merged or {}).get(title, []):
            sheet.merge_cells(span)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
