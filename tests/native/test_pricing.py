"""The C scenario-pricing kernel (native/src/pricing.c) against Python: its exact integer
floors against Fraction arithmetic, its doubles against engine-free Python floats with
the same libm calls."""
from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from tests.native.conftest import c_backend

c_backend()  # fail (never skip) when the extension is missing
from native import c_pricing  # noqa: E402

INT64 = 1 << 63


def fraction_floor(num: int, den: int, x: float, b: float) -> int:
    return math.floor(Fraction(num, den) * (Fraction(x) - Fraction(b)))


def doubles(max_exp: int = 60) -> st.SearchStrategy[float]:
    """Non-negative finite doubles from subnormals to 2^max_exp, and 0."""
    return st.one_of(
        st.just(0.0), st.just(5e-324),
        st.floats(min_value=0.0, max_value=2.0 ** max_exp, allow_nan=False,
                  allow_infinity=False),
        st.builds(lambda m, e: math.ldexp(m, e), st.floats(0.5, 1.0, exclude_max=True),
                  st.integers(-1074, max_exp)))


@settings(max_examples=600, deadline=None)
@given(num=st.integers(0, 2**62), den=st.integers(1, 2**62), x=doubles(), b=doubles())
def test_risk_floor_matches_fractions(num: int, den: int, x: float, b: float) -> None:
    got = c_pricing.risk_floor_of(num, den, x, b)
    want = fraction_floor(num, den, x, b)
    if got is None:   # refused: only where no route applies (checked below for the usual range)
        return
    assert got == want


@settings(max_examples=600, deadline=None)
@given(num=st.integers(0, 2**40), den=st.integers(1, 2**40),
       x=doubles(20), b=doubles(20))
def test_risk_floor_covers_the_pricing_range(num: int, den: int, x: float, b: float) -> None:
    """Prices below 2^20 and contract sizes below 2^40: one of the exact routes (128-bit,
    256-bit, far-apart exponents) always applies, whatever the exponent gap."""
    assert c_pricing.risk_floor_of(num, den, x, b) == fraction_floor(num, den, x, b)


def test_risk_floor_routes_on_chosen_gaps() -> None:
    """Exponent gaps at and around each route's limits (72 bits for 128-bit arithmetic, the
    256-bit budget, the far-apart rule), both orders, exact multiples included."""
    rnd = random.Random(7)
    for gap in list(range(0, 200)) + [300, 500, 900, 1070]:
        for _ in range(6):
            big = rnd.uniform(0.5, 2.0) * 2.0 ** rnd.randint(-30, 10)
            small = big * 2.0 ** -gap * rnd.uniform(0.5, 1.0)
            num, den = rnd.choice([(10**8, 1), (7 * 10**8, 20), (3, 10**9), (2**40 - 1, 3)])
            for x, b in ((big, small), (small, big)):
                assert c_pricing.risk_floor_of(num, den, x, b) == fraction_floor(num, den, x, b)
    # A = num * big / den an exact integer, the small term decides the floor
    for e in range(1, 200, 7):
        big, small = 2.0 ** 10, 2.0 ** (10 - 60 - e)
        assert c_pricing.risk_floor_of(1, 1, big, small) == 1023
        assert c_pricing.risk_floor_of(1, 1, small, big) == -1024
    assert c_pricing.risk_floor_of(5, 3, 0.0, 0.0) == 0
    assert c_pricing.risk_floor_of(0, 3, 1.0, 2.0 ** -1000) == 0


def test_risk_floor_refuses_out_of_range() -> None:
    assert c_pricing.risk_floor_of(1, 1, 2.0 ** 70, 0.0) is None      # beyond int64
    assert c_pricing.risk_floor_of(1, 1, math.inf, 0.0) is None
    assert c_pricing.risk_floor_of(1, 0, 1.0, 0.0) is None
    assert c_pricing.risk_floor_of(1, 1, 2.0 ** 62, 0.0) == 2 ** 62
    assert c_pricing.risk_floor_of(2, 1, 2.0 ** 62, 0.0) is None


@settings(max_examples=600, deadline=None)
@given(a=st.integers(0, INT64 - 1), b=st.integers(1, INT64 - 1),
       x=st.floats(-2.0 ** 70, 2.0 ** 70, allow_nan=False))
def test_floor_dyadic_product(a: int, b: int, x: float) -> None:
    m, e = (0, 0) if x == 0 else (int(math.ldexp(math.frexp(x)[0], 53)), math.frexp(x)[1] - 53)
    want = math.floor(Fraction(a, b) * Fraction(x))
    got = c_pricing.floor_dyadic_product(a, b, m, e)
    if -INT64 <= want < INT64 and abs(a * m) < 2**127:
        assert got == want
    else:
        assert got in (None, want)


