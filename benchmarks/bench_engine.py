"""Benchmark of the margin engine: risk-book build time and margin computations per second.

    python benchmarks/bench_engine.py [--quick] [--json OUT]

Measures, on the bundled snapshot (``engine/data/default.json``):

* the risk-book build (scenarios, Black–Scholes repricing, bounds) and, separately, its
  commitments (Poseidon leaves, Merkle roots; needs ``circuits/``);
* margin computations per second (``compute_margin`` with every report field,
  isolated margin and Greeks; and the bare requirement, ``details=False``) for random
  accounts of 16 and 64 positions plus 2 collateral assets;
* a reference measured in the same run: a direct, per-scenario reading of the spec
  (nested loops, no netting shortcut), to show the ratio; both agree on every account.

Goal (issue 2): >= 5,000 margin computations/s for 16-position accounts, one process.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.account import Account  # noqa: E402
from engine.decimal import SCALE  # noqa: E402
from engine.margin import compute_margin  # noqa: E402
from engine.riskbook import RiskBook  # noqa: E402
from engine.snapshot import load_snapshot  # noqa: E402

GOAL_16 = 5000.0


def random_accounts(book: RiskBook, n_positions: int, count: int, seed: int) -> list[Account]:
    """Accounts of ``n_positions`` distinct instruments, USDC and ETH collateral."""
    rnd = random.Random(seed)
    symbols = [i.symbol for i in book.instruments]
    out = []
    for _ in range(count):
        picks = rnd.sample(symbols, n_positions)
        positions = tuple((s, rnd.randint(-50 * SCALE, 50 * SCALE)) for s in picks)
        collateral = (("USDC", rnd.randint(0, 10**6 * SCALE)), ("ETH", rnd.randint(0, 100 * SCALE)))
        out.append(Account(rnd.randint(-10**5 * SCALE, 10**6 * SCALE), positions, collateral))
    return out


def naive_requirement(account: Account, book: RiskBook) -> tuple[int, int]:
    """(equity, mm) by a direct reading of section 4: one pass per scenario."""
    idx, cidx = book.instrument_index, book.collateral_index
    net: dict[int, int] = {}
    for s, q in account.positions:
        net[idx[s]] = net.get(idx[s], 0) + q
    amt: dict[int, int] = {}
    for s, a in account.collateral:
        amt[cidx[s]] = amt.get(cidx[s], 0) + a
    losses = []
    for s in range(book.S + book.H):
        total = 0
        for i, q in net.items():
            total += q * book.instruments[i].risk[s]
        for a, v in amt.items():
            total += v * book.collateral[a].risk[s]
        losses.append(-(total // SCALE))
    scan = max(0, max(losses[:book.S]))
    es = max(0, -(-sum(sorted(losses[book.S:], reverse=True)[:book.k]) // book.k)) if book.H else 0
    som = -(-sum(-q * book.instruments[i].som for i, q in net.items()
                 if q < 0 and book.instruments[i].is_option) // SCALE)
    cont = -(-sum(abs(q) * book.instruments[i].cont for i, q in net.items()) // SCALE)
    cv = sum(v * book.collateral[a].price * max(0, SCALE - book.collateral[a].haircut)
             for a, v in amt.items()) // SCALE**2
    pv = sum(q * book.instruments[i].mark for i, q in net.items()) // SCALE
    return account.cash + cv + pv, max(scan, es, som) + cont


def rate(fn, accounts: list[Account], book: RiskBook, min_seconds: float) -> float:
    """Computations per second of ``fn(account, book)`` over the accounts, repeated."""
    done, start = 0, time.perf_counter()
    while True:
        for acct in accounts:
            fn(acct, book)
        done += len(accounts)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, short timings")
    ap.add_argument("--json", default="benchmarks/results/bench_engine.json", help="output JSON")
    ap.add_argument("--no-commitment", action="store_true", help="skip the Poseidon commitments")
    args = ap.parse_args(argv)
    count, seconds = (50, 0.3) if args.quick else (400, 2.0)

    snap = load_snapshot("default")
    t0 = time.perf_counter()
    book = RiskBook.from_snapshot(snap)
    build_s = time.perf_counter() - t0
    commit_s = None
    if not args.no_commitment:
        t0 = time.perf_counter()
        _ = book.commitment
        commit_s = time.perf_counter() - t0

    rows = []
    for n in (16, 64):
        accounts = random_accounts(book, n, count, seed=n)
        for acct in accounts:   # the fast path and the direct reading agree
            r = compute_margin(acct, book)
            assert (r.equity, r.mm) == naive_requirement(acct, book)
        full = rate(compute_margin, accounts, book, seconds)
        bare = rate(lambda a, b: compute_margin(a, b, details=False), accounts, book, seconds)
        naive = rate(naive_requirement, accounts, book, seconds)
        rows.append({"positions": n, "full_per_s": round(full), "bare_per_s": round(bare),
                     "naive_per_s": round(naive), "full_vs_naive": round(full / naive, 2)})

    print(f"risk book: {len(book.instruments)} instruments, {len(book.collateral)} collateral, "
          f"S={book.S} H={book.H}; build {build_s * 1000:.0f} ms"
          + (f", commitments {commit_s * 1000:.0f} ms" if commit_s is not None else ""))
    print(f"{'positions':>9} {'full report/s':>14} {'bare mm/s':>10} {'naive/s':>9} "
          f"{'full/naive':>10} {'goal':>8}")
    for row in rows:
        goal = f">={GOAL_16:.0f}" if row["positions"] == 16 else ""
        print(f"{row['positions']:>9} {row['full_per_s']:>14,} {row['bare_per_s']:>10,} "
              f"{row['naive_per_s']:>9,} {row['full_vs_naive']:>10} {goal:>8}")
    result = {"benchmark": "engine", "quick": args.quick, "python": platform.python_version(),
              "machine": platform.machine(), "instruments": len(book.instruments),
              "S": book.S, "H": book.H, "build_seconds": round(build_s, 4),
              "commitment_seconds": None if commit_s is None else round(commit_s, 3),
              "margin": rows, "goal_16_per_s": GOAL_16,
              "goal_met": rows[0]["full_per_s"] >= GOAL_16}
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
