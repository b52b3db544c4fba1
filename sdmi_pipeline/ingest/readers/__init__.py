"""Readers, one per publisher format. Each turns a raw file into typed rows plus row issues."""

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class ReadFile:
    """A raw file read and typed, before contract validation."""

    rows: pd.DataFrame  # typed columns of the contract, indexed by file line
    raw: pd.DataFrame  # values as delivered (normalised column names), indexed by file line
    issues: pd.DataFrame  # line, column, reason (, raw_column) found while reading
    ignored_columns: list[str]  # as written in the file
    encoding: str | None  # None for workbooks
    delimiter: str | None  # None for JSON answers
    header: dict[str, str]  # normalised column name → as written in the file
    # line, value, reason: physical lines that could not be read as a record (quoting, encoding,
    # number of values); they are rejected and count as read
    unreadable: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"line": pd.Series(dtype=int), "value": [], "reason": []})
    )

    @property
    def lines_read(self) -> int:
        """Data lines (records) of the file: its distinct row lines and its unreadable lines."""
        return self.rows.index.nunique() + self.unreadable["line"].nunique()
