"""Small curve helpers over ``native`` used by setup, contributions and verification
(no field or curve arithmetic is re-implemented here)."""
from __future__ import annotations

import numpy as np


def scale_rows(points: np.ndarray, k: int, group: int = 1) -> np.ndarray:
    """[k] P for every row P (one scalar for a whole section: snarkjs ``batchApplyKey``
    with inc = 1), one native scalar multiplication per point."""
    import native

    mul = native.g1_scalar_mul if group == 1 else native.g2_scalar_mul
    out = np.empty_like(points)
    for i, p in enumerate(points):
        out[i] = mul(p, k)
    return out


def sub_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a_i - b_i for rows of G1 points."""
    import native

    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = native.g1_add(a[i], native.g1_neg(b[i]))
    return out


def same_ratio(g1_s: np.ndarray, g1_sx: np.ndarray, g2_s: np.ndarray,
               g2_sx: np.ndarray) -> bool:
    """snarkjs ``sameRatio``: e(g1_s, g2_sx) == e(g1_sx, g2_s), all four non-zero."""
    import native

    if not (g1_s.any() and g1_sx.any() and g2_s.any() and g2_sx.any()):
        return False
    g1 = np.stack([g1_s, native.g1_neg(g1_sx)])
    g2 = np.stack([g2_sx, g2_s])
    return bool(native.pairing_check(g1, g2))


def random_combination(points: np.ndarray, scalars: np.ndarray) -> np.ndarray:
    """sum_i rho_i P_i (G1), zero for an empty section."""
    import native

    if len(points) == 0:
        return np.zeros(8, dtype=np.uint64)
    return np.asarray(native.g1_msm(np.ascontiguousarray(points), scalars))
