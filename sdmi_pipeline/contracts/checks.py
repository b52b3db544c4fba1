"""Checks of the warehouse's tables: each against its contract (blocking), and indicator totals
that must add up (blocking). They run in their table's own step (sdmi_pipeline/warehouse/checked_asset.py)."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
)

from sdmi_pipeline.contracts.contract import Contract, contract_for
from sdmi_pipeline.contracts.metadata import markdown
from sdmi_pipeline.contracts.rules import row_rules

BREAKDOWN_DIMENSIONS = (
    "counterpart_area",
    "sex",
    "age",
    "province",
    "education",
    "sector",
    "occupation",
    "scheme",
    "population_type",
    "location",
)
NOT_BROKEN_DOWN = "('_T', '_Z')"
# Units whose values add up: counts, and amounts of money. An amount from a published table may
# have no total (one of its cells not available), so a breakdown of an amount needs none.
COUNT_UNITS = ("persons", "permits")
AMOUNT_UNITS = ("USD million",)


def _sql_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def _differ(found: str, expected: str) -> str:
    """SQL: two sums of DOUBLE values differ by more than rounding in their last binary digits."""
    return f"abs({found} - {expected}) > 1e-9 * greatest(1, abs({expected}))"


@dataclass(frozen=True)
class Violation:
    """Rows of a table that break one rule of its contract."""

    rule: str
    count: int
    examples: pd.DataFrame


def _rule_conditions(contract: Contract) -> list[tuple[str, str, list]]:
    """(rule, SQL condition that flags a violating row, parameters) for every column rule."""
    return [(rule.label, rule.condition, list(rule.parameters)) for rule in row_rules(contract)]


def _rows_breaking(
    connection: duckdb.DuckDBPyConnection, table: str, rows: str, rules: list[tuple[str, str, list]]
) -> list[int]:
    """How many of the `rows` (an SQL condition) break each rule, counted in one scan of the table."""
    if not rules:
        return []
    counts = ", ".join(f"count(*) FILTER (WHERE {condition})" for _, condition, _ in rules)
    parameters = [parameter for _, _, rule_parameters in rules for parameter in rule_parameters]
    return list(connection.execute(f"SELECT {counts} FROM {table} WHERE {rows}", parameters).fetchone())


def _repeated_keys_sql(table: str, key: str, rows: str = "true", partners: str = "true") -> str:
    """SQL: each key value of the `rows` held by more than one row among the `partners` (both SQL
    conditions), with its number of copies.

    Keys are first grouped by their 64-bit hash, then only rows whose hash repeats are grouped
    by the key itself: grouping millions of record keys (text and number) held some 350 MiB at
    10x volume, their hashes a fraction of it. When the partners are more than the rows (a month's
    rows against the whole table), only the partners whose hash is one of the rows' are grouped.
    """
    if rows == partners:
        candidates = f"SELECT hash({key}) AS key_hash FROM {table} WHERE {rows}"
    else:
        candidates = f"""SELECT hash({key}) AS key_hash FROM {table}
        WHERE {partners} AND hash({key}) IN (SELECT hash({key}) FROM {table} WHERE {rows})"""
    return f"""
    WITH repeated_hashes AS ({candidates} GROUP BY key_hash HAVING count(*) > 1)
    SELECT {key}, count(*) AS copies FROM {table}
    WHERE {partners} AND hash({key}) IN (SELECT key_hash FROM repeated_hashes)
    GROUP BY ALL HAVING count(*) > 1"""


@dataclass(frozen=True)
class CheckedRows:
    """Which rows a contract check reads: a table's whole, or the months a build by slices rebuilt.

    The other months' rows were checked when they were built and have not changed since (a build
    by slices deletes and re-inserts only its months; a changed definition builds the table whole).
    A key that holds the month column can only repeat within a month, so the rebuilt months' keys
    are grouped among themselves; any other key (core.pmi_placements': source_file, source_line,
    record-level, so DuckDB holds no PRIMARY KEY index on it) could repeat a key of an untouched
    month, so the rebuilt months' keys are looked up in the whole table.
    """

    table: str
    month_column: str | None = None
    months: tuple[str, ...] = ()

    @classmethod
    def of(cls, table: str, months: Sequence[str] | None, month_column: str | None) -> "CheckedRows":
        """The rows to check after a build that rebuilt `months` of `table`, by its `month_column`
        (months None: built whole, or not built in this step; month_column None: a table not built
        by month). A month not in YYYY-MM form checks the whole table."""
        if months is None or month_column is None or not all(map(_is_month, months)):
            return cls(table)
        return cls(table, month_column, tuple(months))

    @property
    def rows(self) -> str:
        """SQL condition: the rows checked for the row rules."""
        if self.month_column is None:
            return "true"
        if not self.months:  # DuckDB 1.5 refuses `IN ()`
            return "false"
        return f"{self.month_column} IN ({', '.join(repr(month) for month in self.months)})"

    def key_partners(self, primary_key: Sequence[str]) -> str:
        """SQL condition: the rows a checked row's key must not repeat."""
        return self.rows if self.month_column in primary_key else "true"

    def describe(self) -> str:
        if self.month_column is None:
            return "whole table"
        if not self.months:
            return "none (no month rebuilt)"
        return f"months rebuilt by this build: {', '.join(self.months)}"


