"""C backend: Black–Scholes scenario pricing of many options with exact integer floors
(`native/src/pricing.c`; the formulas and the contract are in `native/src/pricing.h`).

The doubles equal those of the per-option Python reading (engine.blackscholes, the same
libm calls in the same order, no FMA contraction); the integer outputs are the exact
floors of the rationals they stand for.  An option the kernel refuses (where the Python
reading would raise, or an output beyond int64) and a risk entry it could not floor in
128-bit arithmetic are flagged for the caller to compute in Python.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from native._bn254 import ffi, lib
from native.convert import NativeError

#: status of an option: every output written and exact
OK = lib.PRICING_OK
#: status of an option: refused, nothing written (the caller runs the Python reading)
REFUSED = lib.PRICING_REFUSED


class OptionRisk(NamedTuple):
    """Outputs of :func:`option_risk_batch` for n options and m scenarios."""

    base: np.ndarray     # (n,) float64, the unshocked price per unit
    value: np.ndarray    # (n, m) float64, the price per unit in each scenario
    mark: np.ndarray     # (n,) int64, floor(per_contract * base)
    greeks: np.ndarray   # (n, 4) int64, delta, gamma, vega, theta at SCALE per contract
    risk: np.ndarray     # (n, m) int64, floor(cover * per_contract * (value - base))
    status: np.ndarray   # (n,) uint8, OK or REFUSED
    exact: np.ndarray    # (n, m) bool, risk[i, s] written (False: compute it in Python)
    refused: int         # number of REFUSED options


def _arr(x: object, dtype: type, shape: tuple[int, ...], name: str) -> np.ndarray:
    a = np.ascontiguousarray(x, dtype=dtype)
    if a.shape != shape:
        raise NativeError(f"option_risk_batch: {name} has shape {a.shape}, expected {shape}")
    return a


def _buf(ctype: str, a: np.ndarray):
    return ffi.from_buffer(ctype, a)


def option_risk_batch(kind: Sequence[int], spot: Sequence[float], strike: Sequence[float],
                      t: Sequence[float], vol: Sequence[float], mult: Sequence[float],
                      rate: float, sqrt2: float, inv_sqrt_2pi: float,
                      shock: object, shock_row: Sequence[int],
                      factor: object, factor_row: Sequence[int],
                      cover_num: Sequence[int], cover_den: Sequence[int],
                      per_num: Sequence[int], per_den: Sequence[int]) -> OptionRisk:
    """Price n options (kind 0 call, 1 put; spot, strike in price units, t in years, vol,
    mult the float multiplier) in m scenarios: option i moves its spot by
    ``shock[shock_row[i], s]`` and its vol by ``factor[factor_row[i], s]``; scenario s
    weighs by ``cover_num[s] / cover_den[s]``, option i's contract holds
    ``per_num[i] / per_den[i]`` VU per unit of price.  Integer inputs must fit int64
    (cover_num >= 0, the denominators and per_num > 0)."""
    n = len(kind)
    shock_a = np.ascontiguousarray(shock, dtype=np.float64)
    factor_a = np.ascontiguousarray(factor, dtype=np.float64)
    if shock_a.ndim != 2 or factor_a.ndim != 2 or shock_a.shape[1] != factor_a.shape[1]:
        raise NativeError("option_risk_batch: shock and factor must be (rows, m) arrays")
    m = shock_a.shape[1]
    kind_a = _arr(kind, np.int32, (n,), "kind")
    srow = _arr(shock_row, np.int32, (n,), "shock_row")
    frow = _arr(factor_row, np.int32, (n,), "factor_row")
    if n and (srow.min() < 0 or srow.max() >= shock_a.shape[0]
              or frow.min() < 0 or frow.max() >= factor_a.shape[0]):
        raise NativeError("option_risk_batch: a shock or factor row is out of range")
    f64 = [_arr(x, np.float64, (n,), name) for x, name in
           ((spot, "spot"), (strike, "strike"), (t, "t"), (vol, "vol"), (mult, "mult"))]
    cnum = _arr(cover_num, np.int64, (m,), "cover_num")
    cden = _arr(cover_den, np.int64, (m,), "cover_den")
    pnum = _arr(per_num, np.int64, (n,), "per_num")
    pden = _arr(per_den, np.int64, (n,), "per_den")
    base = np.zeros(n, dtype=np.float64)
    value = np.zeros((n, m), dtype=np.float64)
    mark = np.zeros(n, dtype=np.int64)
    greeks = np.zeros((n, 4), dtype=np.int64)
    risk = np.zeros((n, m), dtype=np.int64)
    status = np.zeros(n, dtype=np.uint8)
    exact = np.zeros((n, m), dtype=np.uint8)
    d = "double[]"
    refused = lib.option_risk_batch(
        n, m, _buf("int32_t[]", kind_a), *(_buf(d, a) for a in f64), float(rate),
        float(sqrt2), float(inv_sqrt_2pi), _buf(d, shock_a), _buf("int32_t[]", srow),
        _buf(d, factor_a), _buf("int32_t[]", frow), _buf("int64_t[]", cnum),
        _buf("int64_t[]", cden), _buf("int64_t[]", pnum), _buf("int64_t[]", pden),
        _buf(d, base), _buf(d, value), _buf("int64_t[]", mark), _buf("int64_t[]", greeks),
        _buf("int64_t[]", risk), _buf("uint8_t[]", status), _buf("uint8_t[]", exact))
    if refused == (1 << 64) - 1:  # (size_t)-1
        raise NativeError("option_risk_batch: cover_num must be >= 0 and cover_den > 0")
    return OptionRisk(base, value, mark, greeks, risk, status, exact.astype(bool), int(refused))


def floor_dyadic_product(a: int, b: int, m: int, e: int) -> int | None:
    """floor(a * m * 2^e / b) (a >= 0, b > 0 in int64, |m| < 2^54) in C, or None when the
    C steps (128-bit) or the int64 result cannot hold it."""
    out = ffi.new("int64_t *")
    return int(out[0]) if lib.floor_dyadic_product(a, b, m, e, out) else None


def risk_floor_of(num: int, den: int, x: float, b: float) -> int | None:
    """floor(num * (x - b) / den) (num >= 0, den > 0 in int64; x, b finite doubles >= 0) by
    the C routes of a risk entry, or None when none of them holds it."""
    out = ffi.new("int64_t *")
    return int(out[0]) if lib.risk_floor_of(num, den, x, b, out) else None
