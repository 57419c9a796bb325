"""C backend of the BN254 pairing (native/src/pairing.c) over numpy limb arrays.

Layouts and argument checks: :mod:`native.pairing`.
"""
from __future__ import annotations

import numpy as np

from native._bn254 import ffi, lib
from native.pairing import FQ12_LIMBS, fq12_arg, one_pair_arg, pairs_arg


def miller_loop(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """prod_j of the Miller-loop values (before the final exponentiation) as (48,) limbs.

    The value is backend specific (each drops different factors that the final
    exponentiation sends to 1); only `final_exponentiation(miller_loop(...))` is canonical.
    """
    a, b, k = pairs_arg(g1, g2)
    out = np.zeros(FQ12_LIMBS, dtype=np.uint64)
    lib.bn254_miller_loop(ffi.from_buffer("uint64_t[]", out), ffi.from_buffer("uint64_t[]", a),
                          ffi.from_buffer("uint64_t[]", b), k)
    return out


def final_exponentiation(f: np.ndarray) -> np.ndarray:
    """f^((p^12 - 1)/r) for f in Fq12* as (48,) limbs."""
    out = np.zeros(FQ12_LIMBS, dtype=np.uint64)
    lib.bn254_final_exponentiation(ffi.from_buffer("uint64_t[]", out),
                                   ffi.from_buffer("uint64_t[]", fq12_arg(f)))
    return out


def pairing(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """e(P, Q) in GT as (48,) Montgomery limbs; P: (8,) G1 affine, Q: (16,) G2 affine.

    Optimal ate: (f_{6x+2,Q}(P) l_{T,pi(Q)}(P) l_{T',-pi^2(Q)}(P))^((p^12-1)/r), equal to
    py_ecc's pairing(Q, P); 1 if either point is infinity.
    """
    a, b = one_pair_arg(g1, g2)
    out = np.zeros(FQ12_LIMBS, dtype=np.uint64)
    lib.bn254_pairing(ffi.from_buffer("uint64_t[]", out), ffi.from_buffer("uint64_t[]", a),
                      ffi.from_buffer("uint64_t[]", b))
    return out


def pairing_check(g1: np.ndarray, g2: np.ndarray) -> bool:
    """True iff prod_j e(g1_j, g2_j) == 1 for g1 (k, 8), g2 (k, 16); k = 0 gives True.

    One multi-Miller loop and a single final exponentiation (the Groth16 verifier's check).
    """
    a, b, k = pairs_arg(g1, g2)
    return bool(lib.bn254_pairing_check(ffi.from_buffer("uint64_t[]", a),
                                        ffi.from_buffer("uint64_t[]", b), k))
