"""Benchmark: BN254 pairing (C backend vs the py_ecc fallback, measured in the same run).

Rows: one pairing e(P, Q); one Miller loop; one final exponentiation; the product check
prod_j e(P_j, Q_j) == 1 for k = 1, 2, 4 (the Groth16 verifier's size), 8, 16 pairs.
The py_ecc fallback is timed once per row (it takes ~0.3 s per pair); `--quick` times it
only for k <= 2 (otherwise k <= 4) and runs fewer C repetitions;
the speed-up is py_ecc time over the C minimum.  Goal: a 4-pair check <= 10 ms.

    python benchmarks/bench_pairing.py [--quick] [--json benchmarks/results/bench_pairing.json]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import native  # noqa: E402
from benchmarks.harness import timeit, write_results  # noqa: E402

GOAL_4PAIR_MS = 10.0




def points(k: int) -> tuple[np.ndarray, np.ndarray]:
    """k pairs ([a_j] G1, [b_j] G2); for k > 1 their pairing product is 1 (a real check)."""
    from py_ecc import optimized_bn128 as ob

    r = ob.curve_order
    a = [(7 * j + 3) % r for j in range(k)]
    b = [(11 * j + 5) % r for j in range(k)]
    if k > 1:  # make sum a_j b_j = 0: last a = -(sum of the others' a_j b_j)/b_last
        a[-1] = -sum(x * y for x, y in zip(a[:-1], b[:-1])) * pow(b[-1], -1, r) % r
    g1 = np.stack([native.g1_from_py_ecc(ob.multiply(ob.G1, x)) for x in a])
    g2 = np.stack([native.g2_from_py_ecc(ob.multiply(ob.G2, y)) for y in b])
    return g1, g2


def run(quick: bool) -> list[dict]:
    """All rows, C and Python timed in this process."""
    c, py = native.get_backend("c"), native.get_backend("python")
    reps = 5 if quick else 30
    rows = []
    g1, g2 = points(1)
    f = c.miller_loop(g1, g2)
    single = [
        ("pairing", lambda b: b.pairing(g1[0], g2[0])),
        ("miller_loop", lambda b: b.miller_loop(g1, g2)),
        ("final_exponentiation", lambda b: b.final_exponentiation(f)),
    ]
    for name, call in single:
        c_ms, c_med = timeit(lambda: call(c), reps)
        py_ms = timeit(lambda: call(py), 1)[0]
        rows.append({"op": name, "k": 1, "c_ms": c_ms, "c_median_ms": c_med, "python_ms": py_ms})
    for k in (1, 2, 4, 8, 16):
        g1, g2 = points(k)
        assert c.pairing_check(g1, g2) == (k > 1), "k > 1 inputs satisfy the check"
        c_ms, c_med = timeit(lambda: c.pairing_check(g1, g2), reps)
        py_ms = timeit(lambda: py.pairing_check(g1, g2), 1)[0] if k <= (2 if quick else 4) else None
        rows.append({"op": "pairing_check", "k": k, "c_ms": c_ms, "c_median_ms": c_med,
                     "python_ms": py_ms})
    for row in rows:
        row["speedup"] = row["python_ms"] / row["c_ms"] if row["python_ms"] else None
        row["goal_ms"] = GOAL_4PAIR_MS if (row["op"], row["k"]) == ("pairing_check", 4) else None
    return rows


def table(rows: list[dict]) -> str:
    """The printed table."""
    out = [f"{'operation':<22}{'k':>4}{'C min ms':>10}{'C median':>10}{'py_ecc ms':>11}"
           f"{'speed-up':>10}{'goal ms':>9}"]
    for r in rows:
        py = f"{r['python_ms']:.0f}" if r["python_ms"] else "-"
        sp = f"{r['speedup']:.0f}x" if r["speedup"] else "-"
        goal = f"{r['goal_ms']:.0f}" if r["goal_ms"] else ""
        out.append(f"{r['op']:<22}{r['k']:>4}{r['c_ms']:>10.2f}{r['c_median_ms']:>10.2f}{py:>11}"
                   f"{sp:>10}{goal:>9}")
    return "\n".join(out)


def main() -> int:
    """Parse arguments, run, print and write JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions, py_ecc only for k <= 2")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "bench_pairing.json")
    args = ap.parse_args()
    rows = run(args.quick)
    print(table(rows))
    write_results(args.json, {"benchmark": "pairing", "quick": args.quick, "rows": rows})
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
