"""A contract's row rules as SQL: the one reading of each rule that DuckDB checks.

Record-level deliveries are validated with these conditions (`ingest/validation_records.py`) and
the warehouse's tables are checked with them (`checks.py`); Pandera's pandas schema
(`contract.pandera_check`) checks the small formats with the same meaning, which
`tests/test_rule_verdicts.py` holds on edge values.
"""

from dataclasses import dataclass

import duckdb
import pandas as pd

from sdmi_pipeline.contracts.contract import Contract, ContractColumn


def quoted(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Rule:
    """One row rule of a contract column: the SQL condition a breaking row meets."""

    column: str
    kind: str  # not_null | isin | ge | gt | le | pattern | max_length
    reason: str
    condition: str  # NULL where the rule does not apply (a null value)
    parameters: tuple = ()

    @property
    def label(self) -> str:
        """How a table check names the rule."""
        return f"{self.column} is not null" if self.kind == "not_null" else f"{self.column}: {self.reason}"


def column_rules(column: ContractColumn) -> list[Rule]:
    """The rules of one column (uniqueness apart: see `repeated_lines_sql`), in contract order."""
    name = quoted(column.name)
    rules = []
    if not column.nullable:
        reason = column.null_reason or f"{column.name} is missing"
        rules.append(Rule(column.name, "not_null", reason, f"{name} IS NULL"))
    for check in column.checks:
        if check.kind == "isin":
            # a semi-join on the allowed values: seven times list_contains' speed on 250 countries
            condition, parameters = f"NOT ({name} IN (SELECT unnest(?)))", (check.allowed(),)
        elif check.kind in ("ge", "gt", "le"):
            operator = {"ge": "<", "gt": "<=", "le": ">"}[check.kind]
            condition, parameters = f"{name} {operator} ?", (check.argument,)
        elif check.kind == "pattern":  # anchored when the contract loaded
            condition, parameters = f"NOT regexp_full_match({name}, ?)", (check.argument,)
        elif check.kind == "max_length":
            condition, parameters = f"length({name}) > ?", (check.argument,)
        else:
            raise ValueError(f"unknown check kind {check.kind!r}")
        rules.append(Rule(column.name, check.kind, check.reason, condition, parameters))
    return rules


def row_rules(contract: Contract, delivered_only: bool = False) -> list[Rule]:
    """Every column rule of a contract (of its delivered columns only, if asked)."""
    columns = [c for c in contract.columns if c.source is not None or not delivered_only]
    return [rule for column in columns for rule in column_rules(column)]


def repeated_lines_sql(table: str, column: str) -> str:
    """SQL: the `line` of every row whose non-null `column` value an earlier line already holds
    (the first line of each repeated value loads, as Pandera's report_duplicates="exclude_first")."""
    name = quoted(column)
    return f"""SELECT line FROM (
        SELECT line, row_number() OVER (PARTITION BY {name} ORDER BY line) AS copy FROM {table}
        WHERE {name} IN (SELECT {name} FROM {table} GROUP BY {name} HAVING count(*) > 1))
    WHERE copy > 1"""


def row_failures(connection: duckdb.DuckDBPyConnection, table: str, contract: Contract) -> pd.DataFrame:
    """One row per (line, contract column, rule) that a row of `table` (with a `line` column)
    breaks, for the contract's delivered columns: line, column, reason. Rules of one column
    are all reported."""
    rules = row_rules(contract, delivered_only=True)
    frames = [pd.DataFrame({"line": pd.Series(dtype="int64"), "column": [], "reason": []})]
    if rules:
        broken = connection.execute(  # one query per rule reads only its column
            " UNION ALL ".join(
                f"SELECT line, {number} AS rule FROM {table} WHERE {rule.condition}"
                for number, rule in enumerate(rules)
            ),
            [parameter for rule in rules for parameter in rule.parameters],
        ).df()
        frames.append(
            pd.DataFrame(
                {
                    "line": broken["line"].astype("int64"),
                    "column": [rules[number].column for number in broken["rule"]],
                    "reason": [rules[number].reason for number in broken["rule"]],
                }
            )
        )
    for column in contract.columns:
        if column.unique and column.source is not None:
            lines = connection.execute(repeated_lines_sql(table, column.name)).df()["line"]
            reason = column.unique_reason or f"{column.name} repeated"
            repeated = {"line": lines.astype("int64"), "column": column.name, "reason": reason}
            frames.append(pd.DataFrame(repeated))
    return pd.concat(frames, ignore_index=True)
