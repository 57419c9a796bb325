"""C backend: NTT and coset NTT over Fr (Montgomery (n, 4) arrays).

Twiddle tables (n elements, see native/src/ntt.h) are built in C once per (size,
direction) and cached for the life of the process.
"""
from __future__ import annotations

import numpy as np

from native import params as bn
from native._bn254 import lib
from native.c_field import fr_mont_scalar, ptr, threads_arg
from native.convert import NativeError, as_limbs
from native.py_field import shift_value, log2_size, snarkjs_odd_coset_shift  # noqa: F401

_TWIDDLES: dict[tuple[int, bool], np.ndarray] = {}


def twiddles(n: int, inverse: bool) -> np.ndarray:
    """Cached (n, 4) twiddle table: tw[m + j] = omega_{2m}^(+-j)."""
    key = (n, bool(inverse))
    tw = _TWIDDLES.get(key)
    if tw is None:
        tw = np.empty((n, 4), dtype=np.uint64)
        if lib.fr_ntt_twiddles(ptr(tw), n, int(inverse)) != 0:
            raise NativeError(f"ntt: bad size {n}")
        _TWIDDLES[key] = tw
    return tw


def ntt(a: np.ndarray, inverse: bool = False, threads: int | None = None,
        out: np.ndarray | None = None) -> np.ndarray:
    """Evaluate on <omega_n> (A_i = sum_j a_j omega_n^(ij)); inverse=True interpolates.
    `out` (optional, may be `a` itself for in place) receives the result."""
    a = as_limbs(a, 4, "a")
    if a.ndim != 2:
        raise NativeError(f"ntt: expected shape (n, 4), got {a.shape}")
    n = a.shape[0]
    log2_size(n)
    if out is None:
        out = np.empty_like(a)
    elif (out.shape != a.shape or out.dtype != np.uint64 or not out.flags.c_contiguous
          or (out is not a and np.shares_memory(out, a))):
        raise NativeError("ntt: out must be a separate C-contiguous uint64 (n, 4) array or a")
    if lib.fr_ntt_from(ptr(out), ptr(a), n, ptr(twiddles(n, inverse)), int(inverse),
                       threads_arg(threads)):
        raise NativeError(f"ntt: bad size {n}")
    return out


def coset_ntt(a: np.ndarray, shift: object, inverse: bool = False,
              threads: int | None = None) -> np.ndarray:
    """Forward: A_i = a(shift omega^i); inverse: coefficients from values on shift<omega>."""
    a = as_limbs(a, 4, "a")
    g = shift_value(shift)
    t = threads_arg(threads)
    n = a.shape[0]
    if not inverse:
        scaled = np.empty_like(a)
        g_m = fr_mont_scalar(g)
        lib.fr_vec_mul_powers(ptr(scaled), ptr(a), ptr(g_m), n, t)
        return ntt(scaled, threads=threads)
    coeffs = ntt(a, inverse=True, threads=threads)
    g_inv_m = fr_mont_scalar(pow(g, -1, bn.R))
    lib.fr_vec_mul_powers(ptr(coeffs), ptr(coeffs), ptr(g_inv_m), n, t)
    return coeffs
