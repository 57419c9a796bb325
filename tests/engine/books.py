"""Small hand-made risk books and snapshots for the engine tests."""
from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck

from engine.riskbook import CollateralRisk, InstrumentRisk, RiskBook

#: health checks that only measure the machine's speed (shared, loaded CI runners)
SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]

SMALL_SNAPSHOT: dict[str, Any] = {
    "version": "zkm-snapshot-1",
    "time": "2026-01-01T00:00:00Z",
    "underlyings": [{"symbol": "AAA", "spot": "1000", "vol": "0.5"},
                    {"symbol": "BBB", "spot": "20", "vol": "0.9"}],
    "instruments": [
        {"symbol": "AAA-PERP", "type": "perpetual", "underlying": "AAA", "multiplier": "1"},
        {"symbol": "AAA-SPOT", "type": "spot", "underlying": "AAA", "multiplier": "0.1"},
        {"symbol": "BBB-FUT", "type": "future", "underlying": "BBB", "multiplier": "10",
         "expiry": "2026-03-01T00:00:00Z"},
        {"symbol": "AAA-C", "type": "call", "underlying": "AAA", "strike": "1100",
         "expiry": "2026-01-31T00:00:00Z", "vol": "0.55"},
        {"symbol": "AAA-P", "type": "put", "underlying": "AAA", "strike": "900",
         "expiry": "2026-01-11T00:00:00Z"},
    ],
    "collateral": [{"symbol": "USD", "price": "1", "haircut": "0"},
                   {"symbol": "AAA", "underlying": "AAA", "price": "1000", "haircut": "0.2"}],
    "params": {"es_k": "2", "im_factor": "1.5"},
    "historical": [{"label": "d1", "returns": {"AAA": "-0.1", "BBB": "0.05"}},
                   {"label": "d2", "returns": {"AAA": "0.07", "BBB": "-0.2"}},
                   {"label": "d3", "returns": {"AAA": "-0.03", "BBB": "-0.01"}}],
}


def small_snapshot(**changes: Any) -> dict[str, Any]:
    """A deep copy of SMALL_SNAPSHOT with top-level keys replaced."""
    snap = copy.deepcopy(SMALL_SNAPSHOT)
    snap.update(changes)
    return snap


def make_book(S: int, H: int, k: int, im_factor: int, instruments: list[tuple],
              collateral: list[tuple] = ()) -> RiskBook:
    """RiskBook from (symbol, kind, mark, som, cont, risk) and (symbol, price, haircut, risk)."""
    insts = tuple(InstrumentRisk(sym, kind, "X", mark, som, cont, tuple(risk))
                  for sym, kind, mark, som, cont, risk in instruments)
    colls = tuple(CollateralRisk(sym, price, haircut, tuple(risk))
                  for sym, price, haircut, risk in collateral)
    return RiskBook(S=S, H=H, k=k, im_factor=im_factor, instruments=insts, collateral=colls)
