"""The Groth16 verification equation, for the prover's tests only (the product's
verifier lives in ``verifier/``, which the prover layer must not import).

e(A, B) = e(alpha, beta) e(vk_x, gamma) e(C, delta), vk_x = IC_0 + sum_i x_i IC_i,
checked as one product of four pairings equal to 1, on py_ecc or on ``native``.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def _g1(p: list) -> tuple:
    return (int(p[0]), int(p[1])) if int(p[2]) else None


def _g2(p: list) -> tuple:
    return ((int(p[0][0]), int(p[0][1])), (int(p[1][0]), int(p[1][1]))) if int(p[2][0]) or int(p[2][1]) else None


def verify_native(vk: dict[str, Any], public: list, proof: dict[str, Any]) -> bool:
    import native
    from py_ecc.optimized_bn128 import add, multiply

    ic = [native.g1_to_py_ecc(native.g1_from_ints([_g1(p)])[0]) for p in vk["IC"]]
    if len(public) != len(ic) - 1:
        return False
    vk_x = ic[0]
    for x, p in zip(public, ic[1:]):
        vk_x = add(vk_x, multiply(p, int(x)))
    g1 = np.stack([native.g1_neg(native.g1_from_ints([_g1(proof["pi_a"])])[0]),
                   native.g1_from_ints([_g1(vk["vk_alpha_1"])])[0],
                   native.g1_from_py_ecc(vk_x),
                   native.g1_from_ints([_g1(proof["pi_c"])])[0]])
    g2 = native.g2_from_ints([_g2(proof["pi_b"]), _g2(vk["vk_beta_2"]),
                              _g2(vk["vk_gamma_2"]), _g2(vk["vk_delta_2"])])
    return bool(native.pairing_check(g1, g2))


def verify_py_ecc(vk: dict[str, Any], public: list, proof: dict[str, Any]) -> bool:
    """The same equation on py_ecc alone (slow: four pairings in Python)."""
    from py_ecc.optimized_bn128 import FQ, FQ2, add, multiply, pairing

    def g1(p):
        x = _g1(p)
        return (FQ(x[0]), FQ(x[1]), FQ(1))

    def g2(p):
        x = _g2(p)
        return (FQ2(list(x[0])), FQ2(list(x[1])), FQ2([1, 0]))

    vk_x = g1(vk["IC"][0])
    for x, p in zip(public, vk["IC"][1:]):
        vk_x = add(vk_x, multiply(g1(p), int(x)))
    lhs = pairing(g2(proof["pi_b"]), g1(proof["pi_a"]))
    rhs = (pairing(g2(vk["vk_beta_2"]), g1(vk["vk_alpha_1"]))
           * pairing(g2(vk["vk_gamma_2"]), vk_x) * pairing(g2(vk["vk_delta_2"]), g1(proof["pi_c"])))
    return lhs == rhs
