"""Refusals in words a data engineer acts on: what is wrong with a file, and what to do about it.

`content_refusal` looks at a file's first bytes before any reader does, and names what the file
really is when it is not what its name says (empty, UTF-16 text, a workbook or PDF under a text
name, tab-delimited text). `explain` turns a parser's message into one that says what to check.
"""

import re

SNIFF_BYTES = 4096
SIGNATURES = (  # leading bytes → what the file is
    (b"\xff\xfe\x00\x00", "UTF-32 text"),
    (b"\xff\xfe", "UTF-16 text (byte order mark FF FE)"),
    (b"\xfe\xff", "UTF-16 text (byte order mark FE FF)"),
    (b"PK\x03\x04", "a ZIP archive or Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls) or another OLE document"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
)
TEXT_FORMATS = {".csv": "CSV text", ".json": "JSON text"}


def what_it_is(content: bytes) -> str | None:
    """What the leading bytes show the file to be, when it is not plain 8-bit text."""
    for signature, kind in SIGNATURES:
        if content.startswith(signature):
            return kind
    head = content[:SNIFF_BYTES]
    if b"\x00" in head:
        return "binary data or UTF-16 text without a byte order mark (it holds NUL bytes)"
    return None


def content_refusal(content: bytes, name: str) -> str | None:
    """Why a file cannot be read as its name says, before any reader tries; None when it may be."""
    if not content.strip():
        what = "empty (0 bytes)" if not content else "blank (only spaces and line breaks)"
        return f"the file is {what}: the transfer may have failed; deliver it again"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = what_it_is(content)
    if suffix in TEXT_FORMATS and kind is not None:
        return (
            f"the file is {kind}, not the {TEXT_FORMATS[suffix]} its name says; "
            f"save or export it as UTF-8 {TEXT_FORMATS[suffix]}"
        )
    if suffix == ".xlsx" and not content.startswith(b"PK\x03\x04"):
        found = kind or "text"
        return f"the file is {found}, not an Excel workbook (.xlsx); save it from Excel as .xlsx"
    if suffix == ".csv":
        header = content.split(b"\n", 1)[0]
        if b"\t" in header and b";" not in header and b"," not in header:
            return (
                "the file is tab-delimited: its header has tabs and no ',' or ';'; "
                "export it as CSV with ',' or ';' between values"
            )
    return None


EXPLANATIONS = (
    (
        re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)"),
        lambda m: (
            f"line {m[2]} has {m[3]} fields where the header has {m[1]}: a delimiter inside an "
            "unquoted value, or a stray quote; quote every value that holds the delimiter"
        ),
    ),
    (
        re.compile(r"EOF inside string starting at row (\d+)"),
        lambda m: (
            f"a quote opened on data row {m[1]} is never closed (a stray quote, or a file "
            "cut short in transfer); close the quote or deliver the whole file again"
        ),
    ),
    (
        re.compile(r"line contains NUL"),
        lambda m: "the file holds NUL bytes: binary data or UTF-16 text; save it as UTF-8 text",
    ),
)


def explain(message: str) -> str:
    """A parser's message with, in front, what it means for the file when it is a known one."""
    for pattern, meaning in EXPLANATIONS:
        if match := pattern.search(message):
            return f"{meaning(match)} (parser: {message.strip()})"
    return message


def without_path(path: str, message: str) -> str:
    """A recorded message without the path it may start with: shown after the path, it names it once."""
    return message.removeprefix(f"{path}: ")