def _is_month(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}", value) is not None


def contract_violations(
    connection: duckdb.DuckDBPyConnection, contract: Contract, checked: CheckedRows | None = None
) -> list[Violation]:
    """Every contract rule the checked rows break (default: the whole table), with up to five example
    rows each (no row to check: one count)."""
    table, rows = contract.table, (checked.rows if checked else "true")
    if not connection.execute(f"SELECT count(*) FROM {table} WHERE {rows}").fetchone()[0]:
        return []
    violations = []
    rules = _rule_conditions(contract)
    counts = _rows_breaking(connection, table, rows, rules)
    for (rule, condition, parameters), count in zip(rules, counts, strict=True):
        if count:
            examples = connection.execute(
                f"SELECT * FROM {table} WHERE ({rows}) AND ({condition}) LIMIT 5", parameters
            ).df()
            violations.append(Violation(rule, count, examples))
    if contract.primary_key:
        key = ", ".join(contract.primary_key)
        partners = checked.key_partners(contract.primary_key) if checked else "true"
        duplicates = connection.execute(_repeated_keys_sql(table, key, rows, partners)).df()
        if not duplicates.empty:
            violations.append(
                Violation(f"primary key ({key}) is unique", len(duplicates), duplicates.head(5))
            )
    return violations


CONTRACT_CHECK = "meets_contract"
TOTALS_CHECK = "totals_add_up"
OBSERVATIONS = "indicators.observations"


def table_check_specs(table: str) -> list[AssetCheckSpec]:
    """The checks of a table built by the pipeline: its contract, and for observations the totals.

    Both are blocking: if one fails (ERROR), nothing downstream builds and nothing is published.
    """
    key = AssetKey(table.split("."))
    specs = [
        AssetCheckSpec(
            CONTRACT_CHECK,
            asset=key,
            blocking=True,
            description=f"{table} keeps its contract in schemas/: required columns filled, codes from "
            "their code lists, ranges and patterns respected, primary key unique.",
        )
    ]
    if table == OBSERVATIONS:
        specs.append(
            AssetCheckSpec(
                TOTALS_CHECK,
                asset=key,
                blocking=True,
                description="For every count or amount indicator and period, each single-dimension "
                "breakdown sums to its `_T` total, and monthly or quarterly values sum to the annual value.",
            )
        )
    return specs


def table_check_results(
    context: AssetExecutionContext,
    connection: duckdb.DuckDBPyConnection,
    table: str,
    selected: set[str],
    checked: CheckedRows | None = None,
) -> Iterator[AssetCheckResult]:
    """The results of the selected checks of `table`; `checked`: the rows the contract check reads
    (the months this step's build rebuilt by slices), None for the whole table."""
    key = AssetKey(table.split("."))
    if CONTRACT_CHECK in selected:
        checked = checked or CheckedRows(table)
        violations = contract_violations(connection, contract_for(table), checked)
        context.log.info("%s: contract checked on %s", table, checked.describe())
        metadata: dict = {"rows checked": checked.describe(), "rules_broken": len(violations)}
        for violation in violations:
            metadata[f"{violation.rule} (rows)"] = violation.count
            metadata[f"{violation.rule} (examples)"] = markdown(violation.examples)
        yield AssetCheckResult(
            asset_key=key,
            check_name=CONTRACT_CHECK,
            passed=not violations,
            severity=AssetCheckSeverity.ERROR,
            metadata=metadata,
        )
    if TOTALS_CHECK in selected:
        breakdowns = connection.execute(totals_mismatch_sql()).df()
        months = connection.execute(MONTHS_MISMATCH_SQL).df()
        context.log.info("%s breakdown and %s month mismatches", len(breakdowns), len(months))
        yield AssetCheckResult(
            asset_key=key,
            check_name=TOTALS_CHECK,
            passed=breakdowns.empty and months.empty,
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "breakdowns_not_adding_up": len(breakdowns),
                "breakdown_examples": markdown(breakdowns),
                "years_not_matching_months": len(months),
                "month_examples": markdown(months),
            },
        )


