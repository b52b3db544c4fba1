"""The linear structure of the published count tables: which cells add up to which.

Every count indicator is a set of linked tables: a row with `_T` in a dimension is the sum of
the rows that differ from it only in that dimension (the single margins and the dimension x sex
crossings alike), and for a flow the annual row is the sum of the months (or quarters) of its
year with the same key; the permit holders of a year are those of its December. A share's
numerator (women, informal sector, G2G scheme) is a count too: it adds up over the other
dimensions like the counts do, and where the count table holds the same cell (PMI_PLACED with
sex F for the share of women) the two are one quantity.

`equations` gives these relations as incidence rows (equation, cell, coefficient): the
coefficients of an equation sum the cells to zero (total +1, parts -1).
"""

import duckdb

from sdmi_pipeline.contracts.checks import BREAKDOWN_DIMENSIONS

# Counts of persons (and permits, one per person) that disclosure control protects.
COUNT_INDICATORS = ("PMI_PLACED", "TKA_NEW", "TKA_STOCK", "REF_HOSTED")
# Counted at a date: their months do not add up to the year.
STOCK_INDICATORS = ("TKA_STOCK", "REF_HOSTED")
# A stock whose annual row is its December row (UNHCR's year-end figures come from another count).
YEAR_END_STOCK = "TKA_STOCK"
# Share indicator -> (count indicator, dimension, code of the numerator); the share is `_Z` in it.
SHARES: dict[str, tuple[str, str, str]] = {
    "PMI_PLACED_F_SHARE": ("PMI_PLACED", "sex", "F"),
    "PMI_PLACED_INFORMAL_SHARE": ("PMI_PLACED", "sector", "INFORMAL"),
    "PMI_PLACED_G2G_SHARE": ("PMI_PLACED", "scheme", "G2G"),
}
DIMENSIONS = ("ref_area", *BREAKDOWN_DIMENSIONS)
TABLE_KEY = ("indicator_id", "source", "freq", "time_period")
TOTAL, NOT_APPLICABLE = "_T", "_Z"


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def create_cells(connection: duckdb.DuckDBPyConnection, table: str = "indicators.observations") -> None:
    """Temporary table `sdc_cells`: one row per count or share observation, numbered from 0.

    `weight` is the count the cell stands for: the value of a count, the numerator of a share
    (share x denominator / 100, rounded); `denominator` the count the share divides by.
    """
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE sdc_cells AS
        WITH cells AS (
            SELECT * FROM {table}
            WHERE indicator_id IN {sql_list([*COUNT_INDICATORS, *SHARES])}
        ),
        denominators AS ({_denominators_sql()}
        )
        SELECT (row_number() OVER (ORDER BY {", ".join((*TABLE_KEY, *DIMENSIONS))}) - 1)::INTEGER AS cell, *
        FROM (
            SELECT c.indicator_id, c.source, c.freq, c.time_period, {", ".join(f"c.{d}" for d in DIMENSIONS)},
                   c.value, n.denominator,
                   CASE WHEN n.denominator IS NULL THEN c.value
                        ELSE round(c.value * n.denominator / 100) END AS weight
            FROM cells AS c
            LEFT JOIN denominators AS n USING ({", ".join(TABLE_KEY)}, {", ".join(DIMENSIONS)})
        )
    """)


def _share_pairs_sql(code_of_count: str, select: str) -> str:
    """Each share row joined with the PMI_PLACED row of its key, the share's dimension `code_of_count`."""
    rows = []
    for share, (count, dimension, code) in SHARES.items():
        others = [column for column in ("source", "freq", "time_period", *DIMENSIONS) if column != dimension]
        wanted = f"'{code}'" if code_of_count == "numerator" else f"'{TOTAL}'"
        rows.append(f"""
            SELECT {select} FROM {{cells}} AS s JOIN {{cells}} AS c USING ({", ".join(others)})
            WHERE s.indicator_id = '{share}' AND c.indicator_id = '{count}' AND c.{dimension} = {wanted}""")
    return " UNION ALL ".join(rows)


