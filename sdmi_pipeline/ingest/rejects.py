"""One reject row per problem of a delivery: the reader's issues, the contract's failures and the
lines that never became a row, each with file line, column and value as delivered and the reason."""

from collections.abc import Callable

import pandas as pd

from sdmi_pipeline.contracts.contract import Contract


def reject_rows(
    failures: pd.DataFrame,
    issues: pd.DataFrame,
    raw_of: Callable[[list[int]], pd.DataFrame],
    contract: Contract,
    unreadable: pd.DataFrame | None,
) -> pd.DataFrame:
    """One reject per problem (the reader's issues, then contract failures not already among
    them) and per unreadable line: line, column as delivered, value as delivered, reason.
    `raw_of(lines)` gives the values as delivered on those lines, indexed by line."""
    known = set(zip(issues["line"], issues["column"], strict=True))
    failures = failures[
        [
            (line, column) not in known
            for line, column in zip(failures["line"], failures["column"], strict=True)
        ]
    ]
    problems = pd.concat([issues, failures], ignore_index=True).drop_duplicates()
    problems = problems.sort_values(["line", "column"], ignore_index=True)
    source_of = {c.name: c.source or c.name for c in contract.columns}
    named = problems.get("raw_column", pd.Series(None, index=problems.index, dtype="object"))
    raw_columns = [
        raw_column if isinstance(raw_column, str) else source_of.get(column, column)
        for column, raw_column in zip(problems["column"], named, strict=True)
    ]
    raw = raw_of(sorted({int(line) for line in problems["line"]}))
    values = [
        raw.at[line, column] if column in raw.columns else None
        for line, column in zip(problems["line"], raw_columns, strict=True)
    ]
    rejects = pd.DataFrame(
        {
            "line": problems["line"].astype(int),
            "column_name": raw_columns,
            "value": [None if pd.isna(value) else str(value) for value in values],
            "reason": problems["reason"],
        }
    )
    if unreadable is not None and not unreadable.empty:
        lines = unreadable.assign(column_name=None)[list(rejects.columns)]
        rejects = pd.concat([rejects, lines], ignore_index=True).sort_values("line", ignore_index=True)
    return rejects
