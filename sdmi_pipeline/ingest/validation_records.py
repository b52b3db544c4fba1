"""Validation of record-level files read into DuckDB, in DuckDB.

The contract's row rules run as SQL (`contracts.rules`, the same conditions the warehouse's
contract checks use, with the verdicts of the Pandera schema that checks the small formats).
Rejects name file, line, column and value as delivered, exactly as for the other readers
(`rejects.reject_rows`); the accepted rows leave DuckDB once, as Arrow.
"""

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sdmi_pipeline.contracts.contract import Contract
from sdmi_pipeline.contracts.rules import row_failures
from sdmi_pipeline.ingest.readers.records import RecordFile, to_contract_frame
from sdmi_pipeline.ingest.rejects import reject_rows


@dataclass
class RecordRows:
    """A record-level file's accepted rows (Arrow, for DuckDB) and one reject row per problem."""

    accepted_table: pa.Table  # line and the contract's delivered columns
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


def validate_records(read: RecordFile, contract: Contract) -> RecordRows:
    """Validate a record-level file read into DuckDB against its contract, in DuckDB."""
    connection = read.connection
    accepted = read.typed()  # in line order; checked where it is (Arrow), not copied into DuckDB again
    connection.register("checked_rows", accepted)
    failures = row_failures(connection, "checked_rows", contract)
    connection.unregister("checked_rows")
    rejects = reject_rows(failures, read.issues, read.raw_lines, contract, read.unreadable)
    return RecordRows(_without_lines(accepted, rejects["line"].unique().tolist()), rejects, contract)


def _without_lines(rows: pa.Table, lines: list[int]) -> pa.Table:
    """`rows` less those on `lines`."""
    if not lines:
        return rows
    return rows.filter(pc.invert(pc.is_in(rows["line"], value_set=pa.array(lines, pa.int64()))))
