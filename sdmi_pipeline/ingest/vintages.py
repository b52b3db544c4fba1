"""Writing one vintage of a raw file: its accepted rows, its rejects and its meta.raw_files row.

The three are written in one transaction, replacing any earlier write of the same path and content;
a current vintage makes the path's other vintages not current.
"""

import duckdb
import pandas as pd
import pyarrow as pa

from sdmi_pipeline.contracts.contract import Contract, contract_for


def _insertable(rows: pd.DataFrame, contract: Contract) -> pd.DataFrame:
    """Rows as DuckDB can scan them: DECIMAL columns as exact text, cast on insert.

    DuckDB types a column of Python Decimals from a sample of its values, which a longer or
    finer value further down would not fit; text cast to the table's DECIMAL type is exact.
    """
    decimals = [column.name for column in contract.columns if column.type.startswith("DECIMAL")]
    if not decimals:
        return rows
    as_text = {
        name: rows[name].map(lambda value: None if value is None or pd.isna(value) else format(value, "f"))
        for name in decimals
    }
    return rows.assign(**{name: values.astype("string") for name, values in as_text.items()})


def write_vintage(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    source_name: str,
    record: dict,
    accepted: pd.DataFrame | pa.Table | None,
    rejects: pd.DataFrame,
) -> None:
    """Write one vintage's rows (into the staging `table`), rejects and provenance in one transaction."""
    contract = contract_for(table)
    path, digest = record["path"], record["sha256"]
    columns = [column.name for column in contract.columns]
    provenance_columns = [column.name for column in contract_for("meta.raw_files").columns]
    provenance = pd.DataFrame([record])[provenance_columns]
    rejects = rejects.assign(source=source_name, path=path, sha256=digest)
    connection.execute("BEGIN TRANSACTION")
    try:
        connection.execute(f"DELETE FROM {table} WHERE source_file = ? AND file_sha256 = ?", [path, digest])
        connection.execute("DELETE FROM meta.rejects WHERE path = ? AND sha256 = ?", [path, digest])
        connection.execute("DELETE FROM meta.raw_files WHERE path = ? AND sha256 = ?", [path, digest])
        if isinstance(accepted, pa.Table):  # a record-level file: line and the delivered columns
            connection.register("accepted_rows", accepted)
            connection.execute(
                f"""INSERT INTO {table} BY NAME SELECT $path AS source_file,
                    $digest AS file_sha256, * FROM accepted_rows""",
                {"path": path, "digest": digest},
            )
            connection.unregister("accepted_rows")
        elif accepted is not None:
            connection.register("accepted_rows", _insertable(accepted[columns], contract))
            connection.execute(f"INSERT INTO {table} SELECT * FROM accepted_rows")
            connection.unregister("accepted_rows")
        if accepted is not None and record["is_current"]:
            connection.execute("UPDATE meta.raw_files SET is_current = false WHERE path = ?", [path])
        connection.register("reject_rows", rejects)
        connection.execute(
            """INSERT INTO meta.rejects BY NAME
               SELECT source, path, sha256, line, column_name, value, reason FROM reject_rows"""
        )
        connection.unregister("reject_rows")
        connection.register("provenance_row", provenance)
        connection.execute("INSERT INTO meta.raw_files SELECT * FROM provenance_row")
        connection.unregister("provenance_row")
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
