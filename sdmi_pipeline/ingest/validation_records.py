"""Validation of record-level files read into DuckDB, with Pandera's Polars backend.

The typed rows go from DuckDB to Polars through Arrow without a copy; the contract in
`schemas/` becomes a `pandera.polars` schema with the same checks and reasons as the pandas one
(`contracts.Contract.pandera_schema`). Rejects name file, line, column and value as delivered,
exactly as for the other readers (`validation.reject_rows`).
"""

from dataclasses import dataclass
from functools import cache, cached_property

import pandas as pd
import pandera.polars as pa
import polars as pl
import pyarrow as pa_arrow

from sdmi_pipeline.contracts.contract import Contract, contract_for, pandera_check
from sdmi_pipeline.ingest.readers.records import RecordFile, to_contract_frame
from sdmi_pipeline.ingest.validation import reason_of, reject_rows

POLARS_TYPES = {
    "VARCHAR": pl.String,
    "INTEGER": pl.Int32,
    "BIGINT": pl.Int64,
    "DOUBLE": pl.Float64,
    "DATE": pl.Date,
    "TIMESTAMP": pl.Datetime,
    "BOOLEAN": pl.Boolean,
}


@dataclass
class RecordRows:
    """A record-level file's accepted rows (Arrow, for DuckDB) and one reject row per problem."""

    accepted_table: pa_arrow.Table  # line and the contract's delivered columns
    rejects: pd.DataFrame
    contract: Contract

    @cached_property
    def accepted(self) -> pd.DataFrame:
        """The accepted rows as pandas, indexed by line (for tests and readers of small formats)."""
        return to_contract_frame(self.accepted_table, self.contract)

    @property
    def rejected_lines(self) -> int:
        return self.rejects["line"].nunique()

    @property
    def accepted_lines(self) -> int:
        return self.accepted_table.num_rows

    def without(self, lines: list[int], rejects: pd.DataFrame) -> "RecordRows":
        """These rows less `lines`, with `rejects` added."""
        keep = _without_lines(self.accepted_table, lines)
        more = pd.concat([self.rejects, rejects], ignore_index=True).sort_values("line", ignore_index=True)
        return RecordRows(keep, more, self.contract)


@cache
def polars_schema(table: str) -> pa.DataFrameSchema:
    """The Pandera (Polars) schema of a contract's delivered columns."""
    contract = contract_for(table)
    return pa.DataFrameSchema(
        {
            c.name: pa.Column(
                POLARS_TYPES[c.type],
                checks=[pandera_check(check) for check in c.checks],  # one Check class for all backends
                nullable=c.nullable,
                unique=c.unique,
            )
            for c in contract.columns
            if c.source is not None
        },
        name=contract.table,
        strict=False,
    )


def polars_failures(rows: pl.DataFrame, contract: Contract) -> pd.DataFrame:
    """One row per failing (line, contract column): line, column, reason."""
    try:
        polars_schema(contract.table).validate(rows, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        wholesale = cases.filter(pl.col("index").is_null())
        if len(wholesale):
            raise ValueError(f"{contract.table}: column-level failure\n{wholesale}") from errors
        cases = after_first_of_each_repeat(cases.with_columns(line=rows["line"].gather(cases["index"])))
        return pd.DataFrame(
            {
                "line": cases["line"].to_numpy().astype("int64"),
                "column": cases["column"].to_list(),
                "reason": [
                    reason_of(contract, column, check, number)
                    for column, check, number in cases.select("column", "check", "check_number").iter_rows()
                ],
            }
        )
    return pd.DataFrame({"line": pd.Series(dtype="int64"), "column": [], "reason": []})


def after_first_of_each_repeat(cases: pl.DataFrame) -> pl.DataFrame:
    """Uniqueness failures without the first line of each repeated value: that line loads
    (pandas' report_duplicates="exclude_first", which the Polars backend does not offer)."""
    repeats = pl.col("check") == "field_uniqueness"
    first = pl.col("line") == pl.col("line").min().over("column", "failure_case")
    return cases.filter(~(repeats & first))


def validate_records(read: RecordFile, contract: Contract) -> RecordRows:
    """Validate a record-level file read into DuckDB against its contract."""
    typed = read.typed()
    failures = polars_failures(pl.from_arrow(typed), contract)
    rejects = reject_rows(failures, read.issues, read.raw_lines, contract, read.unreadable)
    return RecordRows(_without_lines(typed, rejects["line"].unique().tolist()), rejects, contract)


def _without_lines(rows: pa_arrow.Table, lines: list[int]) -> pa_arrow.Table:
    """`rows` less those on `lines`."""
    return pl.from_arrow(rows).filter(~pl.col("line").is_in(pl.Series(lines, dtype=pl.Int64))).to_arrow()
