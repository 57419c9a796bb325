"""Benchmark: the native BN254 core, a size ladder 2^10 ... 2^20.

Primitives: Fr vector multiplication, NTT (forward, natural order), G1 MSM and G2 MSM
with random full-width scalars (< r), and the 4-pair pairing check.  Each row gives the C time, ns per element and the
speed-up over the pure-Python fallback.  The fallback is far too slow for big sizes,
so it is measured once per primitive at a small size (PY_SIZES) in the same run and
extrapolated linearly per element (for the MSM this flatters the fallback slightly:
Pippenger is sub-linear).  MSM points: up to 2^16 distinct random points (fixed-base
multiples of G), tiled for larger sizes (Pippenger's cost does not depend on the
points being distinct).

    python benchmarks/bench_native.py [--quick] [--max-log 20] [--threads N]
                                      [--json benchmarks/results/bench_native.json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import native  # noqa: E402
from native import params as bn  # noqa: E402
from benchmarks.harness import environment  # noqa: E402
from zkbase.files import atomic_write_text  # noqa: E402

GOALS_MS = {("g1_msm", 16): 150.0, ("g1_msm", 20): 2500.0, ("ntt", 20): 150.0,
            ("pairing_check4", 0): 10.0}
PY_SIZES = {"fr_mul": 1 << 10, "ntt": 1 << 10, "g1_msm": 1 << 5, "g2_msm": 1 << 3}
DISTINCT_POINTS = 1 << 16


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Minimum wall time (s) over `repeat` runs (after one warm-up for small inputs)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def rand_fr(c, n: int, rnd: random.Random) -> np.ndarray:
    return native.fr_from_ints([rnd.randrange(bn.R) for _ in range(n)])


class Inputs:
    """Random inputs shared by the C and Python measurements."""

    def __init__(self, c, max_n: int, seed: int = 1) -> None:
        self.c, self.rnd = c, random.Random(seed)
        self.scalars = rand_fr(c, max_n, self.rnd)
        self.fr = c.fr_to_mont(self.scalars)
        self._points: dict[str, np.ndarray] = {}

    def points(self, g: str, n: int) -> np.ndarray:
        if g not in self._points:
            m = min(DISTINCT_POINTS, self.scalars.shape[0])
            gen = native.g1_from_ints([bn.G1_GEN])[0] if g == "g1" else native.g2_from_ints([bn.G2_GEN])[0]
            fixed = self.c.g1_fixed_base_mul if g == "g1" else self.c.g2_fixed_base_mul
            self._points[g] = fixed(gen, rand_fr(self.c, m, self.rnd))
        base = self._points[g]
        reps = -(-n // base.shape[0])
        return np.ascontiguousarray(np.tile(base, (reps, 1))[:n])


def runner(name: str, api, inp: Inputs, n: int, threads: int | None) -> Callable[[], object]:
    if name == "fr_mul":
        a, b = inp.fr[:n], inp.fr[::-1][:n].copy()
        out = np.empty_like(a)  # preallocated: time the kernel, not page faults
        return lambda: api.fr_vec_mul(a, b, out=out)
    if name == "ntt":
        a = inp.fr[:n].copy()
        return lambda: api.ntt(a, threads=threads)
    if name in ("g1_msm", "g2_msm"):
        g = name[:2]
        pts, ks = inp.points(g, n), inp.scalars[:n].copy()
        msm = getattr(api, name)
        return lambda: msm(pts, ks, threads=threads)
    raise ValueError(name)


def pairing_row(c) -> dict | None:
    """4-pair product check e(a1,b1)...e(a4,b4) = 1 (valid instance)."""
    check = c.pairing_check
    rnd = random.Random(5)
    g1 = native.g1_from_ints([bn.G1_GEN])[0]
    g2 = native.g2_from_ints([bn.G2_GEN])[0]
    a = [rnd.randrange(1, bn.R) for _ in range(3)]
    # e(aG1, G2) e(bG1, G2) e(cG1, G2) e(-(a+b+c)G1, G2) = 1
    ks = a + [(-sum(a)) % bn.R]
    p1 = np.stack([c.g1_scalar_mul(g1, k) for k in ks])
    p2 = np.stack([g2] * 4)
    if not check(p1, p2):
        raise RuntimeError("pairing_check returned False on a valid 4-pair instance")
    t = best_of(lambda: check(p1, p2), 5)
    return {"primitive": "pairing_check4", "log_n": 0, "n": 4, "c_ms": t * 1e3,
            "ns_per_elem": t * 1e9 / 4, "py_ns_per_elem": None, "speedup": None,
            "goal_ms": GOALS_MS[("pairing_check4", 0)], "backend": native.backend()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="sizes 2^10..2^14 only")
    ap.add_argument("--max-log", type=int, default=20)
    ap.add_argument("--threads", type=int, default=None, help="default: all CPUs")
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "results" / "bench_native.json"))
    ap.add_argument("--g2-max-log", type=int, default=18, help="G2 MSM ladder top (slow)")
    args = ap.parse_args(argv)
    max_log = min(args.max_log, 14) if args.quick else args.max_log
    c = native.get_backend("c")
    py = native.get_backend("python")
    inp = Inputs(c, 1 << max_log)
    rows = []
    py_ns: dict[str, float] = {}
    for name, n_py in PY_SIZES.items():
        t = best_of(runner(name, py, inp, n_py, args.threads), 1)
        py_ns[name] = t * 1e9 / n_py
    for name in ("fr_mul", "ntt", "g1_msm", "g2_msm"):
        top = min(max_log, args.g2_max_log) if name == "g2_msm" else max_log
        for k in range(10, top + 1, 2 if not args.quick else 1):
            n = 1 << k
            fn = runner(name, c, inp, n, args.threads)
            if name in ("fr_mul", "ntt"):
                fn()  # warm-up: first touch of the output pages, twiddle table
            reps = 3 if n <= 1 << 16 else 1
            t = best_of(fn, reps)
            ns = t * 1e9 / n
            rows.append({"primitive": name, "log_n": k, "n": n, "c_ms": t * 1e3,
                         "ns_per_elem": ns, "py_ns_per_elem": py_ns[name],
                         "speedup": py_ns[name] / ns, "goal_ms": GOALS_MS.get((name, k)),
                         "backend": "c"})
            print(f"{name:8s} 2^{k:<2d} {t * 1e3:10.2f} ms", file=sys.stderr)
    pr = pairing_row(c)
    if pr:
        rows.append(pr)
    print_table(rows)
    meta = {"machine": platform.machine(), "cpus": os.cpu_count(), "threads": args.threads,
            "python": platform.python_version(), "asm_kernel": asm_enabled(),
            "py_fallback_sizes": PY_SIZES, "note": "python fallback extrapolated per element",
            "environment": environment()}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(args.json, json.dumps({"meta": meta, "rows": rows}, indent=2))
    print(f"wrote {args.json}")
    return 0


def asm_enabled() -> bool:
    try:
        from native._bn254 import lib
    except ImportError:
        return False
    return bool(lib.zkm_asm_enabled())


def print_table(rows: list[dict]) -> None:
    print(f"{'primitive':15s} {'n':>8s} {'C ms':>10s} {'ns/elem':>10s} {'py ns/elem*':>12s} "
          f"{'speed-up':>9s} {'goal ms':>8s}")
    for r in rows:
        n = f"2^{r['log_n']}" if r["log_n"] else str(r["n"])
        py = f"{r['py_ns_per_elem']:.0f}" if r["py_ns_per_elem"] else "-"
        sp = f"{r['speedup']:.0f}x" if r["speedup"] else "-"
        goal = f"{r['goal_ms']:.0f}" if r["goal_ms"] else ""
        print(f"{r['primitive']:15s} {n:>8s} {r['c_ms']:10.2f} {r['ns_per_elem']:10.1f} "
              f"{py:>12s} {sp:>9s} {goal:>8s}")
    print("* python fallback measured at small n in this run and extrapolated per element")


if __name__ == "__main__":
    raise SystemExit(main())
