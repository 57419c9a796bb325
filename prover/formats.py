"""snarkjs JSON shapes: proof, public signals, verification key."""
from __future__ import annotations

from typing import Any

import numpy as np

from native.encoding import g1_to_snarkjs, g2_to_snarkjs
from prover.encoding import G1Int, G2Int, Q, g1_from_int, g1_to_int, g2_from_int, g2_to_int
from prover.errors import ProverError


def proof_json(pi_a: np.ndarray, pi_b: np.ndarray, pi_c: np.ndarray) -> dict[str, Any]:
    """A proof (LEM rows) as snarkjs prints it."""
    return {"pi_a": g1_to_snarkjs(g1_to_int(pi_a)), "pi_b": g2_to_snarkjs(g2_to_int(pi_b)),
            "pi_c": g1_to_snarkjs(g1_to_int(pi_c)), "protocol": "groth16", "curve": "bn128"}


def public_json(values: list[int]) -> list[str]:
    return [str(v) for v in values]


def _int(value: Any, where: str) -> int:
    try:
        v = int(value)
    except (TypeError, ValueError):
        raise ProverError(f"{where}: not an integer: {value!r}") from None
    if not 0 <= v < Q:
        raise ProverError(f"{where}: coordinate out of range")
    return v


def g1_from_json(obj: Any, where: str) -> np.ndarray:
    """snarkjs [x, y, z] projective (z in {0, 1} as snarkjs writes) -> LEM row."""
    if not isinstance(obj, list) or len(obj) != 3:
        raise ProverError(f"{where}: expected [x, y, z]")
    x, y, z = (_int(v, where) for v in obj)
    if z == 0:
        return g1_from_int(None)
    if z != 1:
        raise ProverError(f"{where}: expected an affine point (z = 1)")
    return g1_from_int((x, y))


def g2_from_json(obj: Any, where: str) -> np.ndarray:
    if not isinstance(obj, list) or len(obj) != 3 or any(
            not isinstance(c, list) or len(c) != 2 for c in obj):
        raise ProverError(f"{where}: expected [[x0, x1], [y0, y1], [z0, z1]]")
    (x0, x1), (y0, y1), (z0, z1) = ((_int(a, where), _int(b, where)) for a, b in obj)
    if (z0, z1) == (0, 0):
        return g2_from_int(None)
    if (z0, z1) != (1, 0):
        raise ProverError(f"{where}: expected an affine point (z = 1)")
    return g2_from_int(((x0, x1), (y0, y1)))


def verification_key_json(zkey) -> dict[str, Any]:
    """``snarkjs zkey export verificationkey``, field for field (``vk_alphabeta_12`` is
    ffjavascript's e(alpha, beta): see :mod:`prover.gt`)."""
    from prover.gt import gt_json, snarkjs_pairing

    return {
        "protocol": "groth16",
        "curve": "bn128",
        "nPublic": zkey.n_public,
        "vk_alpha_1": g1_to_snarkjs(g1_to_int(zkey.alpha_g1)),
        "vk_beta_2": g2_to_snarkjs(g2_to_int(zkey.beta_g2)),
        "vk_gamma_2": g2_to_snarkjs(g2_to_int(zkey.gamma_g2)),
        "vk_delta_2": g2_to_snarkjs(g2_to_int(zkey.delta_g2)),
        "vk_alphabeta_12": gt_json(snarkjs_pairing(zkey.alpha_g1, zkey.beta_g2)),
        "IC": [g1_to_snarkjs(g1_to_int(p)) for p in zkey.gamma_abc_g1],
    }
