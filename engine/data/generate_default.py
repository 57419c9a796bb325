"""Generate the bundled market snapshot ``engine/data/default.json`` (run once; output is shipped).

    python engine/data/generate_default.py            # rewrites default.json

Deterministic: BTC, ETH and SOL at late-2026-like levels, their perpetuals, dated
futures, and a listed-looking option chain (Deribit-style symbols, expiries at
08:00 UTC from 3 days to 4 months, strikes on round grids around the money) whose
implied vols follow a simple smile iv(K) = atm + skew * (-x) + curv * x^2 with
x = ln(K / S).  The historical return vectors are stylised risk-off and risk-on days
(approximate magnitudes of past crypto sell-offs, not exact historical closes).
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

TIME = "2026-11-24T08:00:00Z"
EXPIRIES = {  # symbol date code -> ISO expiry
    "27NOV26": "2026-11-27T08:00:00Z", "4DEC26": "2026-12-04T08:00:00Z",
    "25DEC26": "2026-12-25T08:00:00Z", "29JAN27": "2027-01-29T08:00:00Z",
    "26MAR27": "2027-03-26T08:00:00Z",
}
UNDERLYINGS = [  # symbol, spot, atm vol, skew, curvature, strike step, expiries, strike offsets
    ("BTC", 95000, 0.52, 0.10, 0.60, 1000, ["27NOV26", "4DEC26", "25DEC26", "29JAN27", "26MAR27"],
     [0.65, 0.75, 0.85, 0.90, 0.95, 1.00, 1.05, 1.10, 1.15, 1.25, 1.40]),
    ("ETH", 3400, 0.68, 0.12, 0.55, 50, ["27NOV26", "4DEC26", "25DEC26", "26MAR27"],
     [0.70, 0.80, 0.90, 0.95, 1.00, 1.05, 1.10, 1.20, 1.35]),
    ("SOL", 240, 0.85, 0.10, 0.50, 5, ["4DEC26", "25DEC26", "29JAN27"],
     [0.70, 0.85, 0.95, 1.00, 1.05, 1.15, 1.35]),
]
FUTURES = [("BTC", "25DEC26"), ("BTC", "26MAR27"), ("ETH", "25DEC26"), ("ETH", "26MAR27")]
COLLATERAL = [
    {"symbol": "USDC", "price": "1", "haircut": "0.01"},
    {"symbol": "BTC", "underlying": "BTC", "price": "95000", "haircut": "0.1"},
    {"symbol": "ETH", "underlying": "ETH", "price": "3400", "haircut": "0.15"},
]
HISTORICAL = [  # stylised joint daily returns (BTC, ETH, SOL)
    ("crash: leverage unwind", "-0.152", "-0.157", "-0.118"),
    ("exchange failure", "-0.101", "-0.126", "-0.229"),
    ("carry-trade unwind", "-0.066", "-0.102", "-0.073"),
    ("ETH-led sell-off", "-0.048", "-0.121", "-0.095"),
    ("post-election rally", "0.102", "0.061", "0.037"),
    ("short squeeze", "0.087", "0.143", "0.121"),
    ("quiet down day", "-0.021", "-0.026", "-0.034"),
    ("risk-on day", "0.035", "0.042", "0.058"),
]


def implied_vol(atm: float, skew: float, curv: float, spot: float, strike: float) -> str:
    """iv = atm + skew * (-x) + curv * x^2, x = ln(K/S), as a 4-decimal string."""
    x = math.log(strike / spot)
    return f"{atm + skew * (-x) + curv * x * x:.4f}"


def snapshot() -> dict:
    """The snapshot object (deterministic)."""
    underlyings, instruments = [], []
    for sym, spot, atm, skew, curv, step, expiries, offsets in UNDERLYINGS:
        underlyings.append({"symbol": sym, "spot": str(spot), "vol": f"{atm:.2f}"})
        instruments.append({"symbol": f"{sym}-PERP", "type": "perpetual", "underlying": sym,
                            "multiplier": "1"})
    for sym, code in FUTURES:
        instruments.append({"symbol": f"{sym}-{code}", "type": "future", "underlying": sym,
                            "multiplier": "1", "expiry": EXPIRIES[code]})
    for sym, spot, atm, skew, curv, step, expiries, offsets in UNDERLYINGS:
        for code in expiries:
            for off in offsets:
                strike = int(round(spot * off / step) * step)
                for kind, letter in (("call", "C"), ("put", "P")):
                    instruments.append({
                        "symbol": f"{sym}-{code}-{strike}-{letter}", "type": kind,
                        "underlying": sym, "multiplier": "1", "strike": str(strike),
                        "expiry": EXPIRIES[code],
                        "vol": implied_vol(atm, skew, curv, spot, strike)})
    historical = [{"label": label, "returns": {"BTC": b, "ETH": e, "SOL": s}}
                  for label, b, e, s in HISTORICAL]
    return {"version": "zkm-snapshot-1", "time": TIME, "underlyings": underlyings,
            "instruments": instruments, "collateral": COLLATERAL,
            "params": {"im_factor": "1.25", "es_k": "2"}, "historical": historical}


def render() -> str:
    return json.dumps(snapshot(), indent=1) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("default.json")
    out.write_text(render())
    print(f"wrote {out}")
