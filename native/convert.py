"""Conversions between Python ints / py_ecc points and the native limb layout.

Layout (see NATIVE_API.md): little-endian uint64 limbs, 4 per field element; G1 affine
= x[4] y[4]; G2 affine = x.c0 x.c1 y.c0 y.c1; Montgomery form (x 2^256 mod p) inside
point arrays and Fr arithmetic vectors; the point at infinity is all-zero limbs.
These helpers are backend independent (pure numpy + ints); the C backend only speeds up
the Montgomery conversion of big vectors.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from native import params as bn

MASK64 = (1 << 64) - 1
FQ_R1, FR_R1 = bn.FQ_MONT["R1"], bn.FR_MONT["R1"]
FQ_RINV = pow(FQ_R1, -1, bn.P)
FR_RINV = pow(FR_R1, -1, bn.R)


class NativeError(ValueError):
    """Malformed input to the native layer (wrong shape, dtype, out-of-range value)."""


def ints_to_limbs(values: Iterable[int], width: int = 4) -> np.ndarray:
    """Non-negative ints < 2^(64 width) -> (n, width) uint64 little-endian limbs."""
    nbytes = 8 * width
    try:
        raw = b"".join(int(v).to_bytes(nbytes, "little") for v in values)
    except OverflowError as exc:
        raise NativeError(f"value does not fit in {width} 64-bit limbs (or is negative)") from exc
    return np.frombuffer(raw, dtype="<u8").reshape(-1, width).astype(np.uint64)


def limbs_to_ints(arr: np.ndarray) -> list[int]:
    """(n, w) uint64 limbs -> list of ints (a 1-d array is one value)."""
    a = np.ascontiguousarray(as_limbs(arr), dtype="<u8")
    if a.ndim == 1:
        a = a.reshape(1, -1)
    w = a.shape[1]
    raw = a.tobytes()
    step = 8 * w
    return [int.from_bytes(raw[i:i + step], "little") for i in range(0, len(raw), step)]


def encode_signed(x: int) -> int:
    """The Fr element of a signed integer: ``x mod r``."""
    return x % bn.R


def decode_signed(v: int) -> int:
    """The signed integer of an Fr element (reduced mod r first): ``v`` if
    ``v <= (r-1)/2`` else ``v - r``."""
    v %= bn.R
    return v - bn.R if v > (bn.R - 1) // 2 else v


def signed_to_limbs(values: np.ndarray) -> np.ndarray:
    """``x mod r`` of every entry of an int64 array, as standard-form limbs (shape + (4,)).

    A negative x is ``r - |x|``: the limbs of r minus |x| with the borrow carried up."""
    a = np.asarray(values)
    if a.dtype != np.int64:
        raise NativeError(f"signed_to_limbs: expected int64 values, got dtype {a.dtype}")
    neg = a < 0
    mag = np.where(neg, -a, a).astype(np.uint64)  # |x| (int64 min wraps to 2^63, exact)
    out = np.zeros(a.shape + (4,), dtype=np.uint64)
    out[..., 0] = mag
    r_limbs = ints_to_limbs([bn.R])[0]
    borrow = np.zeros(a.shape, dtype=np.uint64)
    sub = np.where(neg, mag, np.uint64(0))
    for i in range(4):
        ri = r_limbs[i]
        d = ri - sub - borrow
        nb = ((sub + borrow) > ri) | ((sub == np.uint64(0xFFFFFFFFFFFFFFFF)) & (borrow > 0))
        out[..., i] = np.where(neg, d, out[..., i])
        borrow = nb.astype(np.uint64)
        sub = np.zeros_like(sub)
    return out


def int_to_limbs(value: int, width: int = 4) -> np.ndarray:
    """One non-negative int < 2^(64 width) -> (width,) uint64 little-endian limbs."""
    return ints_to_limbs([value], width)[0]


def limbs_to_int(limbs: np.ndarray) -> int:
    """(w,) uint64 little-endian limbs -> int."""
    return limbs_to_ints(np.asarray(limbs).reshape(1, -1))[0]


def as_limbs(arr: object, width: int | None = None, name: str = "array") -> np.ndarray:
    """Check/convert to a C-contiguous uint64 array whose last axis is `width` limbs."""
    a = np.asarray(arr)
    if a.dtype != np.uint64:
        if a.dtype.kind not in "ui" or (a.size and a.min() < 0):
            raise NativeError(f"{name}: expected uint64 limbs, got dtype {a.dtype}")
        a = a.astype(np.uint64)
    if width is not None and (a.ndim == 0 or a.shape[-1] != width):
        raise NativeError(f"{name}: expected last dimension {width}, got shape {a.shape}")
    return np.ascontiguousarray(a)


def _reduce_all(values: Sequence[int], p: int) -> list[int]:
    return [int(v) % p for v in values]


# --- Fr / Fq ------------------------------------------------------------------
def fr_from_ints(values: Iterable[int]) -> np.ndarray:
    """Ints (any sign, reduced mod r) -> (n, 4) standard-form limbs."""
    return ints_to_limbs(_reduce_all(list(values), bn.R))


def fq_from_ints(values: Iterable[int]) -> np.ndarray:
    """Ints (reduced mod q) -> (n, 4) standard-form limbs."""
    return ints_to_limbs(_reduce_all(list(values), bn.P))


def fr_to_ints(arr: np.ndarray) -> list[int]:
    """(n, 4) limbs -> ints (no reduction, no Montgomery conversion)."""
    return limbs_to_ints(as_limbs(arr, 4, "fr"))


fq_to_ints = fr_to_ints


def py_to_mont(arr: np.ndarray, p: int, r1: int) -> np.ndarray:
    """Standard (n,4) -> Montgomery (n,4), pure Python."""
    a = as_limbs(arr, 4)
    out = ints_to_limbs([v % p * r1 % p for v in limbs_to_ints(a)])
    return out.reshape(a.shape)


def py_from_mont(arr: np.ndarray, p: int, rinv: int) -> np.ndarray:
    """Montgomery (n,4) -> standard (n,4), pure Python."""
    a = as_limbs(arr, 4)
    out = ints_to_limbs([v * rinv % p for v in limbs_to_ints(a)])
    return out.reshape(a.shape)


def fq_mont_int(x: int) -> int:
    """Montgomery representative of x in Fq."""
    return x % bn.P * FQ_R1 % bn.P


def fq_unmont_int(x: int) -> int:
    """Value of the Montgomery representative x in Fq."""
    return x * FQ_RINV % bn.P


# --- points -------------------------------------------------------------------
G1Ints = tuple[int, int] | None
G2Ints = tuple[tuple[int, int], tuple[int, int]] | None


def g1_from_ints(points: Iterable[G1Ints]) -> np.ndarray:
    """[(x, y) | None] -> (n, 8) Montgomery affine (None = infinity = zeros)."""
    vals: list[int] = []
    for pt in points:
        if pt is None:
            vals += [0, 0]
        else:
            vals += [fq_mont_int(pt[0]), fq_mont_int(pt[1])]
    return ints_to_limbs(vals).reshape(-1, 8)


def g1_to_ints(arr: np.ndarray) -> list[G1Ints]:
    """(n, 8) or (8,) Montgomery affine -> [(x, y) | None]."""
    a = as_limbs(arr, 8, "g1").reshape(-1, 8)
    v = limbs_to_ints(a.reshape(-1, 4))
    out: list[G1Ints] = []
    for i in range(a.shape[0]):
        x, y = v[2 * i], v[2 * i + 1]
        out.append(None if x == 0 and y == 0 else (fq_unmont_int(x), fq_unmont_int(y)))
    return out


def g2_from_ints(points: Iterable[G2Ints]) -> np.ndarray:
    """[((x_re, x_im), (y_re, y_im)) | None] -> (n, 16) Montgomery affine."""
    vals: list[int] = []
    for pt in points:
        if pt is None:
            vals += [0, 0, 0, 0]
        else:
            (x0, x1), (y0, y1) = pt
            vals += [fq_mont_int(x0), fq_mont_int(x1), fq_mont_int(y0), fq_mont_int(y1)]
    return ints_to_limbs(vals).reshape(-1, 16)


def g2_to_ints(arr: np.ndarray) -> list[G2Ints]:
    """(n, 16) or (16,) Montgomery affine -> [((x_re, x_im), (y_re, y_im)) | None]."""
    a = as_limbs(arr, 16, "g2").reshape(-1, 16)
    v = limbs_to_ints(a.reshape(-1, 4))
    out: list[G2Ints] = []
    for i in range(a.shape[0]):
        c = v[4 * i:4 * i + 4]
        if not any(c):
            out.append(None)
        else:
            u = [fq_unmont_int(t) for t in c]
            out.append(((u[0], u[1]), (u[2], u[3])))
    return out


# --- py_ecc bridges (py_ecc.optimized_bn128, Jacobian-like (x, y, z) tuples) ----
def g1_from_py_ecc(pt: object) -> np.ndarray:
    """py_ecc optimized_bn128 G1 point -> (8,) Montgomery affine."""
    from py_ecc import optimized_bn128 as ob

    if ob.is_inf(pt):
        return g1_from_ints([None])[0]
    x, y = ob.normalize(pt)
    return g1_from_ints([(int(x), int(y))])[0]


def g1_to_py_ecc(arr: np.ndarray) -> object:
    """(8,) Montgomery affine -> py_ecc optimized_bn128 G1 point."""
    from py_ecc import optimized_bn128 as ob

    pt = g1_to_ints(arr)[0]
    if pt is None:
        return ob.Z1
    return (ob.FQ(pt[0]), ob.FQ(pt[1]), ob.FQ.one())


def g2_from_py_ecc(pt: object) -> np.ndarray:
    """py_ecc optimized_bn128 G2 point -> (16,) Montgomery affine."""
    from py_ecc import optimized_bn128 as ob

    if ob.is_inf(pt):
        return g2_from_ints([None])[0]
    x, y = ob.normalize(pt)
    xc, yc = x.coeffs, y.coeffs
    return g2_from_ints([((int(xc[0]), int(xc[1])), (int(yc[0]), int(yc[1])))])[0]


def g2_to_py_ecc(arr: np.ndarray) -> object:
    """(16,) Montgomery affine -> py_ecc optimized_bn128 G2 point."""
    from py_ecc import optimized_bn128 as ob

    pt = g2_to_ints(arr)[0]
    if pt is None:
        return ob.Z2
    (x0, x1), (y0, y1) = pt
    return (ob.FQ2([x0, x1]), ob.FQ2([y0, y1]), ob.FQ2.one())
