"""BN254 optimal ate pairing over numpy limb arrays: C backend and py_ecc fallback.

GT elements are Fq12 values laid out as 48 uint64 limbs (12 Fq coefficients, each 4
little-endian limbs, Montgomery form) in the tower of `native/src/tower.h`:

    Fq6 = Fq2[v]/(v^3 - xi), xi = 9 + u;   Fq12 = Fq6[w]/(w^2 - v)
    flat order: c0.c0.re, c0.c0.im, c0.c1.re, c0.c1.im, c0.c2.re, c0.c2.im, c1.c0.re, ..., c1.c2.im

so w^6 = xi and, writing g_i in Fq2 for the coefficient of w^i, g_{2j} = c0.c_j and
g_{2j+1} = c1.c_j.  py_ecc's FQ12 is Fq[W]/(W^12 - 18 W^6 + 82) with the same W = w
and u = W^6 - 9, so g_i = a + b u becomes (a - 9 b) W^i + b W^(i+6); the bridges below
convert exactly.  `pairing(P, Q)` equals py_ecc's `pairing(Q, P)` in that mapping.

This module holds the GT layout, its conversions and the argument checks.  The pairing
itself has two backends with one API, dispatched by `native` like every other kernel:
`native.c_pairing` (the C functions of native/src/pairing.c) and `native.py_pairing`
(`py_ecc.optimized_bn128`; the same values, about 300x slower); `native.pairing_check`
etc. follow `native.backend()` and `native.get_backend(name)` gives either explicitly.
Inputs are assumed valid (on the curve, in G1/G2); the point at infinity (all-zero
limbs) contributes 1.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from native import params as bn
from native.convert import (NativeError, as_limbs, fq_mont_int, fq_unmont_int,
                            g1_to_py_ecc, g2_to_py_ecc, ints_to_limbs, limbs_to_ints)

__all__ = [
    "FQ12_LIMBS", "fq12_one", "fq12_from_ints", "fq12_to_ints", "fq12_from_py_ecc",
    "fq12_to_py_ecc", "pairs_arg", "one_pair_arg", "fq12_arg",
]

FQ12_LIMBS = 48


# --- Fq12 conversions ---------------------------------------------------------------
def fq12_from_ints(coeffs: Sequence[int]) -> np.ndarray:
    """12 Fq coefficients (standard form, flat tower order) -> (48,) Montgomery limbs."""
    if len(coeffs) != 12:
        raise NativeError(f"fq12: expected 12 coefficients, got {len(coeffs)}")
    return ints_to_limbs([fq_mont_int(int(c) % bn.P) for c in coeffs]).reshape(FQ12_LIMBS)


def fq12_to_ints(arr: np.ndarray) -> list[int]:
    """(48,) Montgomery limbs -> the 12 Fq coefficients (standard form, flat tower order)."""
    a = as_limbs(arr, None, "fq12").reshape(-1)
    if a.size != FQ12_LIMBS:
        raise NativeError(f"fq12: expected 48 limbs, got {a.size}")
    return [fq_unmont_int(v) for v in limbs_to_ints(a.reshape(12, 4))]


def fq12_one() -> np.ndarray:
    """The identity of GT as (48,) limbs."""
    return fq12_from_ints([1] + [0] * 11)


def _w_coeffs(coeffs: Sequence[int]) -> list[tuple[int, int]]:
    """Flat tower order -> g_0..g_5 (Fq2 pairs) with f = sum g_i w^i."""
    g = []
    for i in range(6):
        base = 6 * (i & 1) + 2 * (i >> 1)  # c{i%2}.c{i//2}
        g.append((coeffs[base], coeffs[base + 1]))
    return g


def fq12_to_py_ecc(arr: np.ndarray) -> Any:
    """(48,) limbs -> py_ecc.optimized_bn128 FQ12 (sum g_i w^i, u = W^6 - 9)."""
    from py_ecc.optimized_bn128 import FQ12

    e = [0] * 12
    for i, (a, b) in enumerate(_w_coeffs(fq12_to_ints(arr))):
        e[i] = (a - 9 * b) % bn.P
        e[i + 6] = b
    return FQ12(e)


def fq12_from_py_ecc(x: Any) -> np.ndarray:
    """py_ecc FQ12 (either bn128 flavour) -> (48,) limbs: g_i = (e_i + 9 e_{i+6}) + e_{i+6} u."""
    e = [int(c) % bn.P for c in x.coeffs]
    if len(e) != 12:
        raise NativeError(f"fq12: expected a degree-12 py_ecc element, got {len(e)} coefficients")
    flat = [0] * 12
    for i in range(6):
        base = 6 * (i & 1) + 2 * (i >> 1)
        flat[base] = (e[i] + 9 * e[i + 6]) % bn.P
        flat[base + 1] = e[i + 6]
    return fq12_from_ints(flat)


# --- input checks -------------------------------------------------------------------
def pairs_arg(g1: np.ndarray, g2: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(k, 8) and (k, 16) C-contiguous uint64 arrays (a single point may be 1-d)."""
    a = as_limbs(g1, 8, "g1").reshape(-1, 8)
    b = as_limbs(g2, 16, "g2").reshape(-1, 16)
    if a.shape[0] != b.shape[0]:
        raise NativeError(f"pairing: {a.shape[0]} G1 points but {b.shape[0]} G2 points")
    return a, b, a.shape[0]


def one_pair_arg(g1: np.ndarray, g2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b, k = pairs_arg(g1, g2)
    if k != 1:
        raise NativeError(f"pairing: expected one G1 and one G2 point, got {k} pairs")
    return a, b


def fq12_arg(f: np.ndarray) -> np.ndarray:
    a = as_limbs(f, None, "fq12").reshape(-1)
    if a.size != FQ12_LIMBS:
        raise NativeError(f"fq12: expected 48 limbs, got {a.size}")
    return a
