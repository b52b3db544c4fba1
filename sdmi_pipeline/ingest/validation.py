"""Row-level validation of a delivery against its contract, with Pandera.

Rows that fail go to the rejects with file, line, the column as delivered, the value as
delivered and the contract's reason; the other rows load.
"""

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from sdmi_pipeline.contracts.contract import Contract
from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.records import RecordFile
from sdmi_pipeline.ingest.rejects import reject_rows
from sdmi_pipeline.ingest.validation_records import RecordRows, validate_records


@dataclass(frozen=True)
class ValidatedRows:
    """Rows of one file split into accepted rows and one reject row per problem."""

    accepted: pd.DataFrame
    rejects: pd.DataFrame

    @property
    def rejected_lines(self) -> int:
        return self.rejects["line"].nunique()


def reason_of(contract: Contract, column: str, check: str, check_number: object) -> str:
    spec = contract.column(column)
    if check == "not_nullable":
        return spec.null_reason or f"{column} is missing"
    if check == "field_uniqueness":
        return spec.unique_reason or f"{column} repeated"
    if check_number is not None and not pd.isna(check_number):
        return spec.checks[int(check_number)].reason
    return f"{column}: {check}"


def pandera_failures(frame: pd.DataFrame, contract: Contract) -> pd.DataFrame:
    """One row per failing (line, contract column): line, column, reason."""
    try:
        contract.pandera_schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        wholesale = cases[cases["index"].isna()]
        if not wholesale.empty:
            raise ValueError(f"{contract.table}: column-level failure\n{wholesale}") from errors
        return pd.DataFrame(
            {
                "line": cases["index"].astype(int),
                "column": cases["column"],
                "reason": [
                    reason_of(contract, column, check, number)
                    for column, check, number in zip(
                        cases["column"], cases["check"], cases["check_number"], strict=True
                    )
                ],
            }
        )
    return pd.DataFrame({"line": [], "column": [], "reason": []})


def validate_rows(
    frame: pd.DataFrame,
    raw: pd.DataFrame,
    contract: Contract,
    issues: pd.DataFrame,
    unreadable: pd.DataFrame | None = None,
) -> ValidatedRows:
    """Validate typed rows (indexed by line) against the contract.

    `issues` (line, column, reason, optional raw_column) are problems the reader already found, such as a date
    outside the file's month; a contract failure on the same line and column is not repeated.
    `raw` holds the values as delivered, so each reject shows what the publisher sent.
    `unreadable` (line, value, reason) are lines that never became a row (a quoting error, an
    undecodable line); each is rejected with the whole line as its value.
    """
    rejects = reject_rows(pandera_failures(frame, contract), issues, lambda _: raw, contract, unreadable)
    accepted = frame.drop(index=rejects["line"].unique(), errors="ignore")
    return ValidatedRows(accepted, rejects)


def validate_file(read: ReadFile | RecordFile, contract: Contract) -> ValidatedRows | RecordRows:
    """Validate a file as read: its rows, the issues its reader found and its unreadable lines
    (a record-level file in DuckDB, validation_records.py)."""
    if isinstance(read, RecordFile):
        return validate_records(read, contract)
    return validate_rows(read.rows, read.raw, contract, read.issues, read.unreadable)
