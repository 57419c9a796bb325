"""C backend: G1/G2 affine point operations (Montgomery affine arrays, infinity = 0)."""
from __future__ import annotations

import numpy as np

from native._bn254 import ffi, lib
from native.c_field import ptr
from native.convert import NativeError, as_limbs, ints_to_limbs


def _pt(p: object, w: int, name: str = "point") -> np.ndarray:
    a = as_limbs(p, w, name)
    if a.size != w:
        raise NativeError(f"{name}: expected one point of {w} limbs, got shape {a.shape}")
    return a.reshape(w)


def _scalar(k: int) -> np.ndarray:
    if not 0 <= int(k) < 1 << 256:
        raise NativeError("scalar_mul: scalar must be in [0, 2^256)")
    return ints_to_limbs([int(k)])[0].copy()


def _make(prefix: str, w: int) -> dict[str, object]:
    add_fn = getattr(lib, f"{prefix}_add")
    dbl_fn = getattr(lib, f"{prefix}_double")
    neg_fn = getattr(lib, f"{prefix}_neg")
    mul_fn = getattr(lib, f"{prefix}_scalar_mul")
    count_fn = getattr(lib, f"{prefix}_count_not_on_curve")
    b2a_fn = getattr(lib, f"{prefix}_batch_to_affine")

    def add(p, q):
        """p + q (affine, infinity = zeros)."""
        a, b = _pt(p, w), _pt(q, w)
        r = np.empty(w, dtype=np.uint64)
        add_fn(ptr(r), ptr(a), ptr(b))
        return r

    def double(p):
        """2 p."""
        a = _pt(p, w)
        r = np.empty(w, dtype=np.uint64)
        dbl_fn(ptr(r), ptr(a))
        return r

    def neg(p):
        """-p."""
        a = _pt(p, w)
        r = np.empty(w, dtype=np.uint64)
        neg_fn(ptr(r), ptr(a))
        return r

    def scalar_mul(p, k: int):
        """[k] p for an integer 0 <= k < 2^256 (exact, not reduced mod r)."""
        a, kk = _pt(p, w), _scalar(k)
        r = np.empty(w, dtype=np.uint64)
        mul_fn(ptr(r), ptr(a), ptr(kk))
        return r

    def is_on_curve(p):
        """On-curve check (infinity passes); (w,) -> bool, (n, w) -> bool array."""
        a = as_limbs(p, w, "point")
        rows = a.reshape(-1, w)
        flags = np.zeros(max(rows.shape[0], 1), dtype=np.uint8)
        count_fn(ptr(rows), rows.shape[0], ffi.cast("uint8_t *", flags.ctypes.data))
        res = flags[:rows.shape[0]].astype(bool)
        return bool(res[0]) if a.ndim == 1 else res

    def batch_to_affine(jac):
        """(n, 3w/2) Jacobian (X, Y, Z) -> (n, w) affine with one field inversion."""
        j = as_limbs(jac, 3 * w // 2, "jacobian").reshape(-1, 3 * w // 2)
        n = j.shape[0]
        out = np.zeros((n, w), dtype=np.uint64)
        if n:
            scratch = np.empty((n, w // 2), dtype=np.uint64)
            b2a_fn(ptr(out), ptr(j), n, ptr(scratch))
        return out

    return {"add": add, "double": double, "neg": neg, "scalar_mul": scalar_mul,
            "is_on_curve": is_on_curve, "batch_to_affine": batch_to_affine}


_G1, _G2 = _make("g1", 8), _make("g2", 16)
g1_add, g1_double, g1_neg = _G1["add"], _G1["double"], _G1["neg"]
g1_scalar_mul, g1_is_on_curve, g1_batch_to_affine = (
    _G1["scalar_mul"], _G1["is_on_curve"], _G1["batch_to_affine"])
g2_add, g2_double, g2_neg = _G2["add"], _G2["double"], _G2["neg"]
g2_scalar_mul, g2_is_on_curve, g2_batch_to_affine = (
    _G2["scalar_mul"], _G2["is_on_curve"], _G2["batch_to_affine"])


def g2_in_subgroup(p):
    """On the twist and [r] p = infinity; (16,) -> bool, (n, 16) -> bool array."""
    a = as_limbs(p, 16, "g2 point")
    rows = a.reshape(-1, 16)
    res = np.array([bool(lib.g2_in_subgroup(ptr(np.ascontiguousarray(row)))) for row in rows],
                   dtype=bool)
    return bool(res[0]) if a.ndim == 1 else res
