"""Numbers as publishers' APIs and files write them: JSON numbers or plain numeric strings.

A string with a thousands separator (`1,234`, `1.234` for a count) is rejected, never guessed:
`1.234` is 1234 in an Indonesian publication and 1.234 in an API answer.
"""

import math
import re
from decimal import Decimal
from typing import Any

import pandas as pd

from sdmi_pipeline.ingest.readers.fields import row_issues

WHOLE = re.compile(r"[+-]?\d+")
DECIMAL = re.compile(r"[+-]?\d+(\.\d+)?")
WHOLE_NUMBER = "a whole number (plain digits, without thousands separators)"


def no_issues() -> pd.DataFrame:
    return pd.DataFrame({"line": pd.Series(dtype=int), "column": [], "reason": [], "raw_column": []})


def _missing(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(value: Any) -> str:
    """A value as the publisher wrote it, for a reason."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _whole(value: Any) -> int | None:
    """The whole number a value writes, or None when it writes none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        return int(value) if math.isfinite(value) and value == int(value) else None
    if isinstance(value, str) and WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _decimal(value: Any) -> Decimal | None:
    """The number a value writes (`.` as the decimal mark), or None when it writes none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal | float):
        return Decimal(str(value)) if math.isfinite(value) else None
    if isinstance(value, str) and DECIMAL.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


NIL = "-"


def nil_as_zero(values: pd.Series) -> pd.Series:
    """`-` (nil, spec §0; the UNHCR API's mark for no one) as 0; other values unchanged."""
    is_nil = values.map(lambda value: isinstance(value, str) and value.strip() == NIL)
    return values.mask(is_nil, 0)


def whole_numbers(
    values: pd.Series, column: str, raw_column: str | None = None, what: str = WHOLE_NUMBER
) -> tuple[pd.Series, pd.DataFrame]:
    """Whole numbers (Int64; NA where missing) and an issue for each value that is none.

    A value is a JSON integer, a JSON number without a fraction, or a string of digits.
    """
    parsed = {line: None if _missing(value) else _whole(value) for line, value in values.items()}
    bad = pd.Series(
        {line: not _missing(values[line]) and number is None for line, number in parsed.items()},
        index=values.index,
        dtype=bool,
    )
    reasons = pd.Series(
        {line: f'{raw_column or column} "{_text(values[line])}" is not {what}' for line in bad[bad].index},
        dtype="object",
    )
    numbers = pd.Series([parsed[line] for line in values.index], index=values.index, dtype="Int64")
    return numbers, row_issues(bad, column, reasons, raw_column)


def decimal_numbers(
    values: pd.Series, column: str, raw_column: str | None = None
) -> tuple[pd.Series, pd.DataFrame]:
    """Exact numbers (object Series of Decimal; None where missing) and an issue for each value that is none.

    A value is a JSON number or a string of digits with `.` as the decimal mark.
    """
    parsed = {line: None if _missing(value) else _decimal(value) for line, value in values.items()}
    bad = pd.Series(
        {line: not _missing(values[line]) and number is None for line, number in parsed.items()},
        index=values.index,
        dtype=bool,
    )
    reasons = pd.Series(
        {
            line: f'{raw_column or column} "{_text(values[line])}" is not a number '
            '(digits with "." as the decimal mark, without thousands separators)'
            for line in bad[bad].index
        },
        dtype="object",
    )
    numbers = pd.Series([parsed[line] for line in values.index], index=values.index, dtype="object")
    return numbers, row_issues(bad, column, reasons, raw_column)


NOT_AVAILABLE = {"", "..", "...", "n.a.", "n.a", "na", "n/a"}
_PLAIN = re.compile(r"\d+")
_INDONESIAN = re.compile(r"\d{1,3}(\.\d{3})*(,\d+)?|\d+,\d+")  # 274.965 · 1.234,5 · 12,5
_ENGLISH = re.compile(r"\d{1,3}(,\d{3})*(\.\d+)?|\d+\.\d+")  # 274,965 · 1,234.5 · 12.5
INDONESIAN, ENGLISH = "Indonesian", "English"
PRINTED_FORMATS = (
    '(Indonesian "1.234,5" or English "1,234.5"; "-" for nil; "..", "n.a." or empty when not available)'
)


def _read_as(text: str, convention: str) -> Decimal:
    thousands, decimal_mark = (".", ",") if convention == INDONESIAN else (",", ".")
    return Decimal(text.replace(thousands, "").replace(decimal_mark, "."))


def printed_number(value: Any, convention: str, whole: bool = False) -> Decimal | None:
    """A number as a publication prints it; None when not available, 0 for nil (`-`).

    `convention` (INDONESIAN or ENGLISH) decides a value with one kind of separator (`1.234`);
    a value with both (`1.234,5`, `1,234.5`) reads the same either way. A count (`whole`) may use
    either thousands separator: `1,234` cannot be a count in Indonesian notation. Raises ValueError
    with the reason for anything else.
    """
    if isinstance(value, bool):
        raise ValueError(f'"{value}" is not a number {PRINTED_FORMATS}')
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = "" if value is None else str(value).replace("\u00a0", " ").strip()
        if text.casefold() in NOT_AVAILABLE:
            return None
        if text == NIL:
            return Decimal(0)
        negative = text.startswith("-")
        digits = text.removeprefix("-")
        readings = [
            _read_as(digits, convention)
            for convention, pattern in ((INDONESIAN, _INDONESIAN), (ENGLISH, _ENGLISH))
            if _PLAIN.fullmatch(digits) or pattern.fullmatch(digits)
        ]
        if whole:
            readings = [reading for reading in readings if reading == reading.to_integral_value()]
        if not readings:
            what = "a whole number" if whole else "a number"
            raise ValueError(f'"{value}" is not {what} {PRINTED_FORMATS}')
        preferred = _read_as(digits, convention) if len(set(readings)) > 1 else readings[0]
        number = -preferred if negative else preferred
    if whole and number != number.to_integral_value():
        raise ValueError(f'"{value}" is not a whole number {PRINTED_FORMATS}')
    return number


def printed_numbers(
    values: pd.Series, column: str, convention: str, raw_column: str | None = None
) -> tuple[pd.Series, pd.DataFrame]:
    """Numbers as a publication prints them (see `printed_number`) and an issue for each value that is none.

    An object Series of Decimal, None where not available; each distinct value is read once.
    """
    readings: dict[Any, Decimal | ValueError | None] = {}
    for value in values.dropna().unique():
        try:
            readings[value] = printed_number(value, convention)
        except ValueError as error:
            readings[value] = error
    read = values.map(lambda value: None if _missing(value) else readings[value])
    bad = read.map(lambda reading: isinstance(reading, ValueError)).astype(bool)
    reasons = pd.Series(
        {line: f"{raw_column or column} {read[line]}" for line in bad[bad].index}, dtype="object"
    )
    numbers = read.where(~bad, None).astype("object")
    return numbers, row_issues(bad, column, reasons, raw_column)
