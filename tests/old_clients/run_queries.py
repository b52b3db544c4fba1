"""Run SQL statements on a DuckDB file, read-only, in whatever DuckDB this Python has.

Usage: python run_queries.py <database> <statements.json>; prints, as JSON, the DuckDB version and
per statement its column names and rows (values as text). Runs in the test's old-client venvs, so
it uses nothing but the standard library and duckdb.
"""

import json
import sys

import duckdb


def main(database: str, statements_file: str) -> None:
    with open(statements_file, encoding="utf-8") as handle:
        statements = json.load(handle)
    connection = duckdb.connect(database, read_only=True)
    results = []
    for statement in statements:
        cursor = connection.execute(statement)
        columns = [column[0] for column in cursor.description]
        rows = [[None if value is None else str(value) for value in row] for row in cursor.fetchall()]
        results.append({"columns": columns, "rows": rows})
    print(json.dumps({"version": duckdb.__version__, "results": results}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
