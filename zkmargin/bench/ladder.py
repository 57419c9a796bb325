"""The ladder: plain dense circuits of 2^p constraints, the yardstick between shapes.

A rung of power ``p`` has ``2^p - 8`` constraints (so that with its one public input
the QAP domain is exactly 2^p) of a dense multiplication chain over fresh random
field elements (every witness value a full-size scalar, the prover's worst case)::

    w[t] = w[t-1] * w[t-16]   for t = 19 .. ,      out = w[last] + k   (public)

``parse_ladder("12..20")`` gives the powers; :func:`dense_witness` is the witness
(timed as the rung's witness time) and :func:`dense_r1cs` the constraint system.
"""
from __future__ import annotations

import random
import re
from typing import Sequence

from prover.encoding import R

N_IN = 16
MIN_POWER, MAX_POWER = 8, 24


def rung_constraints(power: int) -> int:
    """Constraints of the rung of ``power``: the domain 2^power less room for the
    public input's constraint (snarkjs adds one per public signal)."""
    return (1 << power) - 8


def parse_ladder(text: str) -> list[int]:
    """``"12..20"`` -> [12, ..., 20]; ``"12,14,16"`` -> [12, 14, 16]; ``"none"`` -> [].
    Powers must lie in [8, 24]; raises ValueError naming the problem."""
    text = text.strip()
    if text.lower() in ("", "none", "0"):
        return []
    m = re.fullmatch(r"(\d+)\s*\.\.\s*(\d+)", text)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo > hi:
            raise ValueError(f"{text!r}: empty range (the first power is above the last)")
        powers = list(range(lo, hi + 1))
    else:
        try:
            powers = sorted({int(p) for p in text.split(",")})
        except ValueError:
            raise ValueError(f"{text!r}: expected LO..HI or a comma-separated list of "
                             "powers of two") from None
    bad = [p for p in powers if not MIN_POWER <= p <= MAX_POWER]
    if bad:
        raise ValueError(f"{text!r}: power {bad[0]} outside {MIN_POWER}..{MAX_POWER}")
    return powers


def dense_witness(n_constraints: int, seed: int) -> list[int]:
    """Wire values (wire 0 = 1, wire 1 = the public output, wire 2 = k, then 16
    private inputs and one wire per multiplication)."""
    rnd = random.Random(seed)
    k = rnd.randrange(R)
    w = [1, 0, k] + [rnd.randrange(1, R) for _ in range(N_IN)]
    for _ in range(n_constraints - 1):
        w.append(w[-1] * w[-N_IN] % R)
    w[1] = (w[-1] + k) % R
    return w


def dense_r1cs(n_constraints: int):
    """The constraint system whose witness :func:`dense_witness` computes."""
    from circuits import R1CS

    n_wires = 3 + N_IN + n_constraints - 1
    cons = [({t - 1: 1}, {t - N_IN: 1}, {t: 1}) for t in range(3 + N_IN, n_wires)]
    cons.append(({n_wires - 1: 1, 2: 1}, {0: 1}, {1: 1}))
    return R1CS(R, n_wires, 1, 1, N_IN, n_wires, cons, list(range(n_wires)))


def describe(powers: Sequence[int]) -> str:
    """``2^12..2^16`` or ``none``."""
    if not powers:
        return "none"
    if list(powers) == list(range(powers[0], powers[-1] + 1)) and len(powers) > 2:
        return f"2^{powers[0]}..2^{powers[-1]}"
    return ", ".join(f"2^{p}" for p in powers)
