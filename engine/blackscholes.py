"""Black–Scholes prices and Greeks of European options (floats; the risk book floors them).

With spot S, strike K, time T in years, volatility sigma and rate r:

    d1 = (ln(S/K) + (r + sigma^2/2) T) / (sigma sqrt T),   d2 = d1 - sigma sqrt T
    call = S N(d1) - K e^{-rT} N(d2),    put = K e^{-rT} N(-d2) - S N(-d1)

N is the normal CDF, N(x) = (1 + erf(x / sqrt 2)) / 2.  Greeks (per unit of the
underlying, per year for theta, per 1.0 of volatility for vega):

    delta_call = N(d1), delta_put = N(d1) - 1,   gamma = phi(d1) / (S sigma sqrt T)
    vega = S phi(d1) sqrt T,
    theta_call = -S phi(d1) sigma / (2 sqrt T) - r K e^{-rT} N(d2)
    theta_put  = -S phi(d1) sigma / (2 sqrt T) + r K e^{-rT} N(-d2)
"""
from __future__ import annotations

import math
from typing import NamedTuple, Sequence

from engine.errors import EngineError

SQRT2 = math.sqrt(2.0)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def norm_cdf(x: float) -> float:
    """N(x) = (1 + erf(x / sqrt 2)) / 2 (erfc on the left tail keeps precision)."""
    if x < 0:
        return 0.5 * math.erfc(-x / SQRT2)
    return 0.5 * (1.0 + math.erf(x / SQRT2))


def norm_pdf(x: float) -> float:
    """phi(x) = exp(-x^2/2) / sqrt(2 pi)."""
    return INV_SQRT_2PI * math.exp(-0.5 * x * x)


def _d1_d2(spot: float, strike: float, t: float, vol: float, rate: float) -> tuple[float, float]:
    if spot <= 0 or strike <= 0 or t <= 0 or vol <= 0:
        raise EngineError(f"black-scholes: spot, strike, time and vol must be positive "
                          f"(S={spot}, K={strike}, T={t}, vol={vol})")
    sd = vol * math.sqrt(t)
    d1 = (math.log(spot / strike) + (rate + 0.5 * vol * vol) * t) / sd
    return d1, d1 - sd


def price(kind: str, spot: float, strike: float, t: float, vol: float, rate: float = 0.0
          ) -> float:
    """The Black–Scholes price of a European ``call`` or ``put`` (per unit)."""
    d1, d2 = _d1_d2(spot, strike, t, vol, rate)
    disc = strike * math.exp(-rate * t)
    if kind == "call":
        return max(0.0, spot * norm_cdf(d1) - disc * norm_cdf(d2))
    if kind == "put":
        return max(0.0, disc * norm_cdf(-d2) - spot * norm_cdf(-d1))
    raise EngineError(f"black-scholes: unknown option kind {kind!r}")


def prices(kind: str, spots: Sequence[float], strike: float, t: float, vols: Sequence[float],
           rate: float = 0.0) -> list[float]:
    """``[price(kind, s, strike, t, v, rate) for s, v in zip(spots, vols)]``, bit for bit:
    every float operation of :func:`price` in the same order, with the terms that do not
    depend on (s, v) (sqrt T, the discounted strike) computed once."""
    if kind not in ("call", "put"):
        raise EngineError(f"black-scholes: unknown option kind {kind!r}")
    if strike <= 0 or t <= 0:
        raise EngineError(f"black-scholes: spot, strike, time and vol must be positive "
                          f"(K={strike}, T={t})")
    sqrt_t = math.sqrt(t)
    disc = strike * math.exp(-rate * t)
    log, erf, erfc = math.log, math.erf, math.erfc
    out = []
    for spot, vol in zip(spots, vols):
        if spot <= 0 or vol <= 0:
            _d1_d2(spot, strike, t, vol, rate)  # raises the error of price()
        sd = vol * sqrt_t
        d1 = (log(spot / strike) + (rate + 0.5 * vol * vol) * t) / sd
        d2 = d1 - sd
        if kind == "call":
            n1 = 0.5 * erfc(-d1 / SQRT2) if d1 < 0 else 0.5 * (1.0 + erf(d1 / SQRT2))
            n2 = 0.5 * erfc(-d2 / SQRT2) if d2 < 0 else 0.5 * (1.0 + erf(d2 / SQRT2))
            out.append(max(0.0, spot * n1 - disc * n2))
        else:
            m2, m1 = -d2, -d1
            n2 = 0.5 * erfc(-m2 / SQRT2) if m2 < 0 else 0.5 * (1.0 + erf(m2 / SQRT2))
            n1 = 0.5 * erfc(-m1 / SQRT2) if m1 < 0 else 0.5 * (1.0 + erf(m1 / SQRT2))
            out.append(max(0.0, disc * n2 - spot * n1))
    return out


class Greeks(NamedTuple):
    """Sensitivities per unit: delta (per 1 of spot), gamma, vega (per 1.0 vol), theta (per year)."""

    delta: float
    gamma: float
    vega: float
    theta: float


def greeks(kind: str, spot: float, strike: float, t: float, vol: float, rate: float = 0.0
           ) -> Greeks:
    """Analytic Black–Scholes Greeks of a European ``call`` or ``put``."""
    d1, d2 = _d1_d2(spot, strike, t, vol, rate)
    pdf = norm_pdf(d1)
    sqrt_t = math.sqrt(t)
    gamma = pdf / (spot * vol * sqrt_t)
    vega = spot * pdf * sqrt_t
    decay = -spot * pdf * vol / (2.0 * sqrt_t)
    disc = strike * math.exp(-rate * t)
    if kind == "call":
        return Greeks(norm_cdf(d1), gamma, vega, decay - rate * disc * norm_cdf(d2))
    if kind == "put":
        return Greeks(norm_cdf(d1) - 1.0, gamma, vega, decay + rate * disc * norm_cdf(-d2))
    raise EngineError(f"black-scholes: unknown option kind {kind!r}")
