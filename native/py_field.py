"""Pure-Python fallback: Fr vectors and the NTT (same API as the C backend).

Values are Python ints mod r; arrays are (n, 4) uint64 Montgomery limbs in and out.
The NTT is the textbook iterative radix-2 Cooley-Tukey (bit reversal + log n stages)
over omega_n = params.fr_root_of_unity(log2 n); it is the slow reference that the C
NTT is tested against (the tests also check both against galois and a naive DFT).
"""
from __future__ import annotations

import numpy as np

from native import params as bn
from native.convert import (FR_R1, FR_RINV, NativeError, as_limbs, ints_to_limbs,
                            limbs_to_ints, py_from_mont, py_to_mont, FQ_R1, FQ_RINV)

R = bn.R


def _vals(a: np.ndarray) -> list[int]:
    """Montgomery limbs -> field values."""
    return [v * FR_RINV % R for v in limbs_to_ints(a)]


def _arr(vals: list[int], shape: tuple[int, ...]) -> np.ndarray:
    """Field values -> Montgomery limbs of the given shape."""
    return ints_to_limbs([v % R * FR_R1 % R for v in vals]).reshape(shape)


def _out(res: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    if out is None:
        return res
    out[...] = res
    return out


def fr_to_mont(arr: np.ndarray) -> np.ndarray:
    """Standard -> Montgomery form (values reduced mod r)."""
    return py_to_mont(arr, R, FR_R1)


def fr_from_mont(arr: np.ndarray) -> np.ndarray:
    """Montgomery -> standard form."""
    return py_from_mont(arr, R, FR_RINV)


def fq_to_mont(arr: np.ndarray) -> np.ndarray:
    """Standard -> Montgomery form in Fq."""
    return py_to_mont(arr, bn.P, FQ_R1)


def fq_from_mont(arr: np.ndarray) -> np.ndarray:
    """Montgomery -> standard form in Fq."""
    return py_from_mont(arr, bn.P, FQ_RINV)


def _pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = as_limbs(a, 4, "a"), as_limbs(b, 4, "b")
    if a.shape != b.shape:
        raise NativeError(f"fr vectors: shapes differ {a.shape} vs {b.shape}")
    return a, b


def fr_vec_add(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """c_i = a_i + b_i mod r."""
    a, b = _pair(a, b)
    return _out(_arr([x + y for x, y in zip(_vals(a), _vals(b))], a.shape), out)


def fr_vec_sub(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """c_i = a_i - b_i mod r."""
    a, b = _pair(a, b)
    return _out(_arr([x - y for x, y in zip(_vals(a), _vals(b))], a.shape), out)


def fr_vec_mul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """c_i = a_i b_i mod r."""
    a, b = _pair(a, b)
    return _out(_arr([x * y for x, y in zip(_vals(a), _vals(b))], a.shape), out)


def fr_vec_scale(a: np.ndarray, s: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """c_i = s a_i mod r (s a (4,) Montgomery element)."""
    a = as_limbs(a, 4, "a")
    sv = _vals(as_limbs(s, 4, "s").reshape(4))[0]
    return _out(_arr([x * sv for x in _vals(a)], a.shape), out)


def fr_batch_inverse(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """c_i = 1/a_i (0 -> 0)."""
    a = as_limbs(a, 4, "a")
    return _out(_arr([pow(x, -1, R) if x else 0 for x in _vals(a)], a.shape), out)


def fr_inner_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum_i a_i b_i mod r, as a (4,) Montgomery element."""
    a, b = _pair(a, b)
    return _arr([sum(x * y for x, y in zip(_vals(a), _vals(b)))], (4,))


def fr_sparse_rows(row_start, coef, col, values, w, threads: int | None = None) -> np.ndarray:
    """Sparse rows in CSR form: r_c = sum_k values[coef[k]] w[col[k]] mod r (k from
    row_start[c] to row_start[c+1]) for c < len(row_start) - 1 (`threads` is accepted
    and ignored)."""
    row_start = [int(x) for x in np.asarray(row_start).reshape(-1)]
    coef = [int(x) for x in np.asarray(coef).reshape(-1)]
    col = [int(x) for x in np.asarray(col).reshape(-1)]
    vals, wv = _vals(as_limbs(values, 4, "values")), _vals(as_limbs(w, 4, "w"))
    n_rows = len(row_start) - 1
    if n_rows < 0 or len(coef) != len(col):
        raise NativeError("fr_sparse_rows: row_start (n+1,), coef and col (nnz,) expected")
    if (row_start[0] != 0 or any(b < a for a, b in zip(row_start, row_start[1:]))
            or row_start[-1] > len(coef)
            or any(not 0 <= k < len(vals) for k in coef[:row_start[-1]])
            or any(not 0 <= j < len(wv) for j in col[:row_start[-1]])):
        raise NativeError("fr_sparse_rows: row_start not increasing within nnz, or an index "
                          "out of range")
    out = [sum(vals[coef[k]] * wv[col[k]] for k in range(row_start[c], row_start[c + 1]))
           for c in range(n_rows)]
    return _arr(out, (n_rows, 4)) if n_rows else np.zeros((0, 4), dtype=np.uint64)


def fr_pow(a: np.ndarray, e: int) -> np.ndarray:
    """c_i = a_i^e (e a non-negative int)."""
    if e < 0:
        raise NativeError("fr_pow: negative exponent")
    a = as_limbs(a, 4, "a")
    return _arr([pow(x, e, R) for x in _vals(a)], a.shape)


# --- NTT ------------------------------------------------------------------------
def log2_size(n: int) -> int:
    """k with n = 2^k, checked against Fr's two-adicity."""
    k = n.bit_length() - 1
    if n <= 0 or n != 1 << k:
        raise NativeError(f"ntt: length {n} is not a power of two")
    if k > bn.FR_TWO_ADICITY:
        raise NativeError(f"ntt: length 2^{k} exceeds Fr's two-adicity 2^28")
    return k


def ntt_ints(vals: list[int], omega: int) -> list[int]:
    """A_i = sum_j a_j omega^(i j): bit reversal, then radix-2 DIT butterflies."""
    n = len(vals)
    k = n.bit_length() - 1
    a = [vals[int(format(i, f"0{k}b")[::-1], 2) if k else 0] for i in range(n)]
    m = 1
    while m < n:
        w_m = pow(omega, n // (2 * m), R)
        ws = [1] * m
        for j in range(1, m):
            ws[j] = ws[j - 1] * w_m % R
        for start in range(0, n, 2 * m):
            for j in range(m):
                u, v = a[start + j], a[start + j + m] * ws[j] % R
                a[start + j], a[start + j + m] = (u + v) % R, (u - v) % R
        m *= 2
    return a


def shift_value(shift: object) -> int:
    """A coset shift given as an int (standard) or a (4,) Montgomery array."""
    if isinstance(shift, (int, np.integer)):
        return int(shift) % R
    return _vals(as_limbs(shift, 4, "shift").reshape(4))[0]


def ntt(a: np.ndarray, inverse: bool = False, threads: int | None = None,
        out: np.ndarray | None = None) -> np.ndarray:
    """Evaluate (or interpolate, inverse=True) on <omega_n>: A_i = sum_j a_j omega_n^(ij).
    `out` (optional, may be `a`) receives the result."""
    a = as_limbs(a, 4, "a")
    if out is not None:
        out[...] = ntt(a, inverse, threads)
        return out
    n = a.shape[0]
    k = log2_size(n)
    omega = bn.fr_root_of_unity(k)
    if inverse:
        omega = pow(omega, -1, R)
    res = ntt_ints(_vals(a), omega)
    if inverse:
        n_inv = pow(n, -1, R)
        res = [x * n_inv for x in res]
    return _arr(res, a.shape)


def coset_ntt(a: np.ndarray, shift: object, inverse: bool = False,
              threads: int | None = None) -> np.ndarray:
    """Forward: A_i = a(shift omega^i) (scale a_j by shift^j, then NTT).
    Inverse: the coefficients of the polynomial with those evaluations."""
    a = as_limbs(a, 4, "a")
    g = shift_value(shift)
    if not inverse:
        vals = [x * pow(g, j, R) for j, x in enumerate(_vals(a))]
        return ntt(_arr(vals, a.shape))
    coeffs = _vals(ntt(a, inverse=True))
    g_inv = pow(g, -1, R)
    return _arr([x * pow(g_inv, j, R) for j, x in enumerate(coeffs)], a.shape)


def snarkjs_odd_coset_shift(k: int) -> int:
    """omega_{2n} for n = 2^k: snarkjs evaluates H on the odd powers of omega_{2n}."""
    return bn.fr_root_of_unity(k + 1)
