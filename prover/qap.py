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

Step 1 is one sparse matrix-vector product per matrix (``native.fr_sparse_rows``, the
rows in CSR form), planned once per key; the coefficient values are read from the
mapped key, so the plan holds only indices (row starts, coefficient and wire of each
entry, about 16 bytes per coefficient).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prover.errors import ProverError
from prover.zkey import ZKey


@dataclass
class SparseRows:
    """One matrix in CSR form: the entries of row c are k in [row_start[c], row_start[c+1])."""

    row_start: np.ndarray   # (n + 1,) int64
    coef_idx: np.ndarray    # (nnz,) int32 index into the key's coefficient section
    signals: np.ndarray     # (nnz,) int32 wire of each entry


@dataclass
class QapPlan:
    domain_size: int
    values: np.ndarray      # the key's (m, 4) coefficient values (a view, not a copy)
    matrices: tuple[SparseRows, SparseRows]


def _plan_matrix(coefs: np.ndarray, matrix: int, n: int) -> SparseRows:
    """Entries of one matrix sorted by row (stable: the key's order within a row)."""
    idx = np.nonzero(coefs["matrix"] == matrix)[0]
    rows = coefs["constraint"][idx].astype(np.int64)
    if len(rows) and (rows.min() < 0 or rows.max() >= n):
        raise ProverError(f"zkey: a coefficient's constraint is outside the domain of {n}")
    order = np.argsort(rows, kind="stable")
    row_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=row_start[1:])
    return SparseRows(row_start, idx[order].astype(np.int32),
                      coefs["signal"][idx[order]].astype(np.int32))


def plan(zkey: ZKey) -> QapPlan:
    """Precompute the coefficient layout of ``zkey`` (done once per loaded key); the
    values stay in the (mapped) key."""
    n = zkey.domain_size
    return QapPlan(n, zkey.coefs["value"],
                   (_plan_matrix(zkey.coefs, 0, n), _plan_matrix(zkey.coefs, 1, n)))


def _evaluate(m: SparseRows, values: np.ndarray, w: np.ndarray,
              threads: int | None = None) -> np.ndarray:
    """sum_s M_cs w_s for every row c (Montgomery: the values are v R^2)."""
    import native

    return native.fr_sparse_rows(m.row_start, m.coef_idx, m.signals, values, w, threads)


def abc_evaluations(qp: QapPlan, w: np.ndarray, threads: int | None = None
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A, B, C) on the domain <w_n>, Montgomery (n, 4) each."""
    import native

    a = _evaluate(qp.matrices[0], qp.values, w, threads)
    b = _evaluate(qp.matrices[1], qp.values, w, threads)
    return a, b, native.fr_vec_mul(a, b)


def odd_coset(values: np.ndarray, power: int, threads: int | None = None) -> np.ndarray:
    """Values on <w_n> -> values of the same polynomial on w_2n <w_n>."""
    import native

    coeffs = native.ntt(values, inverse=True, threads=threads)
    return native.coset_ntt(coeffs, native.snarkjs_odd_coset_shift(power), threads=threads)


def h_scalars(qp: QapPlan, w: np.ndarray, threads: int | None = None) -> np.ndarray:
    """The H-query MSM scalars P_j = (a b - c)(w_2n w_n^j), standard form (n, 4), on
    `threads` native threads (None: all online CPUs)."""
    import native

    n = qp.domain_size
    power = n.bit_length() - 1
    if power >= 28:
        raise ProverError("domain 2^28 needs snarkjs's extended coset; not supported")
    a, b, c = abc_evaluations(qp, w, threads)
    c_odd = odd_coset(c, power, threads)         # dropping each input once it is used
    del c                                        # keeps five n-vectors live at most
    a_odd = odd_coset(a, power, threads)
    del a
    b_odd = odd_coset(b, power, threads)
    del b
    native.fr_vec_mul(a_odd, b_odd, out=a_odd)
    native.fr_vec_sub(a_odd, c_odd, out=a_odd)
    return native.fr_from_mont(a_odd)
