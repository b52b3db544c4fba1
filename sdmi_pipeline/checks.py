"""Asset checks: each table against its contract (blocking), deliveries' rejects (warning),
and indicator totals that must add up (blocking)."""

from dataclasses import dataclass

import duckdb
import pandas as pd
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)

from sdmi_pipeline.contracts import Contract, contract_for
from sdmi_pipeline.ingest import Source
from sdmi_pipeline.metadata import markdown
from sdmi_pipeline.warehouse import WAREHOUSE_POOL, WarehouseResource

REJECT_SHARE_TOLERANCE = 0.05
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
    rules = []
    for column in contract.columns:
        if not column.nullable:
            rules.append((f"{column.name} is not null", f"{column.name} IS NULL", []))
        for check in column.checks:
            rule = f"{column.name}: {check.reason}"
            if check.kind == "isin":
                condition = f"{column.name} IS NOT NULL AND NOT list_contains(?, {column.name})"
                rules.append((rule, condition, [check.allowed()]))
            elif check.kind in ("ge", "gt", "le"):
                operator = {"ge": "<", "gt": "<=", "le": ">"}[check.kind]
                rules.append((rule, f"{column.name} {operator} ?", [check.argument]))
            elif check.kind == "pattern":
                rules.append((rule, f"NOT regexp_full_match({column.name}, ?)", [check.argument]))
            elif check.kind == "max_length":
                rules.append((rule, f"length({column.name}) > ?", [check.argument]))
    return rules


def _rows_breaking(
    connection: duckdb.DuckDBPyConnection, table: str, rules: list[tuple[str, str, list]]
) -> list[int]:
    """How many rows break each rule, counted in one scan of the table."""
    if not rules:
        return []
    counts = ", ".join(f"count(*) FILTER (WHERE {condition})" for _, condition, _ in rules)
    parameters = [parameter for _, _, rule_parameters in rules for parameter in rule_parameters]
    return list(connection.execute(f"SELECT {counts} FROM {table}", parameters).fetchone())


def _repeated_keys_sql(table: str, key: str) -> str:
    """SQL: each key value held by more than one row, with its number of copies.

    Keys are first grouped by their 64-bit hash, then only rows whose hash repeats are grouped
    by the key itself: grouping millions of record keys (text and number) held some 350 MiB at
    10x volume, their hashes a fraction of it.
    """
    return f"""
    WITH repeated_hashes AS (
        SELECT hash({key}) AS key_hash FROM {table} GROUP BY key_hash HAVING count(*) > 1
    )
    SELECT {key}, count(*) AS copies FROM {table}
    WHERE hash({key}) IN (SELECT key_hash FROM repeated_hashes)
    GROUP BY ALL HAVING count(*) > 1"""


def contract_violations(connection: duckdb.DuckDBPyConnection, contract: Contract) -> list[Violation]:
    """Every contract rule the table breaks, with up to five example rows each."""
    violations = []
    rules = _rule_conditions(contract)
    counts = _rows_breaking(connection, contract.table, rules)
    for (rule, condition, parameters), count in zip(rules, counts, strict=True):
        if count:
            examples = connection.execute(
                f"SELECT * FROM {contract.table} WHERE {condition} LIMIT 5", parameters
            ).df()
            violations.append(Violation(rule, count, examples))
    if contract.primary_key:
        key = ", ".join(contract.primary_key)
        duplicates = connection.execute(_repeated_keys_sql(contract.table, key)).df()
        if not duplicates.empty:
            violations.append(
                Violation(f"primary key ({key}) is unique", len(duplicates), duplicates.head(5))
            )
    return violations


