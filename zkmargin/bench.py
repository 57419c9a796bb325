"""Prover latency against block time: how many margin proofs fit in a block.

A sequencer that proves every touched account's margin per block needs
``latency <= block time`` for one account and ``throughput * block time`` proofs per
block for many.  :func:`latency_benchmark` measures both on the bundled example
accounts (or any list), one by one (latency) and through ``prove_many`` (throughput),
and relates them to the block time.  The engine's margin computation of the same
accounts is timed in the same run as the reference for the cost of proving.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from typing import Sequence

from engine.account import Account
from engine.riskbook import RiskBook
from zkmargin.api import MarginProver


@dataclass
class LatencyReport:
    """Timings in seconds; ``proofs_per_block`` = block_time x throughput."""

    accounts: int
    constraints_per_proof: int
    latency_median: float
    latency_max: float
    witness_median: float
    throughput_per_s: float
    engine_margin_s: float
    block_time: float
    proofs_per_block: float
    fits_in_block: bool

    def to_json(self) -> dict:
        return asdict(self)

    def table(self) -> str:
        rows = [
            ("accounts proven", f"{self.accounts}"),
            ("constraints per proof", f"{self.constraints_per_proof:,}"),
            ("latency, median / max", f"{self.latency_median:.2f} s / {self.latency_max:.2f} s"),
            ("  of which witness (median)", f"{self.witness_median:.2f} s"),
            ("throughput (prove_many)", f"{self.throughput_per_s:.2f} proofs/s"),
            ("engine margin alone (median)", f"{self.engine_margin_s * 1e3:.2f} ms "
             f"(proving costs {self.latency_median / self.engine_margin_s:,.0f}x)"),
            ("block time", f"{self.block_time:.1f} s"),
            ("proofs per block", f"{self.proofs_per_block:.1f}"),
            ("one proof within a block", "yes" if self.fits_in_block else "NO"),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def latency_benchmark(prover: MarginProver, book: RiskBook, accounts: Sequence[Account],
                      block_time: float = 2.0, workers: int = 2) -> LatencyReport:
    """Prove every account once alone and once as a batch; time the engine alone too."""
    from engine.margin import compute_margin

    engine_times, latencies, witness = [], [], []
    for account in accounts:
        t0 = time.perf_counter()
        compute_margin(account, book)
        engine_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = prover.prove(account, book)
        latencies.append(time.perf_counter() - t0)
        witness.append(result.timings["witness"])
    t0 = time.perf_counter()
    prover.prove_many(accounts, book, workers=workers)
    throughput = len(accounts) / (time.perf_counter() - t0)
    median = statistics.median(latencies)
    return LatencyReport(
        accounts=len(accounts),
        constraints_per_proof=prover.constraints,
        latency_median=median,
        latency_max=max(latencies),
        witness_median=statistics.median(witness),
        throughput_per_s=throughput,
        engine_margin_s=statistics.median(engine_times),
        block_time=block_time,
        proofs_per_block=throughput * block_time,
        fits_in_block=median <= block_time,
    )
