"""Margin-proof latency against block time (the sequencer's question).

    python benchmarks/bench_latency.py [--block-time 2] [--keys DIR] [--json-out FILE]

Proves every bundled example account alone (latency) and as a batch (throughput) with
development keys for N=16 position and K=4 collateral slots, and times the engine's
plain margin computation of the same accounts in the same run as the reference.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.account import Account  # noqa: E402
from engine.jsonio import bundled_accounts  # noqa: E402
from engine.riskbook import RiskBook  # noqa: E402
from zkmargin.api import MarginProver  # noqa: E402
from zkmargin.bench import latency_benchmark  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--block-time", type=float, default=2.0)
    ap.add_argument("--keys", default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json-out", default=None)
    args = ap.parse_args()
    book = RiskBook.from_snapshot("default")
    prover = MarginProver.load(args.keys) if args.keys else MarginProver.cached_dev(book)
    accounts = [Account.load(name) for name in bundled_accounts()]
    report = latency_benchmark(prover, book, accounts, args.block_time, args.workers)
    print(report.table())
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report.to_json(), indent=1) + "\n")


if __name__ == "__main__":
    main()
