"""BN254 optimal ate pairing over numpy limb arrays: C backend and py_ecc fallback.

GT elements are Fq12 values laid out as 48 uint64 limbs (12 Fq coefficients, each 4
little-endian limbs, Montgomery form) in the tower of `native/src/tower.h`:

    Fq6 = Fq2[v]/(v^3 - xi), xi = 9 + u;   Fq12 = Fq6[w]/(w^2 - v)
    flat order: c0.c0.re, c0.c0.im, c0.c1.re, c0.c1.im, c0.c2.re, c0.c2.im, c1.c0.re, ..., c1.c2.im

so w^6 = xi and, writing g_i in Fq2 for the coefficient of w^i, g_{2j} = c0.c_j and
g_{2j+1} = c1.c_j.  py_ecc's FQ12 is Fq[W]/(W^12 - 18 W^6 + 82) with the same W = w
and u = W^6 - 9, so g_i = a + b u becomes (a - 9 b) W^i + b W^(i+6); the bridges below
convert exactly.  `pairing(P, Q)` equals py_ecc's `pairing(Q, P)` in that mapping.

Backends: the C functions `bn254_pairing` / `bn254_pairing_check` (native/src/pairing.c)
and a pure-Python fallback on `py_ecc.optimized_bn128` (the same values; about 300x
slower).  The active one follows `native.backend()`; `get_pairing_backend(name)` gives
either explicitly.  Inputs are assumed valid (on the curve, in G1/G2); the point at
infinity (all-zero limbs) contributes 1.
"""
from __future__ import annotations

import types
from typing import Any, Sequence

import numpy as np

from native import params as bn
from native.convert import (NativeError, as_limbs, fq_mont_int, fq_unmont_int,
                            g1_to_py_ecc, g2_to_py_ecc, ints_to_limbs, limbs_to_ints)