# ---- the doubles: Black–Scholes written out here with math's libm calls -------------------
SQRT2 = math.sqrt(2.0)
INV = 1.0 / math.sqrt(2.0 * math.pi)


def ncdf(x: float) -> float:
    return 0.5 * math.erfc(-x / SQRT2) if x < 0 else 0.5 * (1.0 + math.erf(x / SQRT2))


def py_price(put: int, s: float, k: float, t: float, v: float, r: float) -> float:
    sd = v * math.sqrt(t)
    d1 = (math.log(s / k) + (r + 0.5 * v * v) * t) / sd
    d2 = d1 - sd
    disc = k * math.exp(-r * t)
    x = disc * ncdf(-d2) - s * ncdf(-d1) if put else s * ncdf(d1) - disc * ncdf(d2)
    return max(0.0, x)


def test_batch_doubles_and_floors_match_python() -> None:
    rnd = random.Random(11)
    n, m = 400, 7
    kind = [rnd.randint(0, 1) for _ in range(n)]
    spot = [10 ** rnd.uniform(-3, 5) for _ in range(n)]
    strike = [s * 10 ** rnd.uniform(-1.5, 1.5) for s in spot]
    t = [10 ** rnd.uniform(-3.5, 1) for _ in range(n)]
    vol = [10 ** rnd.uniform(-3, 0.7) for _ in range(n)]
    mult = [rnd.choice([1.0, 0.1, 10.0]) for _ in range(n)]
    rate = 0.03
    shock = [[rnd.uniform(0.2, 2.0) for _ in range(m)] for _ in range(2)]
    factor = [[rnd.uniform(0.1, 3.0) for _ in range(m)] for _ in range(3)]
    srow = [rnd.randint(0, 1) for _ in range(n)]
    frow = [rnd.randint(0, 2) for _ in range(n)]
    cnum, cden = [1] * (m - 1) + [7], [1] * (m - 1) + [20]
    pnum = [10**8 if x == 1.0 else 10**7 if x == 0.1 else 10**9 for x in mult]
    pden = [1] * n
    res = c_pricing.option_risk_batch(kind, spot, strike, t, vol, mult, rate, SQRT2, INV,
                                      shock, srow, factor, frow, cnum, cden, pnum, pden)
    assert res.refused == 0 and res.exact.all()
    for i in range(n):
        base = py_price(kind[i], spot[i], strike[i], t[i], vol[i], rate)
        assert res.base[i] == base
        assert res.mark[i] == math.floor(Fraction(pnum[i], pden[i]) * Fraction(base))
        for s in range(m):
            v = py_price(kind[i], shock[srow[i]][s] * spot[i], strike[i], t[i],
                         vol[i] * factor[frow[i]][s], rate)
            assert res.value[i, s] == v
            assert res.risk[i, s] == fraction_floor(cnum[s] * pnum[i], cden[s] * pden[i], v, base)


def test_batch_refuses_where_python_raises() -> None:
    """A zero spot after the shock (Python: EngineError), a vol whose product with sqrt(t)
    underflows (ZeroDivisionError), a NaN: refused, nothing claimed."""
    res = c_pricing.option_risk_batch(
        [0, 1, 0, 0], [100.0, 100.0, 100.0, float("nan")], [100.0] * 4,
        [1.0, 1e-300, 1.0, 1.0], [0.5, 1e-300, 0.5, 0.5], [1.0] * 4, 0.0, SQRT2, INV,
        [[1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 1], [[1.0, 1.0]], [0, 0, 0, 0], [1, 1], [1, 1],
        [10**8] * 4, [1] * 4)
    assert res.status.tolist() == [c_pricing.REFUSED, c_pricing.REFUSED, c_pricing.OK,
                                   c_pricing.REFUSED]
    assert res.refused == 3 and not res.exact[0].any()


def test_batch_checks_its_arguments() -> None:
    from native.convert import NativeError

    with pytest.raises(NativeError, match="out of range"):
        c_pricing.option_risk_batch([0], [1.0], [1.0], [1.0], [0.5], [1.0], 0.0, SQRT2, INV,
                                    [[1.0]], [1], [[1.0]], [0], [1], [1], [1], [1])
    with pytest.raises(NativeError, match="cover_den"):
        c_pricing.option_risk_batch([0], [1.0], [1.0], [1.0], [0.5], [1.0], 0.0, SQRT2, INV,
                                    [[1.0]], [0], [[1.0]], [0], [1], [0], [1], [1])
    empty = c_pricing.option_risk_batch([], [], [], [], [], [], 0.0, SQRT2, INV,
                                        np.ones((1, 3)), [], np.ones((1, 3)), [], [1] * 3,
                                        [1] * 3, [], [])
    assert empty.refused == 0 and empty.risk.shape == (0, 3)
