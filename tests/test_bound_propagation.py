"""Bound propagation of the `bounds` audit (release.linear_audit.propagated_bounds) on hand-made tables."""

import numpy as np
from scipy.sparse import csc_matrix

from sdmi_pipeline.release.linear_audit import propagated_bounds


def _relation(total: float) -> tuple[csc_matrix, np.ndarray, np.ndarray]:
    """total - a - b - c = 0 over cells (total, a, b, c); a is `total` - 2, b and c are 1."""
    equality = csc_matrix(np.array([[1.0, -1.0, -1.0, -1.0]]))
    return equality, np.zeros(1), np.array([total, total - 2.0, 1.0, 1.0])


def test_two_hidden_cells_summing_to_2_are_each_1():
    equality, rhs, value = _relation(10.0)  # 10 = 8 + b + c, b and c hidden
    unknown = np.array([False, False, True, True])
    low, high = propagated_bounds(equality, rhs, unknown, value, np.ones(4))
    assert list(low[2:]) == list(high[2:]) == [1.0, 1.0]  # pinned: the linear audit misses it


def test_a_hidden_total_leaves_its_parts_free_upwards():
    equality, rhs, value = _relation(10.0)
    unknown = np.array([True, False, True, True])
    low, high = propagated_bounds(equality, rhs, unknown, value, np.ones(4))
    assert list(low) == [10.0, 8.0, 1.0, 1.0] and np.isinf(high[[0, 2, 3]]).all()


def test_a_small_cell_is_proven_below_the_threshold_through_two_relations():
    # 6 = b + c (b, c hidden); c = d + e, d published 1, e hidden: c at least 2, so b at most 4.
    equality = csc_matrix(np.array([[1.0, -1.0, -1.0, 0.0, 0.0], [0.0, 0.0, 1.0, -1.0, -1.0]]))
    value = np.array([6.0, 3.0, 3.0, 1.0, 2.0])
    unknown = np.array([False, True, True, False, True])
    low, high = propagated_bounds(equality, np.zeros(2), unknown, value, np.ones(5))
    assert list(high[[1, 2, 4]]) == [4.0, 5.0, 4.0] and list(low[[1, 2, 4]]) == [1.0, 2.0, 1.0]
