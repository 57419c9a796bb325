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

* the oracle update, snapshot -> risk book with its leaves, Merkle trees and
  market_commitment (all computed once, at construction), for the bundled book and for
  a generated 10,000-instrument book (the bundled underlyings, futures and perpetuals
  plus a dense call/put chain: every bundled expiry, strikes on a fine grid from 0.5x to
  2x spot, a smile); with the time split into the build (scenarios, Black–Scholes, exact
  floors, validation: the total minus the hashing of the same run) and the hashing
  (leaves, trees, commitment; native Poseidon), and the snapshot parse beside it.

Goals: >= 5,000 margin computations/s for 16-position accounts, one process; oracle
update <= 50 ms for the bundled book and <= 1 s for 10,000 instruments.
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
from benchmarks.harness import write_results  # noqa: E402

GOAL_16 = 5000.0
GOAL_UPDATE_S = {"bundled": 0.05, "generated_10000": 1.0}


def generated_snapshot(n_instruments: int) -> dict:
    """A snapshot JSON object with exactly ``n_instruments`` instruments: the bundled
    snapshot's underlyings, collateral, parameters, history, perpetuals and futures, and
    calls and puts on every bundled expiry of each underlying with strikes on a grid
    from 0.5x to 2x spot, implied vol ``atm + 0.1 (-x) + 0.5 x^2`` (x = ln(K/S))."""
    import math

    base = json.loads((Path(__file__).resolve().parents[1] / "engine" / "data"
                       / "default.json").read_text())
    linear = [i for i in base["instruments"] if i["type"] not in ("call", "put")]
    expiries: dict[str, set[str]] = {}
    for inst in base["instruments"]:
        if inst["type"] in ("call", "put"):
            expiries.setdefault(inst["underlying"], set()).add(inst["expiry"])
    spots = {u["symbol"]: float(u["spot"]) for u in base["underlyings"]}
    atm = {u["symbol"]: float(u["vol"]) for u in base["underlyings"]}
    slots = sum(2 * len(e) for e in expiries.values())
    per_slot = -(-(n_instruments - len(linear)) // slots)
    options = []
    for u in sorted(expiries):
        spot = spots[u]
        for expiry in sorted(expiries[u]):
            for j in range(per_slot):
                strike = round(spot * (0.5 + 1.5 * j / max(per_slot - 1, 1)), 4)
                x = math.log(strike / spot)
                vol = f"{atm[u] + 0.1 * (-x) + 0.5 * x * x:.4f}"
                for kind in ("call", "put"):
                    options.append({"symbol": f"{u}-{expiry[:10]}-{strike}-{kind[0].upper()}",
                                    "type": kind, "underlying": u, "multiplier": "1",
                                    "strike": f"{strike}", "expiry": expiry, "vol": vol})
    base["instruments"] = linear + options[:n_instruments - len(linear)]
    return base


def oracle_update(snapshot: dict, repeats: int) -> dict:
    """Best and median wall time of ``RiskBook.from_snapshot`` of a parsed snapshot (the
    book with its trees and commitment), its process CPU time (all threads; on a shared
    machine the wall time includes waiting for a core), the wall time of its hashing
    alone (leaves, trees, commitment recomputed), the build (``build_*``: the same run's
    total minus its hashing: scenarios, Black–Scholes, exact floors, validation) and the
    parse of the snapshot JSON object (``parse_*``, not in the totals).  ``first``
    includes building the Poseidon plans."""
    from engine.commitment import book_trees, commitment_of
    from engine.snapshot import snapshot_from_json

    snap = snapshot_from_json(snapshot)
    t0 = time.perf_counter()
    book = RiskBook.from_snapshot(snap)
    first = time.perf_counter() - t0
    totals, hashing, build, parse, cpu = [], [], [], [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        snap = snapshot_from_json(snapshot)
        parse.append(time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        book = RiskBook.from_snapshot(snap)
        totals.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        t0 = time.perf_counter()
        commitment_of(book, book_trees(book))
        hashing.append(time.perf_counter() - t0)
        build.append(max(0.0, totals[-1] - hashing[-1]))

    def best(xs: list[float]) -> float:
        return round(min(xs), 4)

    def median(xs: list[float]) -> float:
        return round(sorted(xs)[len(xs) // 2], 4)

    return {"instruments": len(book.instruments), "S": book.S, "H": book.H,
            "depth_instruments": book.depth_instruments, "first_s": round(first, 4),
            "best_s": best(totals), "median_s": median(totals),
            "hashing_best_s": best(hashing), "hashing_median_s": median(hashing),
            "build_best_s": best(build), "build_median_s": median(build),
            "parse_best_s": best(parse), "parse_median_s": median(parse),
            "cpu_median_s": median(cpu),
            "market_commitment": str(book.commitment["market_commitment"])}


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
    ap.add_argument("--no-generated", action="store_true",
                    help="skip the generated 10,000-instrument book")
    args = ap.parse_args(argv)
    count, seconds = (50, 0.3) if args.quick else (400, 2.0)

    snap = load_snapshot("default")
    bundled = json.loads((Path(__file__).resolve().parents[1] / "engine" / "data"
                          / "default.json").read_text())
    updates = {"bundled": oracle_update(bundled, 3 if args.quick else 10)}
    if not args.no_generated:
        updates["generated_10000"] = oracle_update(generated_snapshot(10_000),
                                                   1 if args.quick else 3)
    book = RiskBook.from_snapshot(snap)

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

    print(f"{'oracle update':<16} {'instruments':>11} {'first':>8} {'best':>8} {'median':>8} "
          f"{'hashing':>8} {'build':>8} {'parse':>8} {'cpu':>8} {'goal':>7}")
    for name, u in updates.items():
        print(f"{name:<16} {u['instruments']:>11,} {u['first_s'] * 1000:>6.0f}ms "
              f"{u['best_s'] * 1000:>6.0f}ms {u['median_s'] * 1000:>6.0f}ms "
              f"{u['hashing_median_s'] * 1000:>6.0f}ms {u['build_median_s'] * 1000:>6.0f}ms "
              f"{u['parse_median_s'] * 1000:>6.0f}ms {u['cpu_median_s'] * 1000:>6.0f}ms "
              f"{GOAL_UPDATE_S[name] * 1000:>5.0f}ms")
    print(f"{'positions':>9} {'full report/s':>14} {'bare mm/s':>10} {'naive/s':>9} "
          f"{'full/naive':>10} {'goal':>8}")
    for row in rows:
        goal = f">={GOAL_16:.0f}" if row["positions"] == 16 else ""
        print(f"{row['positions']:>9} {row['full_per_s']:>14,} {row['bare_per_s']:>10,} "
              f"{row['naive_per_s']:>9,} {row['full_vs_naive']:>10} {goal:>8}")
    result = {"benchmark": "engine", "quick": args.quick, "python": platform.python_version(),
              "machine": platform.machine(), "instruments": len(book.instruments),
              "S": book.S, "H": book.H, "oracle_update": updates,
              "goal_update_s": GOAL_UPDATE_S, "margin": rows, "goal_16_per_s": GOAL_16,
              "goal_met": rows[0]["full_per_s"] >= GOAL_16}
    write_results(args.json, result)
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
