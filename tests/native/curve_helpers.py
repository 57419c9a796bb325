"""Helpers for the curve/MSM tests: random points, a twist point outside G2."""
from __future__ import annotations

import random

from py_ecc import optimized_bn128 as ob

import native
from native import params as bn

P, R = bn.P, bn.R


def rand_g1(rnd: random.Random, n: int) -> list:
    return [ob.multiply(ob.G1, rnd.randrange(1, R)) for _ in range(n)]


def rand_g2(rnd: random.Random, n: int) -> list:
    return [ob.multiply(ob.G2, rnd.randrange(1, R)) for _ in range(n)]


def fq_sqrt(a: int) -> int | None:
    s = pow(a, (P + 1) // 4, P)
    return s if s * s % P == a % P else None


def fq2_sqrt(a: tuple[int, int]) -> tuple[int, int] | None:
    """sqrt in Fq[u]/(u^2+1) via the norm (p = 3 mod 4)."""
    a0, a1 = a
    s = fq_sqrt((a0 * a0 + a1 * a1) % P)
    if s is None:
        return None
    inv2 = pow(2, -1, P)
    for t in (s, P - s):
        x0 = fq_sqrt((a0 + t) * inv2 % P)
        if x0 is None or x0 == 0:
            continue
        x1 = a1 * pow(2 * x0, -1, P) % P
        if bn.fq2_mul((x0, x1), (x0, x1)) == (a0 % P, a1 % P):
            return (x0, x1)
    return None


def twist_point_outside_g2(seed: int = 1):
    """A point on y^2 = x^3 + 3/(9+u) that is not in the order-r subgroup."""
    rnd = random.Random(seed)
    while True:
        x = (rnd.randrange(P), rnd.randrange(P))
        rhs = bn.fq2_mul(bn.fq2_mul(x, x), x)
        rhs = ((rhs[0] + bn.TWIST_B[0]) % P, (rhs[1] + bn.TWIST_B[1]) % P)
        y = fq2_sqrt(rhs)
        if y is not None:
            pt = (ob.FQ2(list(x)), ob.FQ2(list(y)), ob.FQ2.one())
            if not ob.is_inf(ob.multiply(pt, R)):
                return pt


def g1_arr(pts):
    import numpy as np

    return np.array([native.g1_from_py_ecc(p) for p in pts], dtype=np.uint64).reshape(-1, 8)


def g2_arr(pts):
    import numpy as np

    return np.array([native.g2_from_py_ecc(p) for p in pts], dtype=np.uint64).reshape(-1, 16)
