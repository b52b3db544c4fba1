"""The interval audit of a suppression pattern: how far an attacker can narrow each hidden cell.

The attacker holds every published cell (of this release and the earlier ones) and the model
`Model`: equations (margins, months adding to the year, a share's numerator and its count cell,
an earlier year-to-date total and its months), inequalities (permit holders this month at most
last month's plus this month's new permits; a share's numerator at most its denominator) and
bounds (a hidden count row exists, so it is at least 1; a numerator at least 0). For each hidden
cell the audit proves, by linear programs (HiGHS through `scipy.optimize.linprog`), that its
feasible interval reaches outside the protection interval: its maximum reaches
max(threshold, (1 + p) x value) when the cell is small, or else its maximum reaches (1 + p) x value
or its minimum (1 - p) x value (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
section 5.3: protection levels and the audit; de Wolf and Giessing, "Adjusting the tau-Argus
modular approach to deal with linked tables", Data & Knowledge Engineering 68, 2009).

The `interval` audit (release.disclosure) runs this audit last, on the sensitive (small) cells,
and only once bound propagation and the linear audit find nothing: by then the pattern is nearly
final and few cells are left to prove. The `exact` audit runs it in every round, on every hidden
cell. A cell that fails is reported with the published cells of the inequalities binding at its
optimum (`blockers`, from the LP's duals): hiding one of them is what relaxes it.

Cost is bounded two ways: the hidden cells split into connected components (cells linked
through a constraint they share), each audited alone; and in a component, one LP maximises the
sum of the cells not yet proven (each scaled by its target), which proves many at once. Only the
cells that stay unproven get an LP of their own. A component's result depends only on which of
its cells are hidden, so it is remembered between the rounds of complementary suppression.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy  # its submodules load on first use: not before a build's first step (docs/benchmarks.md)

if TYPE_CHECKING:
    from scipy.sparse import csc_matrix, csr_matrix

TOLERANCE = 1e-6
CAP = 1e9  # an upper bound on every cell, so that no LP is unbounded
OPTIONS = {"presolve": True, "time_limit": 60.0}


@dataclass(frozen=True)
class Relations:
    """Incidence of the equations among cells (coefficients sum the cells to zero)."""

    equation: np.ndarray
    cell: np.ndarray
    coefficient: np.ndarray
    cells: int

    @property
    def equations(self) -> int:
        return int(self.equation.max()) + 1 if len(self.equation) else 0


@dataclass(frozen=True)
class Model:
    """What the attacker knows about the cells besides the published values.

    Equations: rows of `equality` (sparse, cells as columns) equal `equality_rhs`; inequalities:
    rows of `upper` at most `upper_rhs`; `lower` the least value of each hidden cell.
    """

    equality: csc_matrix
    equality_rhs: np.ndarray
    upper: csc_matrix
    upper_rhs: np.ndarray
    lower: np.ndarray


@dataclass(frozen=True)
class Protection:
    """The protection interval of sdmi.toml `[disclosure]`."""

    threshold: int
    share: float  # no cell narrowed to within ±share of its value
    exact_only: bool = False  # only: no cell recovered exactly (its interval holds another integer)


@dataclass
class Audit:
    """Audits one model while the suppression pattern grows.

    Hiding one more cell only widens what the attacker must consider (the earlier witness, with
    the new cell at its true value, is still a solution), so a cell proven protected stays so:
    each round audits only the cells not yet proven.
    """

    model: Model
    value: np.ndarray
    protection: Protection
    linear_programs: int = 0
    proven: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    # Of the last `exposed`: each failing cell -> the published cells of the inequalities that bind
    # at its optimum (hiding one of them relaxes what holds it: its complement).
    blockers: dict[int, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rows = scipy.sparse.vstack([self.model.equality, self.model.upper], format="csc")
        self.proven = np.zeros(len(self.value), dtype=bool)
        small = self.value < self.protection.threshold
        self._upward = np.maximum(
            self.value * (1 + self.protection.share), np.where(small, self.protection.threshold, 0)
        )
        self._downward = np.where(small, -np.inf, self.value * (1 - self.protection.share))
        if self.protection.exact_only:
            self._upward, self._downward = self.value + 1, self.value - 1

    def exposed(self, hidden: np.ndarray, protect: np.ndarray) -> np.ndarray:
        """Mask of cells of `protect` (hidden) whose interval falls inside the protection interval.

        Every unproven cell is checked, so that one round of complementary suppression answers all
        (stopping a component at 50 failures cost about the same on the sample and the full year).
        """
        failing = np.zeros(len(hidden), dtype=bool)
        self.blockers = {}
        hidden_cells = np.flatnonzero(hidden)
        touched = self._rows[:, hidden_cells].tocoo()
        size = self._rows.shape[0] + len(hidden_cells)
        graph = scipy.sparse.coo_matrix(
            (np.ones(len(touched.row)), (touched.row, self._rows.shape[0] + touched.col)), shape=(size, size)
        )
        _, component = scipy.sparse.csgraph.connected_components(graph, directed=False)
        cell_component = component[self._rows.shape[0] :]
        order = np.argsort(cell_component, kind="stable")
        for block in np.split(order, np.flatnonzero(np.diff(cell_component[order])) + 1):
            cells = hidden_cells[block]
            need = protect[cells] & ~self.proven[cells]
            if need.any():
                failing[cells] = self._audit_component(cells, hidden, need)
        return failing

    def _audit_component(self, cells: np.ndarray, hidden: np.ndarray, need: np.ndarray) -> np.ndarray:
        """Which of `cells` (one component) fail their protection interval; marks the proven ones."""
        lp = _ComponentLP(self.model, cells, hidden, self.value)
        upward, downward = self._upward[cells], self._downward[cells]
        proven = ~need
        # Batches: push the unproven cells towards their targets at once, each capped at its target.
        for sign, target in ((1.0, upward), (-1.0, downward)):
            while True:
                batch = ~proven & np.isfinite(target)
                if not batch.any():
                    break
                point = lp.capped(batch, sign, target)
                self.linear_programs += 1
                newly = batch & (sign * (point - target) >= -TOLERANCE)
                proven |= newly
                if not newly.any():
                    break
        failing = np.zeros(len(cells), dtype=bool)
        for j in np.flatnonzero(~proven):
            for sign, target in ((1.0, upward[j]), (-1.0, downward[j])):
                if not np.isfinite(target):
                    continue
                direction = np.zeros(len(cells))
                direction[j] = -sign
                self.linear_programs += 1
                point, binding = lp.optimum(direction)
                if sign * (point[j] - target) >= -TOLERANCE:
                    proven[j] = True
                    break
                self._block(cells[j], binding, hidden)
            failing[j] = not proven[j]
        self.proven[cells[proven]] = True
        return failing

    def _block(self, cell: int, binding: np.ndarray, hidden: np.ndarray) -> None:
        """Remember the published cells of the model's inequality rows `binding` for `cell`."""
        if not len(binding):
            return
        found = np.unique(self.model.upper[binding].tocoo().col)
        found = found[~hidden[found]]
        known = self.blockers.get(cell, np.zeros(0, dtype=np.int64))
        self.blockers[cell] = np.union1d(known, found)


