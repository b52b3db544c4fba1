"""Delimited text as publishers deliver it: UTF-8 (BOM or not) or Windows-1252, `,` or `;`."""

import csv
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
    header: dict[str, str]  # normalised name → name as written in the file


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (BOM stripped) when it decodes, else Windows-1252."""
    if raw.startswith(UTF8_BOM):
        try:
            return raw[len(UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise FileFormatError(
                f"{path}: starts with a UTF-8 byte order mark but is not UTF-8 "
                f"(byte {error.start + len(UTF8_BOM)})"
            ) from error
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as error:
        raise FileFormatError(f"{path}: neither UTF-8 nor Windows-1252 (byte {error.start})") from error


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
    written = next(csv.reader([first_line.rstrip("\r")], delimiter=delimiter))
    names = [normalise_header(name) for name in written]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise FileFormatError(f"{path}: line 1: column(s) {', '.join(repeated)} appear more than once")
    frame = pd.read_csv(
        io.StringIO(text),
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
    return DelimitedText(frame, encoding, delimiter, dict(zip(names, written, strict=True)))


def _physical_lines(frame: pd.DataFrame) -> pd.Series:
    """Line on which each record starts: records after a quoted multi-line value move down."""
    newlines = sum(frame[column].str.count("\n").fillna(0).astype(int) for column in frame.columns)
    extra_before = newlines.cumsum().shift(1, fill_value=0) if len(frame) else newlines
    return pd.RangeIndex(2, len(frame) + 2).to_series().reset_index(drop=True) + extra_before.to_numpy()
