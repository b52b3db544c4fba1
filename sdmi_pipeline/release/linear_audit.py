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

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import lsmr

from sdmi_pipeline.release.audit import Relations

RANK_TOLERANCE = 1e-9
DETERMINED_TOLERANCE = 1e-6
DENSE_BLOCK = 300  # cells; larger blocks are probed with random null-space vectors first
PROBES = 2


def determined(relations: Relations, hidden: np.ndarray) -> np.ndarray:
    """Boolean mask of the hidden cells whose value the published cells determine exactly."""
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
    graph = coo_matrix(
        (np.ones(len(cell)), (equation, rows + column[cell])), shape=(rows + len(hidden_cells),) * 2
    )
    _, component = connected_components(graph, directed=False)
    cell_component = component[rows + column[cell]]
    order = np.argsort(cell_component, kind="stable")
    boundaries = np.flatnonzero(np.diff(cell_component[order])) + 1
    for block in np.split(order, boundaries):
        block_cells, local_column = np.unique(cell[block], return_inverse=True)
        block_equations, local_row = np.unique(equation[block], return_inverse=True)
        matrix = csr_matrix(
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
        multipliers = lsmr(matrix.T, target, atol=1e-14, btol=1e-14, maxiter=20 * matrix.shape[1])[0]
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
