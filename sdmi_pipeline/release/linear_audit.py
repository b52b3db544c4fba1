"""Which hidden cells the published cells give away exactly: the linear audit of cell suppression.

Given the relations among cells (release.tables.equations) and which cells are hidden, a hidden
cell is *determined* when every solution of the relations, the published cells held fixed, gives
it the same value: its unit vector lies in the row space of the relations restricted to the
hidden cells (Hundepool et al., Statistical Disclosure Control, Wiley 2012, section 5.3: the
audit of a suppression pattern). The hidden cells split into independent blocks (connected
through shared relations). A small block's row space comes from a singular value decomposition;
a large block is first probed with random vectors of its null space (a hidden cell on which one
of them is not zero can take other values), and only the cells left are checked by decomposition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy  # its submodules load on first use: not before a build's first step (docs/benchmarks.md)
from threadpoolctl import threadpool_limits

if TYPE_CHECKING:
    from scipy.sparse import csc_matrix, csr_matrix

from sdmi_pipeline.release.audit import Relations

RANK_TOLERANCE = 1e-9
DETERMINED_TOLERANCE = 1e-6
DENSE_BLOCK = 300  # cells; larger blocks are probed with random null-space vectors first
PROBES = 2


def determined(relations: Relations, hidden: np.ndarray) -> np.ndarray:
    """Boolean mask of the hidden cells whose value the published cells determine exactly.

    Its decompositions run on one BLAS thread: the blocks are small (at most DENSE_BLOCK columns),
    and OpenBLAS's threads, waiting for work between them, cost more CPU than the work itself,
    many times more when the machine is busy (docs/release.md, "Linear audit")."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _determined(relations, hidden)


def _determined(relations: Relations, hidden: np.ndarray) -> np.ndarray:
    result = np.zeros(relations.cells, dtype=bool)
    on_hidden = hidden[relations.cell]
    equation, cell, coefficient = (
        relations.equation[on_hidden],
        relations.cell[on_hidden],
        relations.coefficient[on_hidden],
    )
    if not len(cell):
        return result
    hidden_cells = np.flatnonzero(hidden)
    column = np.full(relations.cells, -1)
    column[hidden_cells] = np.arange(len(hidden_cells))
    rows = relations.equations
    # Bipartite graph equations + hidden cells; a block is one of its connected components.
    graph = scipy.sparse.coo_matrix(
        (np.ones(len(cell)), (equation, rows + column[cell])), shape=(rows + len(hidden_cells),) * 2
    )
    _, component = scipy.sparse.csgraph.connected_components(graph, directed=False)
    cell_component = component[rows + column[cell]]
    order = np.argsort(cell_component, kind="stable")
    boundaries = np.flatnonzero(np.diff(cell_component[order])) + 1
    for block in np.split(order, boundaries):
        block_cells, local_column = np.unique(cell[block], return_inverse=True)
        block_equations, local_row = np.unique(equation[block], return_inverse=True)
        matrix = scipy.sparse.csr_matrix(
            (coefficient[block], (local_row, local_column)), shape=(len(block_equations), len(block_cells))
        )
        result[block_cells] = _determined_in_block(matrix)
    return result


def _determined_in_block(matrix: csr_matrix) -> np.ndarray:
    if matrix.shape[1] > DENSE_BLOCK:
        free = _free_by_probing(matrix)
        if free is not None:
            # A random null-space vector is zero on a cell only when the cell is determined
            # (almost surely): the cells no probe moved count as determined.
            return ~free
    return _determined_columns(matrix.toarray())


def _free_by_probing(matrix: csr_matrix) -> np.ndarray | None:
    """Columns on which a random vector of the null space is not zero; None when no probe converged."""
    free, converged = np.zeros(matrix.shape[1], dtype=bool), False
    generator = np.random.default_rng(0)
    for _ in range(PROBES):
        target = generator.standard_normal(matrix.shape[1])
        iterations = 20 * matrix.shape[1]
        solution = scipy.sparse.linalg.lsmr(matrix.T, target, atol=1e-14, btol=1e-14, maxiter=iterations)
        multipliers = solution[0]
        null_vector = target - matrix.T @ multipliers
        if np.abs(matrix @ null_vector).max() > 1e-9:
            continue  # not converged: no certificate from this probe
        converged = True
        free |= np.abs(null_vector) > DETERMINED_TOLERANCE
    return free if converged else None