def _denominators_sql() -> str:
    columns = ", ".join(f"s.{column}" for column in (*TABLE_KEY, *DIMENSIONS))
    return _share_pairs_sql("denominator", f"{columns}, c.value AS denominator").format(cells="cells")


def _margin_sql(dimension: str) -> str:
    others = [column for column in (*TABLE_KEY, *DIMENSIONS) if column != dimension]
    return f"""
        SELECT 'margin:{dimension}:' || p.cell AS equation, p.cell AS parent, c.cell AS part
        FROM sdc_cells AS p JOIN sdc_cells AS c USING ({", ".join(others)})
        WHERE p.{dimension} = '{TOTAL}' AND c.{dimension} NOT IN ('{TOTAL}', '{NOT_APPLICABLE}')"""


def _periods_sql() -> str:
    flows = [c for c in COUNT_INDICATORS if c not in STOCK_INDICATORS]
    flows += [share for share, (count, _, _) in SHARES.items() if count in flows]
    return f"""
        SELECT 'year:' || p.cell AS equation, p.cell AS parent, c.cell AS part
        FROM sdc_cells AS p JOIN sdc_cells AS c USING (indicator_id, source, {", ".join(DIMENSIONS)})
        WHERE p.freq = 'A' AND c.freq IN ('M', 'Q') AND left(c.time_period, 4) = p.time_period
          AND p.indicator_id IN {sql_list(flows)}"""


def _year_end_sql() -> str:
    """Permit holders of a year are those at the end of its December (the warehouse counts them so)."""
    return f"""
        SELECT 'year-end:' || p.cell AS equation, p.cell AS parent, c.cell AS part
        FROM sdc_cells AS p JOIN sdc_cells AS c USING (indicator_id, source, {", ".join(DIMENSIONS)})
        WHERE p.freq = 'A' AND c.freq = 'M' AND c.time_period = p.time_period || '-12'
          AND p.indicator_id = '{YEAR_END_STOCK}'"""


def _numerators_sql() -> str:
    """A share's numerator is the count cell with the numerator's code, where that cell is published."""
    select = "'numerator:' || s.cell AS equation, s.cell AS parent, c.cell AS part"
    return _share_pairs_sql("numerator", select).format(cells="sdc_cells")


def equations(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """Incidence of every relation among `sdc_cells`: (equation, cell, coefficient) rows."""
    relations = " UNION ALL ".join(
        [*(_margin_sql(d) for d in DIMENSIONS), _periods_sql(), _year_end_sql(), _numerators_sql()]
    )
    return connection.sql(f"""
        WITH relations AS ({relations}),
        numbered AS (SELECT dense_rank() OVER (ORDER BY equation)::INTEGER - 1 AS equation, parent, part
                     FROM relations)
        SELECT * FROM (
            SELECT DISTINCT equation, parent AS cell, 1.0 AS coefficient FROM numbered
            UNION ALL
            SELECT equation, part, -1.0 FROM numbered
        ) ORDER BY equation, cell
    """)


def share_links(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """(share, count) cell pairs: each share with its numerator and its denominator count cell."""
    select = "s.cell AS share, c.cell AS count"
    pairs = [
        _share_pairs_sql(role, select).format(cells="sdc_cells") for role in ("numerator", "denominator")
    ]
    return connection.sql(" UNION ALL ".join(pairs) + " ORDER BY share, count")


def create_share_denominators(connection: duckdb.DuckDBPyConnection) -> None:
    """Temporary table `sdc_share_denominators`: (share, count) cells, each share with its denominator."""
    pairs = _share_pairs_sql("denominator", "s.cell AS share, c.cell AS count").format(cells="sdc_cells")
    connection.execute(f"CREATE OR REPLACE TEMP TABLE sdc_share_denominators AS {pairs}")
