"""Delimited text as publishers deliver it: UTF-8 (BOM or not) or Windows-1252, `,` or `;`.

Lines that cannot be read as a record (see `lines`) are left out of the frame and listed.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sdmi_pipeline.readers.lines import UTF8_BOM, FileFormatError, read_lines

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


def read_delimited(path: Path, raw: bytes | None = None) -> DelimitedText:
    """Read a delimited text file with every value as trimmed text (NA where empty).

    The index is the physical line number (header = line 1); blank lines are dropped.
    """
    raw = path.read_bytes() if raw is None else raw
    lines, delimiter, written = read_lines(raw, path)
    names = [normalise_header(name) for name in written]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileFormatError(f"{path}: line 1: column(s) {', '.join(repeated)} appear more than once")
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
    frame = frame.dropna(how="all")
    header = dict(zip(names, written, strict=True))
    return DelimitedText(frame, lines.encoding, delimiter, header, lines.unreadable)


def _physical_lines(frame: pd.DataFrame) -> pd.Series:
    """Line on which each record starts: records after a quoted multi-line value move down."""
    newlines = sum(frame[column].str.count("\n").fillna(0).astype(int) for column in frame.columns)
    extra_before = newlines.cumsum().shift(1, fill_value=0) if len(frame) else newlines
    return pd.RangeIndex(2, len(frame) + 2).to_series().reset_index(drop=True) + extra_before.to_numpy()