def _determined_columns(matrix: np.ndarray) -> np.ndarray:
    """Columns whose unit vector lies in the row space of `matrix`."""
    if matrix.shape[0] == 1 or matrix.shape[1] == 1:
        # One equation determines its unknown only when it is the only one.
        return np.full(matrix.shape[1], matrix.shape[1] == 1)
    _, singular, right = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > RANK_TOLERANCE * max(1.0, singular[0])).sum())
    in_row_space = (right[:rank] ** 2).sum(axis=0)
    return in_row_space > 1 - DETERMINED_TOLERANCE


PROPAGATION_ROUNDS = 50


def propagated_bounds(
    equality: csc_matrix, rhs: np.ndarray, unknown: np.ndarray, value: np.ndarray, lower: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of every cell that bound propagation proves: what the linear audit misses.

    The linear audit asks only whether a cell is a linear function of the published cells. A reader
    also knows that a hidden count row exists (at least `lower`, 1) and that counts are integers:
    a total of 2 split into two hidden cells gives both away, and a total of 6 split into two hidden
    cells proves each below 5. Each equation (rows of `equality` = `rhs`, published cells at
    `value`) bounds every unknown cell in it by the bounds of the others; the bounds, rounded to
    integers, are tightened again until they no longer change (at most PROPAGATION_ROUNDS rounds,
    each linear in the size of the equations). Sound, and weaker than the LP of release.audit:
    every bound it proves, an LP attacker proves too. Known cells keep their value.
    """
    matrix = scipy.sparse.coo_matrix(equality)
    on = unknown[matrix.col]
    equations = matrix.shape[0]
    published = np.bincount(
        matrix.row[~on], weights=matrix.data[~on] * value[matrix.col[~on]], minlength=equations
    )
    residual = rhs - published
    equation, cell, coefficient = matrix.row[on], matrix.col[on], matrix.data[on]
    low = np.where(unknown, lower, value).astype(float)
    high = np.where(unknown, np.inf, value).astype(float)
    positive = coefficient > 0
    # Terms sorted by cell, so that each round reduces them per cell in one pass (no ufunc.at).
    order = np.argsort(cell, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(cell[order]) != 0])
    targets = cell[order][starts]
    for _ in range(PROPAGATION_ROUNDS):
        term_low = np.where(positive, coefficient * low[cell], coefficient * high[cell])
        term_high = np.where(positive, coefficient * high[cell], coefficient * low[cell])
        low_infinite, high_infinite = np.isinf(term_low), np.isinf(term_high)
        sum_low = np.bincount(equation, weights=np.where(low_infinite, 0.0, term_low), minlength=equations)
        sum_high = np.bincount(equation, weights=np.where(high_infinite, 0.0, term_high), minlength=equations)
        infinite_low = np.bincount(equation, weights=low_infinite, minlength=equations)
        infinite_high = np.bincount(equation, weights=high_infinite, minlength=equations)
        # coefficient x cell = residual - (the other terms), whose bounds are those of the others.
        others_high = sum_high[equation] - np.where(high_infinite, 0.0, term_high)
        others_low = sum_low[equation] - np.where(low_infinite, 0.0, term_low)
        bounded_high = infinite_high[equation] - high_infinite == 0
        bounded_low = infinite_low[equation] - low_infinite == 0
        least = np.where(bounded_high, residual[equation] - others_high, -np.inf)
        most = np.where(bounded_low, residual[equation] - others_low, np.inf)
        new_low, new_high = low.copy(), high.copy()
        if len(order):
            from_terms = np.maximum.reduceat((np.where(positive, least, most) / coefficient)[order], starts)
            new_low[targets] = np.maximum(low[targets], from_terms)
            from_terms = np.minimum.reduceat((np.where(positive, most, least) / coefficient)[order], starts)
            new_high[targets] = np.minimum(high[targets], from_terms)
        # Counts are integers; a published cell keeps its value.
        new_low = np.where(unknown, np.ceil(new_low - DETERMINED_TOLERANCE), low)
        new_high = np.where(unknown, np.floor(new_high + DETERMINED_TOLERANCE), high)
        if np.array_equal(new_low, low) and np.array_equal(new_high, high):
            break
        low, high = new_low, new_high
    return low, high