def lines_accounted_sql(table: str) -> str:
    """Files (latest read of each path) whose lines do not add up; parameters: source, source.

    A loaded file's accepted lines must be its distinct lines in `table` and its rejected lines
    its distinct lines in meta.rejects; a refused file (rows_read given, status failed) has none
    in `table`. A file unreadable as a whole (rows_read NULL) has no lines to account for.
    Where a line is one row (the key is file, vintage and line), rows are counted: a distinct
    count over millions of record lines held some 500 MiB at 10x volume, and a row loaded twice
    then shows as a mismatch too.
    """
    one_row_per_line = contract_for(table).primary_key == ("source_file", "file_sha256", "line")
    staged_lines = "count(*)" if one_row_per_line else "count(DISTINCT line)"
    return f"""
    WITH files AS (
        SELECT path, sha256, status, rows_read, rows_accepted, rows_rejected FROM meta.raw_files
        WHERE source = ? QUALIFY row_number() OVER (PARTITION BY path ORDER BY loaded_at DESC) = 1
    ),
    staged AS (
        SELECT source_file AS path, file_sha256 AS sha256, {staged_lines} AS lines
        FROM {table} GROUP BY ALL
    ),
    rejected AS (
        SELECT path, sha256, count(DISTINCT line) AS lines FROM meta.rejects WHERE source = ? GROUP BY ALL
    ),
    overlap AS (
        SELECT s.source_file AS path, s.file_sha256 AS sha256, count(DISTINCT s.line) AS lines
        FROM {table} s JOIN meta.rejects r
          ON r.path = s.source_file AND r.sha256 = s.file_sha256 AND r.line = s.line
        GROUP BY ALL
    )
    SELECT f.path, f.status, f.rows_read, f.rows_accepted, f.rows_rejected,
           coalesce(s.lines, 0) AS lines_staged, coalesce(r.lines, 0) AS lines_rejected,
           coalesce(o.lines, 0) AS lines_in_both
    FROM files f
    LEFT JOIN staged s USING (path, sha256) LEFT JOIN rejected r USING (path, sha256)
    LEFT JOIN overlap o USING (path, sha256)
    WHERE f.rows_read IS NOT NULL AND (
        f.rows_read <> f.rows_accepted + f.rows_rejected
        OR coalesce(s.lines, 0) <> f.rows_accepted
        OR (f.status = 'loaded' AND coalesce(r.lines, 0) <> f.rows_rejected)
        OR coalesce(o.lines, 0) > 0)
    ORDER BY f.path"""


def totals_mismatch_sql() -> str:
    """Count observations whose single-dimension breakdown does not sum to their total."""
    others = {
        dimension: " AND ".join(
            f"{other} IN {NOT_BROKEN_DOWN}" for other in BREAKDOWN_DIMENSIONS if other != dimension
        )
        for dimension in BREAKDOWN_DIMENSIONS
    }
    breakdowns = "\nUNION ALL\n".join(
        f"""SELECT indicator_id, freq, time_period, ref_area, unit, '{dimension}' AS dimension,
               sum(value) AS value
        FROM counts WHERE {dimension} NOT IN {NOT_BROKEN_DOWN} AND {others[dimension]} GROUP BY ALL"""
        for dimension in BREAKDOWN_DIMENSIONS
    )
    all_total = " AND ".join(f"{d} IN {NOT_BROKEN_DOWN}" for d in BREAKDOWN_DIMENSIONS)
    return f"""
    WITH counts AS (
        SELECT * FROM indicators.observations WHERE unit IN {_sql_list(COUNT_UNITS + AMOUNT_UNITS)}
    ),
    totals AS (SELECT indicator_id, freq, time_period, ref_area, value FROM counts WHERE {all_total}),
    breakdowns AS ({breakdowns})
    SELECT b.indicator_id, b.freq, b.time_period, b.ref_area, b.dimension,
           b.value AS breakdown_sum, t.value AS total
    FROM breakdowns b LEFT JOIN totals t USING (indicator_id, freq, time_period, ref_area)
    WHERE (t.value IS NULL AND b.unit IN {_sql_list(COUNT_UNITS)}) OR {_differ("b.value", "t.value")}
    ORDER BY ALL"""


# Flows (counts or amounts over a period) add up over the months or quarters of a year; stocks,
# counted at a date, do not. Periods are summed per source: in a year whose months come partly
# from record-level data and partly from published tables, the (provisional) annual value is the
# record-level months'.
STOCK_INDICATORS = ("TKA_STOCK", "REF_HOSTED")
MONTHS_MISMATCH_SQL = f"""
WITH flows AS (
    SELECT * FROM indicators.observations
    WHERE unit IN {_sql_list(COUNT_UNITS + AMOUNT_UNITS)} AND indicator_id NOT IN {STOCK_INDICATORS}
),
monthly AS (
    SELECT indicator_id, source, freq, left(time_period, 4) AS year, ref_area, counterpart_area, sex,
           age, province, education, sector, occupation, scheme, population_type, location,
           sum(value) AS months_sum
    FROM flows WHERE freq IN ('M', 'Q') GROUP BY ALL
)
SELECT m.*, a.value AS annual
FROM monthly m JOIN flows a
  ON a.freq = 'A' AND a.time_period = m.year AND a.indicator_id = m.indicator_id AND a.source = m.source
 AND a.ref_area = m.ref_area AND a.counterpart_area = m.counterpart_area AND a.sex = m.sex
 AND a.age = m.age AND a.province = m.province AND a.education = m.education AND a.sector = m.sector
 AND a.occupation = m.occupation AND a.scheme = m.scheme AND a.population_type = m.population_type
 AND a.location = m.location
WHERE {_differ("m.months_sum", "a.value")}
ORDER BY ALL
LIMIT 1000"""
