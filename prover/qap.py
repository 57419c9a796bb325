"""The QAP step of the prover, in snarkjs's convention (``groth16_prove.js``).

With n = domainSize, w the witness (standard form) and the coefficient section
(matrix, constraint, signal, v R^2):

1. A_c = sum_s A_cs w_s and B_c = sum_s B_cs w_s for every row c < n (Montgomery:
   a Montgomery product of v R^2 with w gives Montgomery v w); C_c = A_c B_c, which
   equals sum_s C_cs w_s for a satisfying witness (snarkjs never reads C);
2. a, b, c = iNTT(A), iNTT(B), iNTT(C): the polynomials with those values on <w_n>;
3. their values on the odd coset g <w_n>, g = w_2n (``Fr.w[k+1]``): the odd points of
   the double domain, where Z(x) = x^n - 1 = -2;
4. P_j = a(x_j) b(x_j) - c(x_j) on that coset.  The key's H points are the double
   domain's odd Lagrange points [L^(2n)_(2j+1)(tau) / delta], and p = ab - c vanishes on
   the even points, so sum_j P_j H_j = [p(tau) / delta] = [h(tau) Z(tau) / delta].

Step 1 runs as vectorised Fr products plus a segmented sum (one vector addition per
"rank" of an entry within its row), planned once per key.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prover.errors import ProverError
from prover.zkey import ZKey


@dataclass
class MatrixPlan:
    """Entries of one matrix sorted by row, split by their rank within the row."""

    signals: np.ndarray            # (m,) wire of each entry, in sorted order
    values: np.ndarray             # (m, 4) v R^2 limbs, in sorted order
    rank_slices: list[tuple[np.ndarray, np.ndarray]]   # (rows, entry indices) per rank


@dataclass
class QapPlan:
    domain_size: int
    matrices: tuple[MatrixPlan, MatrixPlan]


def _plan_matrix(coefs: np.ndarray, matrix: int) -> MatrixPlan:
    sel = coefs[coefs["matrix"] == matrix]
    order = np.argsort(sel["constraint"], kind="stable")
    rows = sel["constraint"][order].astype(np.int64)
    idx = np.arange(len(rows))
    starts = np.ones(len(rows), dtype=bool)
    starts[1:] = rows[1:] != rows[:-1]
    rank = idx - np.maximum.accumulate(np.where(starts, idx, 0)) if len(rows) else idx
    slices = []
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        pick = np.nonzero(rank == r)[0]
        slices.append((rows[pick], pick))
    return MatrixPlan(sel["signal"][order].astype(np.int64),
                      np.ascontiguousarray(sel["value"][order]), slices)


def plan(zkey: ZKey) -> QapPlan:
    """Precompute the coefficient layout of ``zkey`` (done once per loaded key)."""
    return QapPlan(zkey.domain_size, (_plan_matrix(zkey.coefs, 0),
                                      _plan_matrix(zkey.coefs, 1)))


def _evaluate(mp: MatrixPlan, w: np.ndarray, n: int) -> np.ndarray:
    import native

    out = np.zeros((n, 4), dtype=np.uint64)
    if not len(mp.signals):
        return out
    prods = native.fr_vec_mul(mp.values, w[mp.signals])
    for r, (rows, pick) in enumerate(mp.rank_slices):
        if r == 0:
            out[rows] = prods[pick]
        else:
            out[rows] = native.fr_vec_add(out[rows], prods[pick])
    return out


def abc_evaluations(qp: QapPlan, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A, B, C) on the domain <w_n>, Montgomery (n, 4) each."""
    import native

    n = qp.domain_size
    a = _evaluate(qp.matrices[0], w, n)
    b = _evaluate(qp.matrices[1], w, n)
    return a, b, native.fr_vec_mul(a, b)


def odd_coset(values: np.ndarray, power: int) -> np.ndarray:
    """Values on <w_n> -> values of the same polynomial on w_2n <w_n>."""
    import native

    coeffs = native.ntt(values, inverse=True)
    return native.coset_ntt(coeffs, native.snarkjs_odd_coset_shift(power))


def h_scalars(qp: QapPlan, w: np.ndarray) -> np.ndarray:
    """The H-query MSM scalars P_j = (a b - c)(w_2n w_n^j), standard form (n, 4)."""
    import native

    n = qp.domain_size
    power = n.bit_length() - 1
    if power >= 28:
        raise ProverError("domain 2^28 needs snarkjs's extended coset; not supported")
    a, b, c = abc_evaluations(qp, w)
    c_odd = odd_coset(c, power)                  # dropping each input once it is used
    del c                                        # keeps five n-vectors live at most
    a_odd = odd_coset(a, power)
    del a
    b_odd = odd_coset(b, power)
    del b
    native.fr_vec_mul(a_odd, b_odd, out=a_odd)
    native.fr_vec_sub(a_odd, c_odd, out=a_odd)
    return native.fr_from_mont(a_odd)
