"""Throughput and the block simulation: does proving keep up with a chain?

**Throughput.** ``prove_many`` over a batch of accounts on one book: ``X = accounts /
wall time`` (accounts per second, this machine, all its cores).

**Block simulation.** A sequencer's steady state, measured for real over ``B`` blocks:
per block ``b`` an oracle update (a moved market snapshot -> a new risk book with its
commitments, time ``u_b``) and then ``M`` touched accounts proven on that book with
``prove_many`` (time ``p_b``); the work of block ``b`` is ``W_b = u_b + p_b``.  Played
against a chain of block time ``T`` (block ``b`` arrives at ``b T``, blocks are worked
in order by one pipeline)::

    start_b = max(b T, finish_{b-1}),   finish_b = start_b + W_b

It *keeps up* iff every block's proofs are done before the next block arrives
(``finish_b <= (b + 1) T`` for all b).  ``backlog_blocks`` is the number of blocks
arrived but not yet proven when block ``B`` arrives (time ``B T``); ``max_delay_s`` is
the largest ``finish_b - b T`` (a block's arrival to its last proof); the sustained
deficit ``mean(W) / T - 1`` (when positive) is how many blocks the backlog grows per block.
"""
from __future__ import annotations

import math
import random
import statistics
import time
from typing import Any, Callable, Optional, Sequence

from engine.account import Account
from engine.riskbook import RiskBook


def measure_throughput(prove_many: Callable[[list, RiskBook], list], accounts: Sequence[Account],
                       book: RiskBook) -> dict[str, Any]:
    """Accounts per second of ``prove_many(accounts, book)`` (every proof checked)."""
    t = time.perf_counter()
    results = prove_many(list(accounts), book)
    wall = time.perf_counter() - t
    _check(results)
    return {"accounts": len(accounts), "wall_s": wall, "throughput_per_s": len(accounts) / wall}


def _check(results: list) -> None:
    for i, r in enumerate(results):
        if not hasattr(r, "proof"):
            raise RuntimeError(f"prove_many: account {i} failed: {getattr(r, 'error', r)}")


def moved_snapshot(snapshot: dict[str, Any], block: int, seed: int = 1,
                   step: float = 0.004) -> dict[str, Any]:
    """The snapshot JSON with every spot (and collateral price tied to an underlying)
    moved by a seeded random walk of ``block`` steps of about ``step`` (0.4 %)."""
    rnd = random.Random(seed)
    factors: dict[str, float] = {}
    for u in snapshot["underlyings"]:
        f = 1.0
        for _ in range(block):
            f *= math.exp(rnd.gauss(0.0, step))
        factors[u["symbol"]] = f
    out = dict(snapshot)
    out["underlyings"] = [dict(u, spot=_scale(u["spot"], factors[u["symbol"]]))
                          for u in snapshot["underlyings"]]
    out["collateral"] = [dict(c, price=_scale(c["price"], factors[c["underlying"]]))
                         if c.get("underlying") in factors else dict(c)
                         for c in snapshot.get("collateral", [])]
    return out


def _scale(decimal: str, factor: float) -> str:
    """``decimal`` times ``factor`` as a plain decimal string, 6 significant digits."""
    value = float(decimal) * factor
    digits = len(str(int(value))) if value >= 1 else 1
    return f"{value:.{max(0, 6 - digits)}f}"


def run_blocks(prove_many: Callable[[list, RiskBook], list], snapshot: dict[str, Any],
               accounts: Sequence[Account], blocks: int, per_block: int,
               on_block: Optional[Callable[[int, float], None]] = None) -> dict[str, Any]:
    """Measure ``blocks`` blocks of (oracle update, ``per_block`` accounts proven); the
    accounts are taken round-robin from ``accounts``."""
    rows = []
    cursor = 0
    for b in range(blocks):
        t = time.perf_counter()
        book = RiskBook.from_snapshot(moved_snapshot(snapshot, b + 1))
        book.commitment  # noqa: B018 - the update includes the book's commitment
        update = time.perf_counter() - t
        touched = [accounts[(cursor + i) % len(accounts)] for i in range(per_block)]
        cursor += per_block
        t = time.perf_counter()
        _check(prove_many(touched, book))
        prove = time.perf_counter() - t
        rows.append({"block": b, "oracle_update_s": update, "prove_s": prove,
                     "work_s": update + prove})
        if on_block:
            on_block(b, update + prove)
    total_prove = sum(r["prove_s"] for r in rows)
    return {"blocks": blocks, "accounts_per_block": per_block, "per_block": rows,
            "work_median_s": statistics.median(r["work_s"] for r in rows),
            "throughput_per_s": blocks * per_block / total_prove if total_prove else 0.0}


def simulate(work: Sequence[float], block_time: float) -> dict[str, Any]:
    """Play measured per-block work against a block time (see the module docstring)."""
    finish = 0.0
    finishes, delays = [], []
    keeps_up = True
    for b, w in enumerate(work):
        start = max(b * block_time, finish)
        finish = start + w
        finishes.append(finish)
        delays.append(finish - b * block_time)
        keeps_up = keeps_up and finish <= (b + 1) * block_time
    horizon = len(work) * block_time
    backlog = sum(1 for f in finishes if f > horizon)
    deficit = statistics.fmean(work) / block_time - 1 if work else 0.0
    return {"keeps_up": keeps_up, "backlog_blocks": backlog,
            "max_delay_s": max(delays) if delays else 0.0,
            "backlog_growth_per_block": max(0.0, deficit)}
