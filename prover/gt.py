"""GT values as snarkjs writes them (``vk_alphabeta_12``).

snarkjs's ``zkey export verificationkey`` writes ``curve.Gt.toObject(curve.pairing(alpha, beta))``
(ffjavascript 0.2.63 over wasmcurves 0.2.2).  Its Fq12 is the same tower as
``native.pairing`` (Fq6 = Fq2[v]/(v^3 - (9 + u)), Fq12 = Fq6[w]/(w^2 - v)), and
``toObject`` prints the coefficients in standard (not Montgomery) form, nested as
``[[c0.c0, c0.c1, c0.c2], [c1.c0, c1.c1, c1.c2]]`` with each Fq2 as ``[re, im]``: the flat
order of ``native.fq12_to_ints``.  The values differ only by the final exponentiation:
wasmcurves' ``bn128__finalExponentiationLastChunk`` is the Fuentes-Castañeda et al. hard
part (as in arkworks), which raises to the multiple

    2x(6x^2 + 3x + 1) * (p^4 - p^2 + 1)/r      (x = 4965661367192848881, the BN parameter)

of the exact exponent that ``native`` (and py_ecc) use.  So snarkjs's value is
``native.pairing(P, Q) ** SNARKJS_GT_EXPONENT`` with ``SNARKJS_GT_EXPONENT = 2x(6x^2 + 3x + 1)``
(a 190-bit integer, coprime to r; tests/prover/test_vk_alphabeta.py checks this against
ffjavascript on random pairs and against ``snarkjs zkey export verificationkey``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from native import params as bn

SNARKJS_GT_EXPONENT = 2 * bn.BN_X * (6 * bn.BN_X ** 2 + 3 * bn.BN_X + 1)
"""wasmcurves' final exponentiation = the exact (p^12 - 1)/r one, then this power."""


def gt_to_snarkjs(e: np.ndarray) -> list[int]:
    """A ``native`` GT value (48 Montgomery limbs) -> the 12 standard-form coefficients
    (flat tower order) of the value ffjavascript's pairing gives for the same points."""
    from native.pairing import fq12_from_py_ecc, fq12_to_ints, fq12_to_py_ecc

    return fq12_to_ints(fq12_from_py_ecc(fq12_to_py_ecc(e) ** SNARKJS_GT_EXPONENT))


def snarkjs_pairing(g1: np.ndarray, g2: np.ndarray) -> list[int]:
    """ffjavascript's ``curve.pairing(g1, g2)`` for LEM rows (8,) and (16,), as 12 ints."""
    import native

    return gt_to_snarkjs(native.pairing(np.ascontiguousarray(g1, dtype=np.uint64),
                                        np.ascontiguousarray(g2, dtype=np.uint64)))


def gt_json(coeffs: list[int]) -> list[list[list[str]]]:
    """12 flat coefficients -> ``curve.Gt.toObject`` nesting, as decimal strings."""
    if len(coeffs) != 12:
        raise ValueError(f"gt_json: expected 12 coefficients, got {len(coeffs)}")
    s = [str(int(c)) for c in coeffs]
    return [[s[6 * i + 2 * j: 6 * i + 2 * j + 2] for j in range(3)] for i in range(2)]


def gt_from_json(obj: Any) -> list[int]:
    """Inverse of :func:`gt_json` (e.g. a ``vk_alphabeta_12`` read from snarkjs)."""
    try:
        flat = [int(obj[i][j][k]) for i in range(2) for j in range(3) for k in range(2)]
        ok = len(obj) == 2 and all(len(a) == 3 and all(len(b) == 2 for b in a) for a in obj)
    except (TypeError, ValueError, IndexError):
        ok = False
    if not ok:
        raise ValueError("expected [[[re, im] x 3] x 2] of integers")
    return flat