def contract_check(table: str) -> AssetChecksDefinition:
    """Blocking check that `table` keeps its contract: nothing downstream builds if it fails."""
    contract = contract_for(table)

    @asset_check(
        pool=WAREHOUSE_POOL,
        asset=AssetKey(table.split(".")),
        name="meets_contract",
        blocking=True,
        description=f"{table} keeps its contract in schemas/: required columns filled, codes from "
        "their code lists, ranges and patterns respected, primary key unique.",
    )
    def _check(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as connection:
            violations = contract_violations(connection, contract)
        metadata: dict = {"rules_broken": len(violations)}
        for violation in violations:
            metadata[f"{violation.rule} (rows)"] = violation.count
            metadata[f"{violation.rule} (examples)"] = markdown(violation.examples)
        return AssetCheckResult(passed=not violations, severity=AssetCheckSeverity.ERROR, metadata=metadata)

    return _check


def source_checks(source: Source) -> list[AssetChecksDefinition]:
    """Warnings on a delivery: files that could not be read, and how many rows were rejected."""
    key = AssetKey(source.table.split("."))

    @asset_check(
        pool=WAREHOUSE_POOL,
        asset=key,
        name="files_readable",
        description="Every file of the source could be read as a whole (name, encoding, header), and every "
        "file of aggregates loaded whole (one bad cell refuses it; its previous vintage stays current).",
    )
    def files_readable(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as connection:
            failed = connection.execute(
                """SELECT path, error, loaded_at FROM meta.raw_files
                   WHERE source = ? QUALIFY row_number() OVER (PARTITION BY path ORDER BY loaded_at DESC) = 1
                   AND status = 'failed' ORDER BY path""",
                [source.name],
            ).df()
        return AssetCheckResult(
            passed=failed.empty,
            severity=AssetCheckSeverity.WARN,
            metadata={"files_failed": len(failed), "failures": markdown(failed, limit=20)},
        )

    @asset_check(
        pool=WAREHOUSE_POOL,
        asset=key,
        name="rejected_rows",
        description=f"At most {REJECT_SHARE_TOLERANCE:.0%} of the rows of the current files are rejected; "
        "reasons and examples in the metadata, every reject in meta.rejects.",
    )
    def rejected_rows(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as connection:
            read, rejected = connection.execute(
                """SELECT coalesce(sum(rows_read), 0), coalesce(sum(rows_rejected), 0)
                   FROM meta.raw_files WHERE source = ? AND is_current""",
                [source.name],
            ).fetchone()
            current_rejects = """FROM meta.rejects r JOIN meta.raw_files f
                ON f.path = r.path AND f.sha256 = r.sha256 AND f.is_current WHERE r.source = ?"""
            by_reason = connection.execute(
                f"SELECT r.reason, count(*) AS rows {current_rejects} GROUP BY ALL ORDER BY rows DESC",
                [source.name],
            ).df()
            examples = connection.execute(
                f"SELECT r.path, r.line, r.column_name, r.value, r.reason {current_rejects} "
                "ORDER BY r.path, r.line LIMIT 10",
                [source.name],
            ).df()
        share = rejected / read if read else 0.0
        return AssetCheckResult(
            passed=share <= REJECT_SHARE_TOLERANCE,
            severity=AssetCheckSeverity.WARN,
            metadata={
                "rows_read": int(read),
                "rows_rejected": int(rejected),
                "reject_share": MetadataValue.float(round(share, 6)),
                "by_reason": markdown(by_reason, limit=30),
                "examples": markdown(examples),
            },
        )

    @asset_check(
        pool=WAREHOUSE_POOL,
        asset=key,
        name="lines_accounted",
        description="For the latest read of every file: data lines read = accepted + rejected, the "
        "accepted lines are in the staging table, the rejected ones in meta.rejects, none in both.",
    )
    def lines_accounted(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as connection:
            sql = lines_accounted_sql(source.table)
            unbalanced = connection.execute(sql, [source.name, source.name]).df()
        return AssetCheckResult(
            passed=unbalanced.empty,
            severity=AssetCheckSeverity.ERROR,
            metadata={"files_unbalanced": len(unbalanced), "files": markdown(unbalanced, limit=20)},
        )

    @asset_check(
        pool=WAREHOUSE_POOL,
        asset=key,
        name="revisions_not_held",
        description="No revision of the source is held back by the revision guard (it lost more than the "
        "allowed share of its predecessor's accepted rows, or holds no data row); `sdmi accept PATH` "
        "lets one through.",
    )
    def revisions_not_held(warehouse: WarehouseResource) -> AssetCheckResult:
        with warehouse.connect() as connection:
            held = connection.execute(
                """SELECT h.path, c.rows_accepted AS current_rows, h.rows_accepted AS revision_rows,
                          h.sha256, h.error
                   FROM meta.raw_files AS h
                   LEFT JOIN meta.raw_files AS c ON c.path = h.path AND c.is_current
                   WHERE h.source = ?
                   QUALIFY row_number() OVER (PARTITION BY h.path ORDER BY h.loaded_at DESC) = 1
                   AND h.status = 'held' ORDER BY h.path""",
                [source.name],
            ).df()
        return AssetCheckResult(
            passed=held.empty,
            severity=AssetCheckSeverity.WARN,
            metadata={"revisions_held": len(held), "held": markdown(held, limit=20)},
        )

    return [files_readable, rejected_rows, lines_accounted, revisions_not_held]


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


@asset_check(
    pool=WAREHOUSE_POOL,
    asset=AssetKey(["indicators", "observations"]),
    name="totals_add_up",
    blocking=True,
    description="For every count or amount indicator and period, each single-dimension breakdown sums "
    "to its `_T` total, and monthly or quarterly values sum to the annual value.",
)
def totals_add_up(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.connect() as connection:
        breakdowns = connection.execute(totals_mismatch_sql()).df()
        months = connection.execute(MONTHS_MISMATCH_SQL).df()
    context.log.info("%s breakdown and %s month mismatches", len(breakdowns), len(months))
    return AssetCheckResult(
        passed=breakdowns.empty and months.empty,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "breakdowns_not_adding_up": len(breakdowns),
            "breakdown_examples": markdown(breakdowns),
            "years_not_matching_months": len(months),
            "month_examples": markdown(months),
        },
    )


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
