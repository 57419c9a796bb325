"""C backend: Fr/Fq vectors, conversions and the NTT over `native._bn254`.

Every function checks shapes/dtypes, allocates its output with numpy and hands flat
limb pointers to C (no Python objects cross the ABI).  The NTT twiddle tables are
computed once per size (in C) and cached here.
"""
from __future__ import annotations

import numpy as np

from native import params as bn
from native._bn254 import ffi, lib
from native.convert import NativeError, as_limbs, ints_to_limbs
from native.py_field import shift_value, log2_size, snarkjs_odd_coset_shift  # noqa: F401


def ptr(a: np.ndarray):
    """A ``uint64_t[]`` cdata over a C-contiguous uint64 numpy array, for a C argument.

    The cdata holds a reference to ``a`` (``ffi.from_buffer``), so an array made inline
    in the call's argument list (``lib.f(ptr(make()))``) stays allocated until the call
    returns.  A bare address (``a.ctypes.data``) would not keep it: the temporary is
    freed before the C function runs, and another thread allocating while the call
    has released the GIL could overwrite what C reads."""
    return ffi.from_buffer("uint64_t[]", a)


def threads_arg(threads: int | None) -> int:
    """None/0 -> all online CPUs (C decides)."""
    return 0 if threads is None else int(threads)


def _new_like(a: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    if out is None:
        return np.empty_like(a)
    if out.shape != a.shape or out.dtype != np.uint64 or not out.flags.c_contiguous:
        raise NativeError(f"out: expected a C-contiguous uint64 array of shape {a.shape}")
    return out


def _n(a: np.ndarray) -> int:
    return a.size // 4


def _unary(fn, a, name: str) -> np.ndarray:
    a = as_limbs(a, 4, name)
    out = np.empty_like(a)
    fn(ptr(out), ptr(a), _n(a))
    return out


def fr_to_mont(arr: np.ndarray) -> np.ndarray:
    """Standard -> Montgomery (inputs < 2^256 are reduced mod r first)."""
    return _unary(lib.fr_vec_to_mont, arr, "fr")


def fr_from_mont(arr: np.ndarray) -> np.ndarray:
    """Montgomery -> standard."""
    return _unary(lib.fr_vec_from_mont, arr, "fr")


def fq_to_mont(arr: np.ndarray) -> np.ndarray:
    """Standard -> Montgomery in Fq (inputs reduced mod q first)."""
    return _unary(lib.fq_vec_to_mont, arr, "fq")


def fq_from_mont(arr: np.ndarray) -> np.ndarray:
    """Montgomery -> standard in Fq."""
    return _unary(lib.fq_vec_from_mont, arr, "fq")


def _binary(fn, a, b, out) -> np.ndarray:
    a, b = as_limbs(a, 4, "a"), as_limbs(b, 4, "b")
    if a.shape != b.shape:
        raise NativeError(f"fr vectors: shapes differ {a.shape} vs {b.shape}")
    res = _new_like(a, out)
    fn(ptr(res), ptr(a), ptr(b), _n(a))
    return res


def fr_vec_add(a, b, out=None):
    """c_i = a_i + b_i mod r (Montgomery in/out)."""
    return _binary(lib.fr_vec_add, a, b, out)


def fr_vec_sub(a, b, out=None):
    """c_i = a_i - b_i mod r."""
    return _binary(lib.fr_vec_sub, a, b, out)


def fr_vec_mul(a, b, out=None):
    """c_i = a_i b_i mod r."""
    return _binary(lib.fr_vec_mul, a, b, out)


def fr_vec_scale(a, s, out=None):
    """c_i = s a_i mod r (s a (4,) Montgomery element)."""
    a = as_limbs(a, 4, "a")
    s = as_limbs(s, 4, "s").reshape(4)
    res = _new_like(a, out)
    lib.fr_vec_scale(ptr(res), ptr(a), ptr(s), _n(a))
    return res


def fr_batch_inverse(a, out=None):
    """c_i = 1/a_i (0 -> 0), Montgomery's trick: one inversion."""
    a = as_limbs(a, 4, "a")
    res = _new_like(a, out)
    scratch = np.empty_like(a)
    lib.fr_vec_batch_inverse(ptr(res), ptr(a), _n(a), ptr(scratch))
    return res


def fr_inner_product(a, b):
    """sum_i a_i b_i mod r as a (4,) Montgomery element."""
    a, b = as_limbs(a, 4, "a"), as_limbs(b, 4, "b")
    if a.shape != b.shape:
        raise NativeError(f"fr vectors: shapes differ {a.shape} vs {b.shape}")
    r = np.zeros(4, dtype=np.uint64)
    lib.fr_vec_inner_product(ptr(r), ptr(a), ptr(b), _n(a))
    return r


def fr_sparse_rows(row_start, coef, col, values, w, threads: int | None = None):
    """Sparse rows in CSR form: r_c = sum_k values[coef[k]] w[col[k]] (Montgomery
    products, k from row_start[c] to row_start[c+1]) for c < len(row_start) - 1, an
    (n_rows, 4) array; rows split over `threads` (None: all online CPUs)."""
    row_start = np.ascontiguousarray(row_start, dtype=np.int64)
    coef = np.ascontiguousarray(coef, dtype=np.int32)
    col = np.ascontiguousarray(col, dtype=np.int32)
    values, w = as_limbs(values, 4, "values"), as_limbs(w, 4, "w")
    if row_start.ndim != 1 or len(row_start) < 1 or coef.shape != col.shape or coef.ndim != 1:
        raise NativeError("fr_sparse_rows: row_start (n+1,), coef and col (nnz,) expected")
    n_rows = len(row_start) - 1
    r = np.zeros((n_rows, 4), dtype=np.uint64)
    if lib.fr_sparse_rows(ptr(r), ffi.from_buffer("int64_t[]", row_start), n_rows,
                          ffi.from_buffer("int32_t[]", coef), ffi.from_buffer("int32_t[]", col),
                          len(coef), ptr(values), len(values), ptr(w), len(w),
                          threads_arg(threads)) != 0:
        raise NativeError("fr_sparse_rows: row_start not increasing within nnz, or an index "
                          "out of range")
    return r


def fr_pow(a, e: int):
    """c_i = a_i^e for an integer 0 <= e < 2^256."""
    if not 0 <= int(e) < 1 << 256:
        raise NativeError("fr_pow: exponent must be in [0, 2^256)")
    a = as_limbs(a, 4, "a")
    ev = ints_to_limbs([int(e)])[0]
    res = np.empty_like(a)
    lib.fr_vec_pow(ptr(res), ptr(a), ptr(ev), _n(a))
    return res


def fr_mont_scalar(x: int) -> np.ndarray:
    """(4,) Montgomery limbs of the integer x mod r."""
    return ints_to_limbs([x % bn.R * bn.FR_MONT["R1"] % bn.R])[0]
