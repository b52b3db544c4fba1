"""The physical lines of a delimited text file, each decoded and checked on its own.

A file that is not text (UTF-16, a workbook or archive under a text name, NUL bytes) is refused
whole with words that say so. Otherwise every line is decoded on its own: UTF-8 where it is UTF-8,
else Windows-1252 where that gives text; a line that is neither is unreadable, and the other lines
read as written. A quoted value may span lines, but one that swallows lines looking like records,
never closes or leaves its record with the wrong number of values is a quoting error: each line
it covers is unreadable, by number. So is a line with more or fewer values than the header.
Unreadable lines are blanked in the text (numbers unchanged) and listed with their reason.
"""

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

UTF8_BOM = codecs.BOM_UTF8
UTF16_BOMS = {codecs.BOM_UTF16_LE: "UTF-16 little-endian", codecs.BOM_UTF16_BE: "UTF-16 big-endian"}
NOT_TEXT = {
    b"PK\x03\x04": "a zip archive (an .xlsx workbook?)",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or other OLE document",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
}
SPEC_DELIMITERS = "the spec (section 0) allows comma or semicolon"
# Windows-1252 leaves these bytes undefined; surrogateescape writes an undecodable byte b as U+DC00+b.
NOT_UTF8 = "[\udc80-\udcff]"
NOT_WINDOWS_1252 = "[\udc81\udc8d\udc8f\udc90\udc9d]"
CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
SHOWN = 200  # characters of an unreadable line kept as its value


class FileFormatError(ValueError):
    """The file as a whole cannot be read; names the file and what is wrong."""


@dataclass(frozen=True)
class Lines:
    """A file's lines with unreadable lines blanked, its encoding, and the unreadable lines."""

    lines: pd.Series  # every physical line, decoded, unreadable ones blanked
    encoding: str
    unreadable: pd.DataFrame  # line (1-based), value (as delivered, shortened), reason
    # The header and the lines of records only (blank and unreadable lines left out), and the
    # physical line (1-based) on which each record starts, in file order: what a CSV parser reads.
    records_text: str
    record_lines: np.ndarray

    @property
    def text(self) -> str:
        """The whole text, unreadable lines blanked (line numbers unchanged); joined on demand,
        as only pandas' parse of the few files DuckDB leaves to it reads it."""
        return "\n".join(self.lines)


def refuse_non_text(raw: bytes, path: Path) -> None:
    """Refuse, in words, a file that is not text in a spec encoding."""
    for bom, name in UTF16_BOMS.items():
        if raw.startswith(bom):
            raise FileFormatError(
                f"{path}: the file is {name} (byte order mark {bom.hex(' ').upper()}); "
                "the spec allows UTF-8 or Windows-1252: save it as UTF-8"
            )
    for magic, what in NOT_TEXT.items():
        if raw.startswith(magic):
            raise FileFormatError(f"{path}: a binary file, {what}, under a text file name")
    nul = raw.find(b"\x00")
    if nul < 0:
        return
    sample = raw[:4096]
    if max(sample[0::2].count(0), sample[1::2].count(0)) > len(sample) // 4:
        raise FileFormatError(
            f"{path}: the file is UTF-16 without a byte order mark (every other byte is NUL); "
            "the spec allows UTF-8 or Windows-1252: save it as UTF-8"
        )
    raise FileFormatError(f"{path}: a binary file under a text file name (NUL byte at byte {nul})")


def _shown(lines: pd.Series) -> pd.Series:
    """Lines as delivered for a reject: undecodable bytes as \\xNN, at most SHOWN characters."""
    as_bytes = lines.map(lambda line: line.encode("utf-8", "surrogateescape"))
    return as_bytes.map(lambda line: line.decode("utf-8", "backslashreplace")).str.slice(0, SHOWN)


