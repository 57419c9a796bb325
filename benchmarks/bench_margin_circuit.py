"""Benchmark: the margin circuit's shape ladder, proofs per bundled account, batches.

On the bundled snapshot's risk book (S = 22, H = 8, k = 2, 231 instruments, 3 assets):

1. **Per shape** (``n4k2`` .. ``n64k4``), each in a fresh process so that its peak
   memory is its own: constraints, the proving domain 2^k, the witness (the compiled
   witness program of :mod:`circuits.margin.program` replayed natively into the
   prover's limb array, as proving does; interleaved with it, the program's pure-Python
   replay plus the conversion to limbs; and for reference the constraint-building
   synthesis it replaces), the Groth16 proof, the native verification and the
   process's peak resident memory (keys loaded, one proof).
   The account fills every slot (``bench_account``).
2. **Every bundled account at its auto-selected shape**: witness + proof latency.
3. **Batches**: the six n4k2-sized bundled accounts proven one after another
   (``prove`` in a loop) and by ``prove_many`` with each schedule (``sequential``,
   ``pipelined``), taking turns in every repetition (at least five): proofs per second.

Timings are medians over ``--reps`` runs after a warm-up.  Keys: ``--keys KEYSET``
(must hold the shapes asked for), else development keys cached by
``MarginProver.cached_dev`` (made once; INSECURE, benchmarks only)::

    python benchmarks/bench_margin_circuit.py [--shapes all] [--keys KEYSET] [--reps 3] \\
        [--json benchmarks/results/bench_margin_circuit.json]

``--quick``: shapes n4k2 and n8k2, one repetition.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import write_results  # noqa: E402
from benchmarks.tables import margin_shapes_table  # noqa: E402
from engine import Account, RiskBook, load_snapshot  # noqa: E402

SCALE = 10**8
SMALL = ("covered_call", "eth_collateral_long", "liquidatable", "pair_trade", "short_puts",
         "straddle_hedged")


def median_of(fn: Callable[[], object], reps: int) -> tuple[float, object]:
    """Median wall time (s) of ``reps`` runs after one warm-up run, and the last result."""
    out = fn()
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), out


def interleaved(fns: list[Callable[[], object]], reps: int) -> list[tuple[float, object]]:
    """Median wall time (s) and last result of each function, after one warm-up round,
    the functions taking turns in every repetition (so that they see the same load)."""
    outs = [fn() for fn in fns]
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(reps):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            outs[i] = fn()
            samples[i].append(time.perf_counter() - t)
    return [(statistics.median(s), out) for s, out in zip(samples, outs)]


def bench_account(book: RiskBook, n: int, k: int) -> Account:
    """n positions over distinct instruments (the last two repeat the first two), k assets."""
    syms = [i.symbol for i in book.instruments]
    picks = [syms[(37 * j) % len(syms)] for j in range(max(n - 2, 1))]
    picks += picks[:n - len(picks)]
    positions = tuple((s, (-1) ** j * (j + 1) * SCALE // 4) for j, s in enumerate(picks))
    assets = [c.symbol for c in book.collateral]
    collateral = tuple((assets[a % len(assets)], (a + 1) * 3 * SCALE)
                       for a in range(min(k, len(assets))))
    return Account(cash=250_000 * SCALE, positions=positions, collateral=collateral,
                   salt=2**100 + 7)


def measure_shape(keys: str, name: str, reps: int) -> dict[str, Any]:
    """One shape's row (run in its own process: ``--one-shape``)."""
    from circuits.margin import margin_witness
    from circuits.margin.program import margin_program
    from prover.prove import witness_limbs
    from zkmargin.api import MarginProver, verify

    book = RiskBook.from_snapshot(load_snapshot("default"))
    t0 = time.perf_counter()
    prover = MarginProver.load(keys, shapes=[name])
    t_load = time.perf_counter() - t0
    sk = prover.shape_keys(name)
    account = bench_account(book, sk.shape.N, sk.shape.K)
    program = margin_program(sk.shape, prover.statement)
    (t_wit, limbs), (t_py, py_limbs) = interleaved(
        [lambda: program.witness_limbs(book, account),
         lambda: witness_limbs(program.witness(book, account)[0])], max(reps, 5))
    assert np.array_equal(limbs, py_limbs), "native and Python replays disagree"
    t_builder, (w2, _) = median_of(
        lambda: margin_witness(sk.shape, prover.statement, book, account), max(1, reps // 2))
    t_limbs, builder_limbs = median_of(lambda: witness_limbs(w2), reps)
    assert np.array_equal(builder_limbs, limbs), "witness program and builder disagree"
    from prover.prove import Prover

    lanes, shared = (Prover(sk.prover.zkey, sk.prover.threads, name)
                     for name in ("lanes", "shared"))
    (t_lanes, proof), (t_shared, _) = interleaved(
        [lambda: lanes.prove(limbs), lambda: shared.prove(limbs)], max(reps, 3))
    schedule = sk.prover.resolved_schedule()
    t_prove = t_lanes if schedule == "lanes" else t_shared
    public, proof_json = proof.public_json(), proof.to_json()
    t_verify, ok = median_of(lambda: verify(sk.vk, public, proof_json), reps)
    assert ok
    return {"shape": name, "N": sk.shape.N, "K": sk.shape.K, "constraints": sk.constraints,
            "domain_power": sk.prover.zkey.power, "load_s": t_load,
            "witness_s": t_wit, "witness_python_s": t_py,
            "witness_builder_s": t_builder + t_limbs,
            "prove_s": t_prove, "schedule": schedule, "prove_lanes_s": t_lanes,
            "prove_shared_s": t_shared, "witness_over_prove": t_wit / t_prove,
            "verify_ms": t_verify * 1e3,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_accounts(keys: str, reps: int) -> dict[str, Any]:
    """Bundled accounts at their auto shapes, and the batch schedules."""
    from engine.jsonio import bundled_accounts
    from zkmargin.api import MarginProver, MarginResult

    book = RiskBook.from_snapshot(load_snapshot("default"))
    prover = MarginProver.load(keys)
    rows = []
    for name in bundled_accounts():
        account = Account.load(name)
        try:
            shape = prover.select(account).name
        except ValueError:
            continue
        t, result = median_of(lambda: prover.prove(account, book), reps)
        rows.append({"account": name, "positions": len(account.positions),
                     "collateral": len(account.collateral), "shape": result.shape,
                     "latency_s": t, "witness_s": result.timings["witness"],
                     "prove_s": result.timings["prove"]})
        assert result.shape == shape
    small = [Account.load(n) for n in SMALL]

    def one_by_one() -> list:
        return [prover.prove(a, book) for a in small]

    schedules = {"one_after_another": one_by_one,
                 "prove_many_sequential":
                     lambda: prover.prove_many(small, book, schedule="sequential"),
                 "prove_many_pipelined":
                     lambda: prover.prove_many(small, book, schedule="pipelined")}
    batches = {}
    for label, (t, results) in zip(schedules, interleaved(list(schedules.values()),
                                                          max(reps, 5))):
        assert all(isinstance(r, MarginResult) for r in results)
        batches[label] = len(small) / t
    return {"accounts": rows, "throughput_per_s": batches, "batch": list(SMALL)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shapes", default="all", help="shapes to measure (names or 'all')")
    ap.add_argument("--keys", default=None, help="key set holding those shapes")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="n4k2 and n8k2, one repetition")
    ap.add_argument("--json", default="benchmarks/results/bench_margin_circuit.json")
    ap.add_argument("--one-shape", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_shape:
        print(json.dumps(measure_shape(args.keys, args.one_shape, args.reps)))
        return 0
    from zkmargin.api import MarginProver
    from zkmargin.keyset import parse_shapes

    shapes = ["n4k2", "n8k2"] if args.quick else parse_shapes(args.shapes)
    reps = 1 if args.quick else args.reps
    keys = args.keys
    if keys is None:
        book = RiskBook.from_snapshot(load_snapshot("default"))
        keys = str(MarginProver.cached_dev(book, shapes).directory)
    rows = []
    for name in shapes:
        proc = subprocess.run([sys.executable, __file__, "--keys", keys, "--one-shape", name,
                               "--reps", str(reps)], capture_output=True, text=True, check=True)
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(f"{name}: {r['constraints']:,} constraints, 2^{r['domain_power']}, witness "
              f"{r['witness_s'] * 1e3:.1f} ms (Python replay "
              f"{r['witness_python_s'] * 1e3:.0f} ms, builder "
              f"{r['witness_builder_s'] * 1e3:.0f} ms), "
              f"prove {r['prove_s']:.2f} s ({r['schedule']}; lanes {r['prove_lanes_s']:.2f} s, "
              f"shared {r['prove_shared_s']:.2f} s), verify {r['verify_ms']:.1f} ms, "
              f"peak {r['peak_rss_mib']:.0f} MiB", flush=True)
    acc = measure_accounts(keys, reps)
    text = margin_shapes_table({"shapes": rows, **acc}) + "\n"
    print(text)
    write_results(args.json, {"benchmark": "bench_margin_circuit", "shapes": rows, **acc,
                              "table": text})
    return 0


if __name__ == "__main__":
    sys.exit(main())
