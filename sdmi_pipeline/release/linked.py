"""The attacker model of the interval audit, built over `sdc_cells` (release.tables.create_cells).

Besides the equations of `tables.equations` (margins, months adding to the year, a share's
numerator and its count cell), a reader knows:

- permit holders at the end of a month are at most those at the end of the month before plus the
  month's new permits (same nationality, province, sex, sector and position), and those of a year
  are December's (an equation of `tables.equations`);
- a share's numerator is at most its denominator (its complement is not negative);
- a hidden count row exists, and a zero count is never a row: it is at least 1; a numerator is
  at least 0;
- the earlier release (release.history): a year-to-date total it published is the sum of the
  months it covered.
"""

import duckdb
import numpy as np
import scipy  # its submodules load on first use: not before a build's first step (docs/benchmarks.md)

from sdmi_pipeline.release import tables
from sdmi_pipeline.release.audit import Model, Relations

STOCK, FLOW = "TKA_STOCK", "TKA_NEW"


def relations(connection: duckdb.DuckDBPyConnection, cells: int) -> Relations:
    incidence = tables.equations(connection).fetchnumpy()
    return Relations(
        equation=np.asarray(incidence["equation"], dtype=np.int64),
        cell=np.asarray(incidence["cell"], dtype=np.int64),
        coefficient=np.asarray(incidence["coefficient"], dtype=float),
        cells=cells,
    )


def _stock_flow_sql() -> str:
    """(row, cell, coefficient): holders(m) - holders(m-1) - new(m) <= 0."""
    same = " AND ".join(f"s.{d} = {alias}.{d}" for alias in ("p", "n") for d in tables.DIMENSIONS)
    return f"""
        WITH pairs AS (
            SELECT s.cell AS stock, p.cell AS before, n.cell AS new,
                   row_number() OVER (ORDER BY s.cell) - 1 AS row
            FROM sdc_cells AS s
            JOIN sdc_cells AS p ON p.indicator_id = '{STOCK}' AND p.freq = 'M' AND p.source = s.source
                AND p.time_period = strftime(strptime(s.time_period, '%Y-%m') - INTERVAL 1 MONTH, '%Y-%m')
            JOIN sdc_cells AS n ON n.indicator_id = '{FLOW}' AND n.freq = 'M' AND n.source = s.source
                AND n.time_period = s.time_period
            WHERE s.indicator_id = '{STOCK}' AND s.freq = 'M' AND {same}
        )
        SELECT row, stock AS cell, 1.0 AS coefficient FROM pairs
        UNION ALL SELECT row, before, -1.0 FROM pairs
        UNION ALL SELECT row, new, -1.0 FROM pairs
        ORDER BY row, cell"""


def _numerator_sql() -> str:
    """(row, cell, coefficient): numerator - denominator <= 0, one row per share cell."""
    return """
        SELECT row_number() OVER (ORDER BY share) - 1 AS row, share AS cell, 1.0 AS coefficient
        FROM sdc_share_denominators
        UNION ALL
        SELECT row_number() OVER (ORDER BY share) - 1, count, -1.0 FROM sdc_share_denominators
        ORDER BY row, cell"""


def _rows(connection: duckdb.DuckDBPyConnection, sql: str, offset: int) -> tuple[np.ndarray, ...]:
    found = connection.sql(sql).fetchnumpy()
    return (
        np.asarray(found["row"], dtype=np.int64) + offset,
        np.asarray(found["cell"], dtype=np.int64),
        np.asarray(found["coefficient"], dtype=float),
    )


def build_model(
    connection: duckdb.DuckDBPyConnection,
    relations: Relations,
    is_count: np.ndarray,
    value: np.ndarray,
    earlier_totals: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Model:
    """The attacker model; `earlier_totals` (row, cell, rhs per row) are the earlier release's totals."""
    cells = relations.cells
    rows, columns, values = [relations.equation], [relations.cell], [relations.coefficient]
    rhs = np.zeros(relations.equations)
    if earlier_totals is not None and len(earlier_totals[0]):
        row, cell, total = earlier_totals
        rows.append(row + relations.equations)
        columns.append(cell)
        values.append(np.ones(len(cell)))
        rhs = np.concatenate([rhs, total])
    equality = scipy.sparse.csc_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))), shape=(len(rhs), cells)
    )
    tables.create_share_denominators(connection)
    stock_row, stock_cell, stock_coefficient = _rows(connection, _stock_flow_sql(), 0)
    stocks = int(stock_row.max()) + 1 if len(stock_row) else 0
    share_row, share_cell, share_coefficient = _rows(connection, _numerator_sql(), stocks)
    inequalities = int(share_row.max()) + 1 if len(share_row) else stocks
    upper = scipy.sparse.csc_matrix(
        (
            np.concatenate([stock_coefficient, share_coefficient]),
            (np.concatenate([stock_row, share_row]), np.concatenate([stock_cell, share_cell])),
        ),
        shape=(inequalities, cells),
    )
    return Model(
        equality, rhs, upper, np.zeros(inequalities), np.where(is_count, np.minimum(value, 1.0), 0.0)
    )
