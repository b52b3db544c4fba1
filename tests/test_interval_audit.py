"""The LP stage of the `interval` audit (release.audit.Audit) on a hand-made table with a known answer."""

import numpy as np
from scipy.sparse import csc_matrix

from sdmi_pipeline.release.audit import Audit, Model, Protection
from sdmi_pipeline.release.disclosure import _complements, _held_by, _narrowed

# Cells: N and K, numerators of two shares (at least 0); D, the denominator of K's share; T = N + K.
# N = 45, K = 2, D = 4, T = 47 published. K is at most its denominator D.
VALUE = np.array([45.0, 2.0, 4.0, 47.0])
MODEL = Model(
    equality=csc_matrix(np.array([[1.0, 1.0, 0.0, -1.0]])),
    equality_rhs=np.zeros(1),
    upper=csc_matrix(np.array([[0.0, 1.0, -1.0, 0.0]])),
    upper_rhs=np.zeros(1),
    lower=np.array([0.0, 0.0, 1.0, 1.0]),
)
PROTECTION = Protection(threshold=5, share=0.10)


def test_bound_propagation_misses_what_the_lp_pins_inside_the_protection_interval():
    hidden = np.array([True, True, False, False])
    # Propagation reads the equation alone: N in [0, 47], K in [0, 47]; neither is given away.
    assert not _narrowed(MODEL, hidden, VALUE, 5, 0.10).any()
    # The LP also knows K <= D = 4: N in [43, 47], within ±10 % of 45; K at most 4, below 5.
    audit = Audit(MODEL, VALUE, PROTECTION)
    assert list(audit.exposed(hidden, hidden)) == [True, True, False, False]
    assert audit.linear_programs > 0


def test_hiding_the_denominator_protects_both():
    hidden = np.array([True, True, True, False])
    audit = Audit(MODEL, VALUE, PROTECTION)
    assert not audit.exposed(hidden, hidden).any()
    assert audit.proven[:3].all()  # proven once, so later rounds do not solve them again


# The permit holders' case of the issue (Sulawesi Tengah, June 2023): new permits of women W = 2
# and men M = 1,583 hidden, their total T = 1,585 published; women's holders 19 -> 21 and men's
# 5,000 -> 6,583 published. Holders this month are at most last month's plus the new permits:
# M >= 6,583 - 5,000 = 1,583, so W = T - M <= 2: the women's count is pinned below 5.
# Cells: W, M, T, women's holders before and after, men's holders before and after.
PERMITS = np.array([2.0, 1583.0, 1585.0, 19.0, 21.0, 5000.0, 6583.0])
STOCK_FLOW = Model(
    equality=csc_matrix(np.array([[-1.0, -1.0, 1.0, 0.0, 0.0, 0.0, 0.0]])),
    equality_rhs=np.zeros(1),
    upper=csc_matrix(
        np.array([[-1.0, 0.0, 0.0, -1.0, 1.0, 0.0, 0.0], [0.0, -1.0, 0.0, 0.0, 0.0, -1.0, 1.0]])
    ),
    upper_rhs=np.zeros(2),
    lower=np.ones(7),
)


def test_a_cell_held_by_a_stock_flow_inequality_names_that_inequality_s_published_cells():
    hidden = np.array([True, True, False, False, False, False, False])
    women = np.array([True, False, False, False, False, False, False])
    audit = Audit(STOCK_FLOW, PERMITS, PROTECTION)
    assert list(audit.exposed(hidden, women)) == list(women)
    # The men's inequality binds at the women's maximum: hiding either of its holders relaxes it.
    assert {5, 6} <= set(audit.blockers[0].tolist()) <= {3, 4, 5, 6}
    # The complement is the smaller of them that can move by what W needs (5 - 2 = 3).
    need = np.where(women, 3.0, 1.0)
    added = _complements(_held_by(audit.blockers, len(PERMITS)), hidden, women, PERMITS, need)
    assert list(np.flatnonzero(added)) == [5]
    # With the men's holders of the month before hidden too, W can reach the threshold.
    assert not Audit(STOCK_FLOW, PERMITS, PROTECTION).exposed(hidden | added, women).any()
