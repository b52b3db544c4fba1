"""Keys that must not repeat across a source's current files (`Source.unique_across_files`)."""

import duckdb
import pandas as pd

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.ingest.readers import ReadFile
from sdmi_pipeline.ingest.readers.records import RecordFile
from sdmi_pipeline.ingest.validation import ValidatedRows
from sdmi_pipeline.ingest.validation_records import RecordRows


def reject_repeats_of_other_files(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    column: str,
    relative: str,
    validated: ValidatedRows | RecordRows,
    read: ReadFile | RecordFile,
) -> ValidatedRows | RecordRows:
    """Reject accepted rows whose `column` value another current file of `table` already holds
    (the first file keeps it)."""
    if isinstance(validated, RecordRows):
        keys = validated.accepted_table.select(["line", column])
    else:
        keys = validated.accepted[[column]].assign(line=validated.accepted.index.astype("int64"))
    connection.register("incoming_keys", keys)
    repeats = connection.execute(
        f"""SELECT k.line, s.source_file AS other_file, min(s.line) AS other_line
            FROM incoming_keys AS k
            JOIN {table} AS s ON s.{column} = k.{column}
            JOIN meta.raw_files AS f ON f.path = s.source_file AND f.sha256 = s.file_sha256 AND f.is_current
            WHERE s.source_file <> ?
            GROUP BY ALL ORDER BY k.line""",
        [relative],
    ).df()
    connection.unregister("incoming_keys")
    if repeats.empty:
        return validated
    raw_column = contract_for(table).column(column).source or column
    lines = [int(line) for line in repeats["line"]]
    raw = read.raw_lines(lines) if isinstance(read, RecordFile) else read.raw
    rejects = pd.DataFrame(
        {
            "line": repeats["line"].astype(int),
            "column_name": raw_column,
            "value": [str(raw.at[line, raw_column]) for line in lines],
            "reason": [
                f"{raw_column} repeated across files: already in {other} line {other_line}"
                for other, other_line in zip(repeats["other_file"], repeats["other_line"], strict=True)
            ],
        }
    )
    if isinstance(validated, RecordRows):
        return validated.without(lines, rejects)
    return ValidatedRows(
        validated.accepted.drop(index=repeats["line"].unique()),
        pd.concat([validated.rejects, rejects], ignore_index=True).sort_values("line", ignore_index=True),
    )
