"""The linear audit (release.linear_audit.determined) on hand-made tables."""

import os

import numpy as np
from threadpoolctl import threadpool_info

from sdmi_pipeline.release import linear_audit
from sdmi_pipeline.release.audit import Relations


def _two_by_two() -> Relations:
    """Cells t, a, b, c, d (0 to 4) and the equations t - a - b = 0, t - c - d = 0, a - c = 0."""
    equation = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    cell = np.array([0, 1, 2, 0, 3, 4, 1, 3])
    coefficient = np.array([1.0, -1.0, -1.0, 1.0, -1.0, -1.0, 1.0, -1.0])
    return Relations(equation, cell, coefficient, cells=5)


def test_a_hidden_cell_alone_in_an_equation_is_determined_and_a_pair_is_not():
    relations = _two_by_two()
    # b alone hidden in t = a + b: determined. c and d hidden: t = c + d leaves them free,
    # but a = c (a published) pins c, and so d.
    assert list(linear_audit.determined(relations, np.array([0, 0, 1, 0, 0], bool))) == [0, 0, 1, 0, 0]
    assert list(linear_audit.determined(relations, np.array([0, 0, 0, 1, 1], bool))) == [0, 0, 0, 1, 1]
    # a and c hidden, b and d published: a = t - b and c = t - d; all of a, b, c, d hidden: free.
    assert list(linear_audit.determined(relations, np.array([0, 1, 0, 1, 0], bool))) == [0, 1, 0, 1, 0]
    assert not linear_audit.determined(relations, np.array([0, 1, 1, 1, 1], bool)).any()


def test_the_decompositions_run_on_one_blas_thread(monkeypatch):
    # OpenBLAS's idle threads cost more CPU than these small decompositions: 17.7 CPU-s against
    # 1.8 for the disclosure control of the sample's new month on the loaded 2-core machine.
    threads: list[int] = []
    decompose = linear_audit._determined_columns

    def counted(matrix: np.ndarray) -> np.ndarray:
        threads.extend(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")
        return decompose(matrix)

    monkeypatch.setattr(linear_audit, "_determined_columns", counted)
    linear_audit.determined(_two_by_two(), np.array([0, 1, 1, 1, 1], bool))
    assert threads and set(threads) == {1}
    if len(os.sched_getaffinity(0)) > 1:  # restored afterwards: the limit holds in the audit only
        assert {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"} != {1}