def decode_lines(raw: bytes, path: Path) -> tuple[pd.Series, str, pd.DataFrame]:
    """Each physical line decoded (UTF-8, else Windows-1252), the encoding and the undecodable lines."""
    refuse_non_text(raw, path)
    bom = raw.startswith(UTF8_BOM)
    body = raw[len(UTF8_BOM) :] if bom else raw
    utf8 = "utf-8-sig" if bom else "utf-8"
    try:
        return pd.Series(body.decode("utf-8").split("\n"), dtype=object), utf8, no_unreadable_lines()
    except UnicodeDecodeError:
        pass
    lines = pd.Series(body.decode("utf-8", "surrogateescape").split("\n"), dtype=object)
    not_utf8 = lines.str.contains(NOT_UTF8)
    as_bytes = lines[not_utf8].map(lambda line: line.encode("utf-8", "surrogateescape"))
    as_1252 = as_bytes.map(lambda line: line.decode("cp1252", "replace"))
    undecodable = lines[not_utf8].str.contains(NOT_WINDOWS_1252) | as_1252.str.contains(CONTROL)
    unreadable = pd.DataFrame(
        {
            "line": undecodable[undecodable].index + 1,
            "value": _shown(lines[undecodable[undecodable].index]).to_numpy(),
            "reason": "line is neither UTF-8 nor Windows-1252 text",
        }
    )
    lines.update(as_1252[~undecodable])
    lines[undecodable[undecodable].index] = ""
    some_utf8 = lines[~not_utf8].str.contains("[^\x00-\x7f]").any()
    fixed = int((~undecodable).sum())
    if not fixed:
        encoding = utf8
    elif not some_utf8:
        encoding = "windows-1252"
    else:
        encoding = f"{utf8}, windows-1252 on {fixed} line{'s' if fixed > 1 else ''}"
    return lines, encoding, unreadable


def no_unreadable_lines() -> pd.DataFrame:
    """The unreadable lines of a file that has none."""
    return pd.DataFrame({"line": pd.Series(dtype=int), "value": pd.Series(dtype=object), "reason": []})


def _opening_quote(line: str, delimiter: str, header: list[str]) -> str:
    """Where on `line` the quote opens that the line leaves open: its character and column."""
    inside, opened, field, field_at_open = False, 0, 0, 0
    for position, character in enumerate(line):  # one line, only a line that leaves a quote open
        if character == '"':
            inside = not inside
            opened, field_at_open = (position, field) if inside else (opened, field_at_open)
        elif character == delimiter and not inside:
            field += 1
    column = header[field_at_open] if field_at_open < len(header) else f"value {field_at_open + 1}"
    return f"character {opened + 1}, in column {column}"


def _quoted_spans(
    lines: list[str], counts: pd.Series, delimiter: str, header: list[str]
) -> tuple[dict[int, str], set[int], set[int]]:
    """Quoted values spanning lines: line (0-based) → reason for each line of a wrong one, the
    lines of the sound ones (their record was counted whole), and the lines those continue on.

    Only a line with an odd number of quotes can open such a value, so only those are parsed.
    """
    errors: dict[int, str] = {}
    sound: set[int] = set()
    continued: set[int] = set()
    covered = -1
    fields = len(header)
    for start in counts[counts % 2 == 1].index:
        if start <= covered or start == 0:
            continue
        reader = csv.reader((lines[k] + "\n" for k in range(start, len(lines))), delimiter=delimiter)
        record = next(reader)
        end = start + reader.line_num - 1
        if end == start:
            continue  # a quote inside an unquoted value
        covered = end
        never_closed = end == len(lines) - 1 and int(counts[start : end + 1].sum()) % 2 == 1
        while never_closed and end > start and not lines[end].strip():
            end -= 1  # blank lines at the end of the file are no records
        swallowed = [k for k in range(start + 1, end) if lines[k].count(delimiter) >= fields - 1]
        if never_closed:
            what = f"a quoted value opened on line {start + 1} is never closed"
        elif swallowed:
            what = (
                f"a quoted value opened on line {start + 1} closes only on line {end + 1}, "
                f"taking in {len(swallowed)} line(s) that look like records"
            )
        elif len(record) != fields:
            what = (
                f"a quoted value spans lines {start + 1}-{end + 1} and leaves its record with "
                f"{len(record)} values, the header has {fields}"
            )
        else:
            sound.update(range(start, end + 1))
            continued.update(range(start + 1, end + 1))
            continue
        where = _opening_quote(lines[start], delimiter, header)
        reason = (
            f'quoting error: {what} (a stray "?); lines {start + 1}-{end + 1} rejected; '
            f"the quote opens on line {start + 1}, {where}"
        )
        errors.update(dict.fromkeys(range(start, end + 1), reason))
    return errors, sound, continued


