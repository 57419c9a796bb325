"""Pure-Python fallback: G1/G2 arithmetic, MSM and fixed-base multiplication over
py_ecc.optimized_bn128 (same API as the C backend; arrays are Montgomery affine).

The MSM is a plain (unsigned-window) Pippenger over py_ecc points; it is slow (a few
ms per point) but exact, and is the reference that the C MSM is tested against
together with a naive sum.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from native import params as bn
from native.convert import (NativeError, as_limbs, fq_unmont_int, g1_from_py_ecc,
                            g1_to_py_ecc, g2_from_py_ecc, g2_to_py_ecc, limbs_to_ints)


def _ob():
    from py_ecc import optimized_bn128 as ob

    return ob


def _scalars(scalars: np.ndarray, n: int) -> list[int]:
    s = as_limbs(scalars, 4, "scalars")
    if s.reshape(-1, 4).shape[0] != n:
        raise NativeError(f"msm: {n} points but {s.reshape(-1, 4).shape[0]} scalars")
    return [v % bn.R for v in limbs_to_ints(s.reshape(-1, 4))]


def _many(fn: Callable[[np.ndarray], object], arr: np.ndarray, width: int) -> object:
    """Apply a per-point predicate to (width,) or (n, width) arrays."""
    a = as_limbs(arr, width, "point")
    if a.ndim == 1:
        return fn(a)
    return np.array([fn(row) for row in a.reshape(-1, width)], dtype=bool)


class _Group:
    """One of G1/G2 on py_ecc with the native array layout."""

    def __init__(self, width: int, to_pt: Callable, from_pt: Callable, b: object) -> None:
        self.width, self.to_pt, self.from_pt, self.b = width, to_pt, from_pt, b

    def pt(self, arr: np.ndarray) -> object:
        return self.to_pt(as_limbs(arr, self.width, "point").reshape(self.width))

    def add(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        ob = _ob()
        return self.from_pt(ob.add(self.pt(p), self.pt(q)))

    def double(self, p: np.ndarray) -> np.ndarray:
        ob = _ob()
        return self.from_pt(ob.double(self.pt(p)))

    def neg(self, p: np.ndarray) -> np.ndarray:
        ob = _ob()
        return self.from_pt(ob.neg(self.pt(p)))

    def scalar_mul(self, p: np.ndarray, k: int) -> np.ndarray:
        """[k] p for an integer 0 <= k < 2^256 (not reduced mod r)."""
        ob = _ob()
        if not 0 <= int(k) < 1 << 256:
            raise NativeError("scalar_mul: scalar must be in [0, 2^256)")
        return self.from_pt(ob.multiply(self.pt(p), int(k)))

    def is_on_curve(self, p: np.ndarray) -> object:
        ob = _ob()

        def one(row: np.ndarray) -> bool:
            pt = self.to_pt(row)
            return bool(ob.is_inf(pt) or ob.is_on_curve(pt, self.b()))

        return _many(one, p, self.width)

    def msm(self, points: np.ndarray, scalars: np.ndarray, threads: int | None = None) -> np.ndarray:
        """sum_i [k_i mod r] P_i by Pippenger with unsigned c-bit windows."""
        ob = _ob()
        pts = as_limbs(points, self.width, "points").reshape(-1, self.width)
        ks = _scalars(scalars, pts.shape[0])
        live = [(k, self.to_pt(p)) for k, p in zip(ks, pts) if k]
        zero = ob.Z1 if self.width == 8 else ob.Z2
        if not live:
            return self.from_pt(zero)
        c = max(2, (len(live).bit_length() + 1) // 2 + 1)
        acc = zero
        for w in reversed(range((254 + c - 1) // c)):
            for _ in range(c):
                acc = ob.double(acc)
            buckets = [zero] * (1 << c)
            for k, p in live:
                d = (k >> (w * c)) & ((1 << c) - 1)
                if d:
                    buckets[d] = ob.add(buckets[d], p)
            running, window = zero, zero
            for d in range((1 << c) - 1, 0, -1):
                running = ob.add(running, buckets[d])
                window = ob.add(window, running)
            acc = ob.add(acc, window)
        return self.from_pt(acc)

    def fixed_base_mul(self, base: np.ndarray, scalars: np.ndarray,
                       threads: int | None = None) -> np.ndarray:
        """[k_i mod r] base for every scalar, as (n, width) affine."""
        ob = _ob()
        b = self.pt(base)
        s = as_limbs(scalars, 4, "scalars").reshape(-1, 4)
        ks = [v % bn.R for v in limbs_to_ints(s)]
        out = np.zeros((len(ks), self.width), dtype=np.uint64)
        for i, k in enumerate(ks):
            out[i] = self.from_pt(ob.multiply(b, k))
        return out

    def batch_to_affine(self, jac: np.ndarray) -> np.ndarray:
        """(n, 3w/2) Montgomery Jacobian (X, Y, Z; x = X/Z^2, y = Y/Z^3) -> (n, w) affine."""
        ob = _ob()
        cw = self.width // 2
        j = as_limbs(jac, 3 * cw, "jacobian").reshape(-1, 3 * cw)
        out = np.zeros((j.shape[0], self.width), dtype=np.uint64)
        for i, row in enumerate(j):
            X, Y, Z = (self._coord(row[t * cw:(t + 1) * cw]) for t in range(3))
            if Z == Z.zero():
                continue
            zi = Z.inv() if hasattr(Z, "inv") else 1 / Z
            out[i] = self.from_pt((X * zi * zi, Y * zi * zi * zi, Z.one()))
        return out

    def _coord(self, limbs: np.ndarray) -> object:
        ob = _ob()
        v = [fq_unmont_int(x) for x in limbs_to_ints(limbs.reshape(-1, 4))]
        return ob.FQ(v[0]) if len(v) == 1 else ob.FQ2(v)


G1 = _Group(8, g1_to_py_ecc, g1_from_py_ecc, lambda: _ob().b)
G2 = _Group(16, g2_to_py_ecc, g2_from_py_ecc, lambda: _ob().b2)


def g1_add(p, q): return G1.add(p, q)
def g1_double(p): return G1.double(p)
def g1_neg(p): return G1.neg(p)
def g1_scalar_mul(p, k): return G1.scalar_mul(p, k)
def g1_msm(points, scalars, threads=None, config=None): return G1.msm(points, scalars, threads)  # config: C tuning only
def g1_fixed_base_mul(base, scalars, threads=None): return G1.fixed_base_mul(base, scalars, threads)
def g1_batch_to_affine(jac): return G1.batch_to_affine(jac)
def g2_add(p, q): return G2.add(p, q)
def g2_double(p): return G2.double(p)
def g2_neg(p): return G2.neg(p)
def g2_scalar_mul(p, k): return G2.scalar_mul(p, k)
def g2_msm(points, scalars, threads=None, config=None): return G2.msm(points, scalars, threads)  # config: C tuning only
def g2_fixed_base_mul(base, scalars, threads=None): return G2.fixed_base_mul(base, scalars, threads)
def g2_batch_to_affine(jac): return G2.batch_to_affine(jac)


def g1_is_on_curve(p):
    """True iff p is infinity or satisfies y^2 = x^3 + 3 (per row for (n, 8))."""
    return G1.is_on_curve(p)


def g2_is_on_curve(p):
    """True iff p is infinity or satisfies y^2 = x^3 + 3/(9+u) (per row for (n, 16))."""
    return G2.is_on_curve(p)


def g2_in_subgroup(p):
    """True iff p is on the twist and [r] p = infinity (per row for (n, 16))."""
    ob = _ob()

    def one(row: np.ndarray) -> bool:
        pt = g2_to_py_ecc(row)
        if ob.is_inf(pt):
            return True
        return bool(ob.is_on_curve(pt, ob.b2) and ob.is_inf(ob.multiply(pt, bn.R)))

    return _many(one, p, 16)
