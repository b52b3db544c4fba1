"""Field parsers shared by the record-level readers: row issues, dates, descriptive labels."""

import pandas as pd

from sdmi_pipeline.reference import codes
from sdmi_pipeline.reference.normalise import map_labels


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