class _ComponentLP:
    """The linear program of one component: its hidden cells as unknowns, the rest as constants."""

    def __init__(self, model: Model, cells: np.ndarray, hidden: np.ndarray, value: np.ndarray) -> None:
        known = np.where(hidden, 0.0, value)
        self.equality, self.equality_rhs, _ = _restrict(model.equality, model.equality_rhs, cells, known)
        self.upper, self.upper_rhs, self.upper_rows = _restrict(model.upper, model.upper_rhs, cells, known)
        self.bounds = np.column_stack([model.lower[cells], np.full(len(cells), CAP)])

    def capped(self, batch: np.ndarray, sign: float, target: np.ndarray) -> np.ndarray:
        """A point that moves the `batch` cells towards their targets (up for sign 1, down for -1).

        Maximises the sum over the batch of min(sign x (x_j - target_j), 0) / |target_j - ...| through
        a variable y_j <= sign x x_j capped at sign x target_j: no cell is pushed past its target.
        """
        k, chosen = len(batch), np.flatnonzero(batch)
        sparse = scipy.sparse
        pick = sparse.csr_matrix(
            (np.full(len(chosen), -sign), (np.arange(len(chosen)), chosen)), shape=(len(chosen), k)
        )
        ones = sparse.identity(len(chosen), format="csr")
        upper = sparse.vstack(
            [
                sparse.hstack([self.upper, sparse.csr_matrix((self.upper.shape[0], len(chosen)))]),
                sparse.hstack([pick, ones]),
            ]
        )
        equality = sparse.hstack([self.equality, sparse.csr_matrix((self.equality.shape[0], len(chosen)))])
        scale = 1.0 / np.maximum(np.abs(target[chosen]), 1.0)
        caps = sign * target[chosen]
        bounds = np.vstack([self.bounds, np.column_stack([np.full(len(chosen), -CAP), caps])])
        objective = np.concatenate([np.zeros(k), -scale])
        result = scipy.optimize.linprog(
            objective,
            A_ub=upper,
            b_ub=np.concatenate([self.upper_rhs, np.zeros(len(chosen))]),
            A_eq=equality if self.equality.shape[0] else None,
            b_eq=self.equality_rhs if self.equality.shape[0] else None,
            bounds=bounds,
            method="highs",
            options=OPTIONS,
        )
        if result.x is None:
            raise RuntimeError(
                f"disclosure audit: the relations of a component have no solution ({result.message})"
            )
        return result.x[:k]

    def optimum(self, objective: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A vertex minimising `objective` over the component's feasible set, and the model's
        inequality rows that bind there (a nonzero dual: relaxing one would improve the optimum)."""
        result = scipy.optimize.linprog(
            objective,
            A_ub=self.upper if self.upper.shape[0] else None,
            b_ub=self.upper_rhs if self.upper.shape[0] else None,
            A_eq=self.equality if self.equality.shape[0] else None,
            b_eq=self.equality_rhs if self.equality.shape[0] else None,
            bounds=self.bounds,
            method="highs",
            options=OPTIONS,
        )
        if result.x is None:
            raise RuntimeError(
                f"disclosure audit: the relations of a component have no solution ({result.message})"
            )
        binding = np.zeros(0, dtype=np.int64)
        if self.upper.shape[0]:
            binding = self.upper_rows[np.abs(result.ineqlin.marginals) > TOLERANCE]
        return result.x, binding


def _restrict(
    matrix: csr_matrix, rhs: np.ndarray, cells: np.ndarray, known: np.ndarray
) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """The rows of `matrix` that hold one of `cells`, on those cells, the other cells moved to the
    right; and those rows' numbers in `matrix`."""
    columns = matrix[:, cells].tocsr()
    rows = np.unique(columns.tocoo().row)
    if not len(rows):
        return scipy.sparse.csr_matrix((0, len(cells))), np.zeros(0), rows
    # A row that holds a cell of the component holds no other hidden cell: `known` is 0 on them.
    return columns[rows], rhs[rows] - matrix[rows] @ known, rows
