"""Pieces shared by the readers: file-name months, required columns, row issues, dates, labels."""

import re
from pathlib import Path

import pandas as pd

from sdmi_pipeline.ingest.readers.text import FileFormatError
from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.normalise import map_labels


def month_in_name(path: Path, name: re.Pattern[str], template: str) -> pd.Period:
    """The month a file covers, from the (year, month) groups of its `name` pattern."""
    match = name.fullmatch(path.name)
    if not match:
        raise FileFormatError(f"{path}: name does not match {template}")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise FileFormatError(f"{path}: month {month:02d} in the file name does not exist")
    return pd.Period(year=year, month=month, freq="M")


def require_columns(raw: pd.DataFrame | dict[str, str], required: tuple[str, ...], path: Path) -> None:
    """Refuse a file whose header (a frame's columns, or a header's names) lacks a required column."""
    names = raw.columns if isinstance(raw, pd.DataFrame) else list(raw)
    missing = [column for column in required if column not in names]
    if missing:
        raise FileFormatError(f"{path}: line 1: required column(s) missing: {', '.join(missing)}")


def row_issues(
    mask: pd.Series, column: str, reason: pd.Series | str, raw_column: str | None = None
) -> pd.DataFrame:
    """Issues on the lines where `mask` holds; `raw_column` when it is not the contract's source."""
    lines = mask[mask.fillna(False).astype(bool)].index
    reasons = reason[lines] if isinstance(reason, pd.Series) else reason
    return pd.DataFrame(
        {"line": lines.astype(int), "column": column, "reason": reasons, "raw_column": raw_column}
    )


def parse_dates(raw: pd.Series, column: str, what: str) -> tuple[pd.Series, pd.DataFrame]:
    """Dates written YYYY-MM-DD or DD/MM/YYYY; anything else is an issue on `column`."""
    iso = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    day_first = pd.to_datetime(raw, format="%d/%m/%Y", errors="coerce")
    dates = iso.fillna(day_first)
    unreadable = raw.notna() & dates.isna()
    return dates, row_issues(unreadable, column, f"{what} is neither YYYY-MM-DD nor DD/MM/YYYY")


def descriptive(raw: pd.Series, lookup: dict[str, str]) -> pd.Series:
    """Code of a descriptive label: mapped, OTHER when unmapped, _U when empty."""
    mapped = map_labels(raw, lookup)
    return mapped.fillna(codes.OTHER).where(raw.notna(), codes.UNKNOWN).astype("string")
