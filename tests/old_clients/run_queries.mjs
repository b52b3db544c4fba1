// Run SQL statements on a DuckDB file, read-only, with @duckdb/node-api.
// Usage: node run_queries.mjs <database> <statements.json>; prints, as JSON, the DuckDB version
// and per statement its column names and rows (values as JSON).
import { readFileSync } from "node:fs";
import { DuckDBInstance, version } from "@duckdb/node-api";

const [database, statementsFile] = process.argv.slice(2);
const statements = JSON.parse(readFileSync(statementsFile, "utf-8"));
const instance = await DuckDBInstance.create(database, { access_mode: "READ_ONLY" });
const connection = await instance.connect();
const results = [];
for (const statement of statements) {
  const reader = await connection.runAndReadAll(statement);
  results.push({ columns: reader.columnNames(), rows: reader.getRowsJson() });
}
console.log(JSON.stringify({ version: version(), results }));
