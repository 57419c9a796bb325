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
"rank" of an entry within its row), planned once per key; the coefficient values are
read from the mapped key, so the plan holds only int32 indices.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prover.errors import ProverError
from prover.zkey import ZKey


@dataclass
class RankSlice:
    """The entries that are the r-th of their row: one vectorised step."""

    rows: np.ndarray        # (m_r,) int32 constraint of each entry
    coef_idx: np.ndarray    # (m_r,) int32 index into the key's coefficient section
    signals: np.ndarray     # (m_r,) int32 wire of each entry


@dataclass
class QapPlan:
    domain_size: int
    values: np.ndarray      # the key's (m, 4) coefficient values (a view, not a copy)
    matrices: tuple[list[RankSlice], list[RankSlice]]


def _plan_matrix(coefs: np.ndarray, matrix: int) -> list[RankSlice]:
    """Entries of one matrix grouped by their rank within the row (stable order)."""
    idx = np.nonzero(coefs["matrix"] == matrix)[0]
    order = idx[np.argsort(coefs["constraint"][idx], kind="stable")]
    rows = coefs["constraint"][order].astype(np.int64)
    pos = np.arange(len(rows))
    starts = np.ones(len(rows), dtype=bool)
    starts[1:] = rows[1:] != rows[:-1]
    rank = pos - np.maximum.accumulate(np.where(starts, pos, 0)) if len(rows) else pos
    slices = []
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        pick = order[rank == r]
        slices.append(RankSlice(coefs["constraint"][pick].astype(np.int32),
                                pick.astype(np.int32), coefs["signal"][pick].astype(np.int32)))
    return slices


def plan(zkey: ZKey) -> QapPlan:
    """Precompute the coefficient layout of ``zkey`` (done once per loaded key);
    about 12 bytes per coefficient, the values stay in the (mapped) key."""
    return QapPlan(zkey.domain_size, zkey.coefs["value"],
                   (_plan_matrix(zkey.coefs, 0), _plan_matrix(zkey.coefs, 1)))


def _evaluate(slices: list[RankSlice], values: np.ndarray, w: np.ndarray,
              n: int) -> np.ndarray:
    """sum_s M_cs w_s for every row c, one rank slice at a time (bounded temporaries)."""
    import native

    out = np.zeros((n, 4), dtype=np.uint64)
    for r, sl in enumerate(slices):
        prods = native.fr_vec_mul(np.ascontiguousarray(values[sl.coef_idx]), w[sl.signals])
        if r == 0:
            out[sl.rows] = prods
        else:
            out[sl.rows] = native.fr_vec_add(out[sl.rows], prods)
    return out


def abc_evaluations(qp: QapPlan, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A, B, C) on the domain <w_n>, Montgomery (n, 4) each."""
    import native

    n = qp.domain_size
    a = _evaluate(qp.matrices[0], qp.values, w, n)
    b = _evaluate(qp.matrices[1], qp.values, w, n)
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
