"""Delimited text as publishers deliver it: UTF-8 (BOM or not) or Windows-1252, `,` or `;`."""

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

UTF8_BOM = b"\xef\xbb\xbf"


class FileFormatError(ValueError):
    """The file as a whole cannot be read; names the file and what is wrong."""


@dataclass(frozen=True)
class DelimitedText:
    """A delimited file read as text: one string column per header, indexed by file line."""

    frame: pd.DataFrame
    encoding: str
    delimiter: str
    header: list[str]


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (BOM stripped) when it decodes, else Windows-1252."""
    if raw.startswith(UTF8_BOM):
        return raw[len(UTF8_BOM):].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        raise FileFormatError(
            f"{path}: neither UTF-8 nor Windows-1252 (byte {error.start})"
        ) from error


def normalise_header(name: str) -> str:
    """Header key: trimmed, lower case, spaces as underscores."""
    return "_".join(str(name).strip().lower().split())


def read_delimited(path: Path, raw: bytes | None = None) -> DelimitedText:
    """Read a delimited text file with every value as trimmed text (NA where empty).

    The index is the physical line number (header = line 1); blank lines are dropped.
    """
    raw = path.read_bytes() if raw is None else raw
    text, encoding = decode(raw, path)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise FileFormatError(f"{path}: line 1: empty header")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    frame = pd.read_csv(
        io.StringIO(text), sep=delimiter, dtype="string", keep_default_na=False,
        skip_blank_lines=False, skipinitialspace=True,
    )
    frame.columns = [normalise_header(column) for column in frame.columns]
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        raise FileFormatError(f"{path}: line 1: column(s) {duplicated} appear twice")
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="line")
    frame = frame.apply(lambda column: column.str.strip()).replace("", pd.NA)
    frame = frame.dropna(how="all")
    return DelimitedText(frame, encoding, delimiter, list(frame.columns))
