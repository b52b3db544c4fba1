"""The LP stage of the `interval` audit (release.audit.Audit) on a hand-made table with a known answer."""

import numpy as np
from scipy.sparse import csc_matrix

from sdmi_pipeline.release.audit import Audit, Model, Protection
from sdmi_pipeline.release.disclosure import _narrowed

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
