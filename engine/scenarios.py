"""The scenarios of a risk book (docs/spec/MARGIN-MODEL.md section 5), in their normative order.

Price scan range of underlying u:  psr_u = max(psr_floor_u, k_sigma * vol_u * sqrt(h / 365)).

Stress scenarios, S = 16 + 2U:

* 0..13: every underlying moves m * psr_u, m in (0, 0, +1/3, +1/3, -1/3, -1/3, +2/3,
  +2/3, -2/3, -2/3, +1, +1, -1, -1), vol up / down alternating, cover 1;
* 14, 15: m = +extreme_multiple, -extreme_multiple, vol unchanged, cover extreme_cover;
* 16 + 2j, 17 + 2j for underlying j: u_j moves +psr, every other v moves
  -decorrelation * psr_v, then the mirror image; vol unchanged, cover 1.

Historical scenarios follow: each joint daily return vector as price moves, vol
unchanged, cover 1.  Moves are exact rationals (the float of k_sigma*vol*sqrt(h/365)
is taken exactly), so linear instruments and collateral get exact risk values.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from engine.errors import EngineError
from engine.snapshot import RiskParams, Snapshot, Underlying

COMOVEMENT_MULTIPLES = (0, 0, Fraction(1, 3), Fraction(1, 3), Fraction(-1, 3), Fraction(-1, 3),
                        Fraction(2, 3), Fraction(2, 3), Fraction(-2, 3), Fraction(-2, 3),
                        1, 1, -1, -1)
MINUS = "\u2212"


@dataclass(frozen=True)
class Scenario:
    """One scenario: fractional price move per underlying, vol shock, cover weight."""

    kind: str                      # co-movement | extreme | decorrelation | historical
    moves: Mapping[str, Fraction]  # underlying -> fractional price move
    vol: str                       # up | down | unchanged
    cover: Fraction
    label: str = ""

    def description(self) -> str:
        """E.g. ``"BTC −13.3%, ETH −13.3%, SOL −13.3%, vol up"``."""
        parts = [f"{u} {format_move(m)}" for u, m in self.moves.items()]
        if self.vol != "unchanged":
            parts.append(f"vol {self.vol}")
        if self.cover != 1:
            parts.append(f"cover {float(self.cover):.0%}")
        text = ", ".join(parts)
        return f"{self.label}: {text}" if self.label else text


def format_move(move: Fraction) -> str:
    """A fractional move as a signed percentage with one decimal (U+2212 for minus)."""
    pct = float(move) * 100.0
    if abs(pct) < 0.05:
        return "0.0%"
    return f"{'+' if pct > 0 else MINUS}{abs(pct):.1f}%"


def price_scan_range(u: Underlying, params: RiskParams) -> Fraction:
    """psr_u = max(psr_floor_u, k_sigma * vol_u * sqrt(horizon_days / 365)), exactly as a rational."""
    dynamic = float(params.k_sigma) * float(u.vol) * math.sqrt(float(params.horizon_days) / 365.0)
    return max(u.psr_floor, Fraction(dynamic))


def stress_scenarios(snapshot: Snapshot) -> list[Scenario]:
    """The S = 16 + 2U stress scenarios in their normative order."""
    p = snapshot.params
    psr = {u.symbol: price_scan_range(u, p) for u in snapshot.underlyings}
    out: list[Scenario] = []
    for j, m in enumerate(COMOVEMENT_MULTIPLES):
        moves = {u: m * r for u, r in psr.items()}
        out.append(Scenario("co-movement", moves, "up" if j % 2 == 0 else "down", Fraction(1)))
    for sign in (1, -1):
        moves = {u: sign * p.extreme_multiple * r for u, r in psr.items()}
        out.append(Scenario("extreme", moves, "unchanged", p.extreme_cover))
    for name in psr:
        for sign in (1, -1):
            moves = {v: sign * r if v == name else -sign * p.decorrelation * r
                     for v, r in psr.items()}
            out.append(Scenario("decorrelation", moves, "unchanged", Fraction(1)))
    for s, sc in enumerate(out):
        for u, m in sc.moves.items():
            if m <= -1:
                raise EngineError(f"underlyings.{u}: scan range too wide, scenario {s} moves "
                                  f"the price to {format_move(m)} (<= -100%)")
    return out


def historical_scenarios(snapshot: Snapshot) -> list[Scenario]:
    """One scenario per historical return vector: vol unchanged, cover 1."""
    return [Scenario("historical", dict(day.returns), "unchanged", Fraction(1), day.label)
            for day in snapshot.historical]


def vol_factor(direction: str, days: float, params: RiskParams) -> float:
    """The multiplier of an option's vol in a scenario: 1 +/- shock * (30 / max(t, 1))^p.

    p is vol_power_short for t <= vol_power_cutoff_days, vol_power_long beyond; the
    result is floored at vol_floor (0.1x by default).
    """
    if direction == "unchanged":
        return 1.0
    cutoff = float(params.vol_power_cutoff_days)
    power = float(params.vol_power_short if days <= cutoff else params.vol_power_long)
    term = (30.0 / max(days, 1.0)) ** power
    if direction == "up":
        factor = 1.0 + float(params.vol_up) * term
    else:
        factor = 1.0 - float(params.vol_down) * term
    return max(factor, float(params.vol_floor))