def quotes_per_line(text: str, delimiter: str) -> pd.Series:
    """The number of quotes on each line of `text`."""
    return _counts_per_line(text, delimiter)[0]


def _counts_per_line(text: str, delimiter: str) -> tuple[pd.Series, pd.Series]:
    """Quotes, and values outside quotes, on each line of `text`: vectorised over its bytes.

    A delimiter is outside quotes when the quotes before it on its line are even in number.
    """
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    newlines = np.flatnonzero(data == ord("\n"))
    quote_positions = np.flatnonzero(data == ord('"'))
    before_line = np.concatenate(([0], np.searchsorted(quote_positions, newlines)))  # quotes before each line
    after_line = np.append(before_line[1:], len(quote_positions))
    delimiters = np.flatnonzero(data == ord(delimiter))
    line_of = np.searchsorted(newlines, delimiters)
    outside = (np.searchsorted(quote_positions, delimiters) - before_line[line_of]) % 2 == 0
    values = np.bincount(line_of[outside], minlength=len(newlines) + 1) + 1
    return pd.Series(after_line - before_line), pd.Series(values)


def _field_count_errors(lines: pd.Series, values: pd.Series, fields: int, skip: set[int]) -> pd.Series:
    """Reason for every single-line record with more or fewer values than the header."""
    wrong = (values != fields) & (values.index > 0) & ~values.index.isin(list(skip))
    blank = lines[wrong].str.strip() == ""  # a blank line is no record
    wrong &= ~wrong.index.isin(blank[blank].index)
    return pd.Series(
        [
            f"line has {count} values, the header has {fields} (an unquoted delimiter inside a value?)"
            if count > fields
            else f"line has {count} of the header's {fields} values (cut short?)"
            for count in values[wrong]
        ],
        index=values[wrong].index,
        dtype=object,
    )


def header_delimiter(first_line: str, path: Path) -> str:
    """`;` or `,`, whichever the header uses more; a tab-delimited header is refused."""
    if not first_line.strip():
        raise FileFormatError(f"{path}: line 1: empty header")
    semicolons, commas, tabs = (first_line.count(mark) for mark in ";,\t")
    if tabs > max(semicolons, commas):
        raise FileFormatError(f"{path}: line 1: the delimiter is tab; {SPEC_DELIMITERS}")
    return ";" if semicolons > commas else ","


def read_lines(raw: bytes, path: Path) -> tuple[Lines, str, list[str]]:
    """The checked lines of a delimited file, its delimiter and its header as written."""
    if not raw.strip():
        raise FileFormatError(f"{path}: the file is empty")
    lines, encoding, unreadable = decode_lines(raw, path)
    first = lines[0].rstrip("\r")
    delimiter = header_delimiter(first, path)
    header = next(csv.reader([first], delimiter=delimiter))
    quotes, values = _counts_per_line("\n".join(lines), delimiter)
    odd = bool((quotes % 2 == 1).any())
    quoting, spans, continued = (
        _quoted_spans(lines.tolist(), quotes, delimiter, header) if odd else ({}, set(), set())
    )
    counts = _field_count_errors(lines, values, len(header), set(quoting) | spans)
    problems = pd.Series(quoting, dtype=object).combine_first(counts)
    found = pd.DataFrame(
        {"line": problems.index + 1, "value": _shown(lines[problems.index]).to_numpy(), "reason": problems}
    )
    lines[problems.index] = ""
    unreadable = pd.concat([unreadable, found], ignore_index=True).sort_values("line", ignore_index=True)
    continuing = lines.index.isin(list(continued))
    starts = (lines.index > 0) & ~continuing & (lines.str.strip() != "").to_numpy()
    parsed = lines[(lines.index == 0) | starts | continuing]
    record_lines = lines.index[starts].to_numpy() + 1
    return (
        Lines(lines, encoding, unreadable, "\n".join(parsed), record_lines),
        delimiter,
        header,
    )
