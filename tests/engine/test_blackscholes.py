"""Black–Scholes: reference prices, put-call parity, Greeks against finite differences."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

from engine import blackscholes as bs
from engine.errors import EngineError

from tests.engine.books import SLOW_OK


def test_hull_reference_prices() -> None:
    # Hull, Options, Futures and Other Derivatives, example 15.6: S=42, K=40, r=10%,
    # sigma=20%, T=0.5 -> c = 4.76, p = 0.81 (d1 = 0.7693, d2 = 0.6278)
    assert bs.price("call", 42, 40, 0.5, 0.2, 0.1) == pytest.approx(4.7594, abs=1e-4)
    assert bs.price("put", 42, 40, 0.5, 0.2, 0.1) == pytest.approx(0.8086, abs=1e-4)


def test_atm_zero_rate_closed_form() -> None:
    # with r = 0 and S = K: call = put = S (2 N(sigma sqrt(T) / 2) - 1)
    s, v, t = 95000.0, 0.55, 30 / 365
    expected = s * (2 * bs.norm_cdf(v * math.sqrt(t) / 2) - 1)
    assert bs.price("call", s, s, t, v) == pytest.approx(expected, rel=1e-12)
    assert bs.price("put", s, s, t, v) == pytest.approx(expected, rel=1e-12)


def test_norm_cdf_values() -> None:
    assert bs.norm_cdf(0.0) == 0.5
    assert bs.norm_cdf(1.959963984540054) == pytest.approx(0.975, abs=1e-15)
    assert bs.norm_cdf(-8.0) == pytest.approx(6.22096057e-16, rel=1e-6)


spots = st.floats(10, 200_000)
moneyness = st.floats(0.5, 2.0)
times = st.floats(1 / 365, 2.0)
vols = st.floats(0.05, 2.0)
rates = st.floats(0.0, 0.1)


@settings(max_examples=200, deadline=None, suppress_health_check=SLOW_OK)
@given(spots, moneyness, times, vols, rates)
def test_put_call_parity(s, m, t, v, r) -> None:
    k = s * m
    c, p = bs.price("call", s, k, t, v, r), bs.price("put", s, k, t, v, r)
    assert c - p == pytest.approx(s - k * math.exp(-r * t), abs=1e-9 * s)


@settings(max_examples=100, deadline=None, suppress_health_check=SLOW_OK)
@given(st.floats(100, 100_000), st.floats(0.7, 1.4), st.floats(7 / 365, 1.0), st.floats(0.2, 1.2),
       rates, st.sampled_from(["call", "put"]))
def test_greeks_match_finite_differences(s, m, t, v, r, kind) -> None:
    k = s * m
    g = bs.greeks(kind, s, k, t, v, r)
    h = s * 1e-4
    up, mid, down = (bs.price(kind, x, k, t, v, r) for x in (s + h, s, s - h))
    assert g.delta == pytest.approx((up - down) / (2 * h), abs=1e-6)
    hg = s * 1e-3
    up_g, down_g = bs.price(kind, s + hg, k, t, v, r), bs.price(kind, s - hg, k, t, v, r)
    atm_gamma = 0.4 / (s * v * math.sqrt(t))       # the scale of gamma for this option
    assert g.gamma == pytest.approx((up_g - 2 * mid + down_g) / hg**2, rel=1e-3,
                                    abs=1e-4 * atm_gamma)
    dv = 1e-5
    vega_fd = (bs.price(kind, s, k, t, v + dv, r) - bs.price(kind, s, k, t, v - dv, r)) / (2 * dv)
    assert g.vega == pytest.approx(vega_fd, rel=1e-5, abs=1e-6 * s)
    dt = 1e-6
    theta_fd = -(bs.price(kind, s, k, t + dt, v, r) - bs.price(kind, s, k, t - dt, v, r)) / (2 * dt)
    assert g.theta == pytest.approx(theta_fd, rel=1e-4, abs=1e-5 * s)


def test_bad_inputs_raise_engine_error() -> None:
    with pytest.raises(EngineError):
        bs.price("call", -1.0, 100, 1, 0.2)
    with pytest.raises(EngineError):
        bs.price("call", 100, 100, 0.0, 0.2)
    with pytest.raises(EngineError):
        bs.greeks("straddle", 100, 100, 1, 0.2)


@given(st.sampled_from(["call", "put"]),
       st.lists(st.tuples(st.floats(0.01, 1e6), st.floats(0.01, 5.0)), min_size=1, max_size=8),
       st.floats(0.01, 1e6), st.floats(1e-4, 3.0), st.floats(-0.1, 0.2))
@pytest.mark.slow
@settings(max_examples=200, deadline=None)
def test_prices_equal_price_bit_for_bit(kind, pairs, strike, t, rate) -> None:
    """The batched form used by the book builder gives exactly price()'s floats."""
    spots, vols = [p[0] for p in pairs], [p[1] for p in pairs]
    got = bs.prices(kind, spots, strike, t, vols, rate)
    want = [bs.price(kind, s, strike, t, v, rate) for s, v in pairs]
    assert [x.hex() for x in got] == [x.hex() for x in want]


def test_prices_errors_match_price() -> None:
    with pytest.raises(EngineError, match="unknown option kind"):
        bs.prices("straddle", [1.0], 1.0, 1.0, [0.5])
    with pytest.raises(EngineError, match="must be positive"):
        bs.prices("call", [1.0, -1.0], 1.0, 1.0, [0.5, 0.5])
    with pytest.raises(EngineError, match="must be positive"):
        bs.prices("put", [1.0], 1.0, 0.0, [0.5])
