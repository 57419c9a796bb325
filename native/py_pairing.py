"""Pure-Python backend of the BN254 pairing on py_ecc.optimized_bn128 (the same values
as the C backend after the final exponentiation).

Layouts and argument checks: :mod:`native.pairing`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from native.convert import g1_to_py_ecc, g2_to_py_ecc
from native.pairing import fq12_arg, fq12_from_py_ecc, fq12_to_py_ecc, one_pair_arg, pairs_arg


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


def miller_loop(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """prod_j of the Miller-loop values (before the final exponentiation) as (48,) limbs.

    The value is backend specific (each drops different factors that the final
    exponentiation sends to 1); only `final_exponentiation(miller_loop(...))` is canonical.
    """
    a, b, _ = pairs_arg(g1, g2)
    return fq12_from_py_ecc(_py_miller_fq12(a, b))


def final_exponentiation(f: np.ndarray) -> np.ndarray:
    """f^((p^12 - 1)/r) for f in Fq12* as (48,) limbs."""
    from py_ecc.optimized_bn128 import final_exponentiate

    return fq12_from_py_ecc(final_exponentiate(fq12_to_py_ecc(fq12_arg(f))))


def pairing(g1: np.ndarray, g2: np.ndarray) -> np.ndarray:
    """e(P, Q) in GT as (48,) Montgomery limbs; P: (8,) G1 affine, Q: (16,) G2 affine.

    Optimal ate: (f_{6x+2,Q}(P) l_{T,pi(Q)}(P) l_{T',-pi^2(Q)}(P))^((p^12-1)/r), equal to
    py_ecc's pairing(Q, P); 1 if either point is infinity.
    """
    from py_ecc.optimized_bn128 import final_exponentiate

    a, b = one_pair_arg(g1, g2)
    return fq12_from_py_ecc(final_exponentiate(_py_miller_fq12(a, b)))


def pairing_check(g1: np.ndarray, g2: np.ndarray) -> bool:
    """True iff prod_j e(g1_j, g2_j) == 1 for g1 (k, 8), g2 (k, 16); k = 0 gives True.

    One multi-Miller loop and a single final exponentiation (the Groth16 verifier's check).
    """
    from py_ecc.optimized_bn128 import FQ12, final_exponentiate

    a, b, _ = pairs_arg(g1, g2)
    return final_exponentiate(_py_miller_fq12(a, b)) == FQ12.one()