__all__ = [
    "pairing", "pairing_check", "miller_loop", "final_exponentiation",
    "fq12_one", "fq12_from_ints", "fq12_to_ints", "fq12_from_py_ecc", "fq12_to_py_ecc",
    "get_pairing_backend",
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
def _pairs(g1: np.ndarray, g2: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(k, 8) and (k, 16) C-contiguous uint64 arrays (a single point may be 1-d)."""
    a = as_limbs(g1, 8, "g1").reshape(-1, 8)
    b = as_limbs(g2, 16, "g2").reshape(-1, 16)
    if a.shape[0] != b.shape[0]:
        raise NativeError(f"pairing: {a.shape[0]} G1 points but {b.shape[0]} G2 points")
    return a, b, a.shape[0]


def _one_pair(g1: np.ndarray, g2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b, k = _pairs(g1, g2)
    if k != 1:
        raise NativeError(f"pairing: expected one G1 and one G2 point, got {k} pairs")
    return a, b


def _fq12_arg(f: np.ndarray) -> np.ndarray:
    a = as_limbs(f, None, "fq12").reshape(-1)
    if a.size != FQ12_LIMBS:
        raise NativeError(f"fq12: expected 48 limbs, got {a.size}")
    return a


# --- C backend ----------------------------------------------------------------------
def _lib() -> tuple[Any, Any]:
    from native._bn254 import ffi, lib

    return ffi, lib


def _c_miller_loop(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    ffi, lib = _lib()
    a, b, k = _pairs(g1, g2)
    out = np.zeros(FQ12_LIMBS, dtype=np.uint64)
    lib.bn254_miller_loop(ffi.from_buffer("uint64_t[]", out), ffi.from_buffer("uint64_t[]", a),
                          ffi.from_buffer("uint64_t[]", b), k)
    return out


def _c_final_exponentiation(f: np.ndarray) -> np.ndarray:
    ffi, lib = _lib()
    out = np.zeros(FQ12_LIMBS, dtype=np.uint64)
    lib.bn254_final_exponentiation(ffi.from_buffer("uint64_t[]", out),
                                   ffi.from_buffer("uint64_t[]", _fq12_arg(f)))
    return out


def _c_pairing(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    ffi, lib = _lib()
    a, b = _one_pair(g1, g2)
    out = np.zeros(FQ12_LIMBS, dtype=np.uint64)
    lib.bn254_pairing(ffi.from_buffer("uint64_t[]", out), ffi.from_buffer("uint64_t[]", a),
                      ffi.from_buffer("uint64_t[]", b))
    return out


def _c_pairing_check(g1: np.ndarray, g2: np.ndarray) -> bool:
    ffi, lib = _lib()
    a, b, k = _pairs(g1, g2)
    return bool(lib.bn254_pairing_check(ffi.from_buffer("uint64_t[]", a),
                                        ffi.from_buffer("uint64_t[]", b), k))


# --- pure-Python backend (py_ecc.optimized_bn128) -----------------------------------
def _py_miller_fq12(a: np.ndarray, b: np.ndarray) -> Any:
    """prod_j miller_loop(twist(Q_j), P_j) as a py_ecc FQ12 (no final exponentiation)."""
    from py_ecc.optimized_bn128 import FQ12, is_inf
    from py_ecc.optimized_bn128 import optimized_pairing as op

    f = FQ12.one()
    for p_limbs, q_limbs in zip(a, b):
        p, q = g1_to_py_ecc(p_limbs), g2_to_py_ecc(q_limbs)
        if is_inf(p) or is_inf(q):
            continue
        f = f * op.miller_loop(op.twist(q), op.cast_point_to_fq12(p), final_exponentiate=False)
    return f


def _py_miller_loop(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    a, b, _ = _pairs(g1, g2)
    return fq12_from_py_ecc(_py_miller_fq12(a, b))


def _py_final_exponentiation(f: np.ndarray) -> np.ndarray:
    from py_ecc.optimized_bn128 import final_exponentiate

    return fq12_from_py_ecc(final_exponentiate(fq12_to_py_ecc(_fq12_arg(f))))


def _py_pairing(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    from py_ecc.optimized_bn128 import final_exponentiate

    a, b = _one_pair(g1, g2)
    return fq12_from_py_ecc(final_exponentiate(_py_miller_fq12(a, b)))


def _py_pairing_check(g1: np.ndarray, g2: np.ndarray) -> bool:
    from py_ecc.optimized_bn128 import FQ12, final_exponentiate

    a, b, _ = _pairs(g1, g2)
    return final_exponentiate(_py_miller_fq12(a, b)) == FQ12.one()


_BACKENDS = {
    "c": {"pairing": _c_pairing, "pairing_check": _c_pairing_check,
          "miller_loop": _c_miller_loop, "final_exponentiation": _c_final_exponentiation},
    "python": {"pairing": _py_pairing, "pairing_check": _py_pairing_check,
               "miller_loop": _py_miller_loop,
               "final_exponentiation": _py_final_exponentiation},
}


def get_pairing_backend(name: str) -> types.SimpleNamespace:
    """The pairing functions of one backend ("c" or "python"), e.g. to compare them.

    "c" raises ImportError when the extension `native._bn254` is not built.
    """
    if name not in _BACKENDS:
        raise NativeError(f"unknown native backend {name!r}")
    if name == "c":
        _lib()
    return types.SimpleNamespace(**_BACKENDS[name], backend=lambda: name)


def _active(fn: str) -> Any:
    import native

    return _BACKENDS[native.backend()][fn]


# --- public API (dispatches on native.backend()) ------------------------------------
def pairing(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """e(P, Q) in GT as (48,) Montgomery limbs; P: (8,) G1 affine, Q: (16,) G2 affine.

    Optimal ate: (f_{6x+2,Q}(P) l_{T,pi(Q)}(P) l_{T',-pi^2(Q)}(P))^((p^12-1)/r), equal to
    py_ecc's pairing(Q, P); 1 if either point is infinity.
    """
    return _active("pairing")(g1, g2)


def pairing_check(g1: np.ndarray, g2: np.ndarray) -> bool:
    """True iff prod_j e(g1_j, g2_j) == 1 for g1 (k, 8), g2 (k, 16); k = 0 gives True.

    One multi-Miller loop and a single final exponentiation (the Groth16 verifier's check).
    """
    return _active("pairing_check")(g1, g2)


def miller_loop(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """prod_j of the Miller-loop values (before the final exponentiation) as (48,) limbs.

    The value is backend specific (each drops different factors that the final
    exponentiation sends to 1); only `final_exponentiation(miller_loop(...))` is canonical.
    """
    return _active("miller_loop")(g1, g2)


def final_exponentiation(f: np.ndarray) -> np.ndarray:
    """f^((p^12 - 1)/r) for f in Fq12* as (48,) limbs."""
    return _active("final_exponentiation")(f)
