"""Benchmark: Groth16 proving, ours vs ``snarkjs groth16 prove`` on the same files.

Ladder of circuits with 2^k - 8 constraints (domain 2^k), two witness shapes, plus
the standard ZKM-1 margin circuit (78,475 constraints, domain 2^17):
* dense: a chain of multiplications of random field elements (full-size scalars);
* bits:  253-bit values decomposed into boolean wires (b*b = b) and recomposed
         (almost every witness value is 0 or 1).
For each rung: the .r1cs/.wtns are written with ``circuits``, the key with our
development setup (``prover.dev_keys``, INSECURE), then ``zkmargin groth16 prove`` and
``snarkjs groth16 prove`` run as child processes on the same .zkey/.wtns (wall time
of the whole process, and peak RSS from ``os.wait4``); our proof is checked with
``snarkjs groth16 verify``.  Also times the development ceremony (``setup --dev``).

Goals: >= 6x faster than snarkjs at 2^16 and beyond; peak memory < 3x the
zkey size; a 2^16 development ceremony < 10 s.

    python benchmarks/bench_prove.py [--quick] [--max-power 20] [--kinds dense,bits]
                                     [--ceremony-power 16] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from circuits import R1CS, write_r1cs, write_wtns  # noqa: E402
from prover.encoding import R  # noqa: E402
from benchmarks.harness import write_results  # noqa: E402
from zkmargin.bench.provers import LAUNCHER  # noqa: E402  (runs a command, reports its peak RSS)

SNARKJS = ROOT / "tests" / "js" / "node_modules" / ".bin" / "snarkjs"
N_IN = 16


def dense_circuit(n_cons: int, seed: int) -> tuple[R1CS, list[int]]:
    """w[t] = w[t-1] * w[t-16] for fresh wires t, then out = last + k (public); the
    ladder circuit of ``zkmargin bench`` (:mod:`zkmargin.bench.ladder`)."""
    from zkmargin.bench.ladder import dense_r1cs, dense_witness

    return dense_r1cs(n_cons), dense_witness(n_cons, seed)


def bits_circuit(n_cons: int, seed: int) -> tuple[R1CS, list[int]]:
    """Values v_j (private inputs) split into 253 boolean wires each and recomposed;
    out = v_0 + k (public).  Leftover constraints are booleanity checks of bit 0."""
    rnd = random.Random(seed)
    n_vals = max(1, n_cons // 254)
    k = rnd.randrange(R)
    vals = [rnd.getrandbits(253) for _ in range(n_vals)]
    w = [1, (vals[0] + k) % R, k] + vals
    cons = [({3: 1, 2: 1}, {0: 1}, {1: 1})]
    first_bit = None
    for j, v in enumerate(vals):
        if len(cons) + 254 > n_cons:
            break
        base = len(w)
        w.extend((v >> i) & 1 for i in range(253))
        first_bit = first_bit or base
        cons.extend(({base + i: 1}, {base + i: 1}, {base + i: 1}) for i in range(253))
        cons.append(({base + i: 1 << i for i in range(253)}, {0: 1}, {3 + j: 1}))
    while len(cons) < n_cons:
        cons.append(({first_bit: 1}, {first_bit: 1}, {first_bit: 1}))
    return R1CS(R, len(w), 1, 1, n_vals, len(w), cons, list(range(len(w)))), w




def run_child(cmd: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS bytes, stdout) of a command run in a clean child."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], capture_output=True,
                          text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stdout}{proc.stderr}")
    rss_kb = int(proc.stderr.rsplit("MAXRSS_KB", 1)[1].split()[0])
    return wall, rss_kb * 1024, proc.stdout


def margin_circuit() -> tuple[R1CS, list[int]]:
    """The standard ZKM-1 margin circuit (bundled book, N = 16, K = 4, "full"
    statement) with the witness of the bundled account ``straddle_hedged``."""
    from circuits.margin import MarginShape, build_margin_circuit
    from engine import RiskBook, load_account, load_snapshot

    book = RiskBook.from_snapshot(load_snapshot("default"))
    c = build_margin_circuit(MarginShape.from_book(book, 16, 4), "full", book,
                             load_account("straddle_hedged"))
    return c.r1cs, c.witness


def best_of(cmd: list[str], repeat: int) -> tuple[float, int, str]:
    """The fastest of ``repeat`` runs (the machine is shared: the minimum is the figure
    least disturbed by other load), with the largest peak RSS seen."""
    runs = [run_child(cmd) for _ in range(repeat)]
    best = min(runs, key=lambda r: r[0])
    return best[0], max(r[1] for r in runs), best[2]


def bench_rung(k: int, kind: str, work: Path, snarkjs: bool, threads: int | None,
               repeat: int = 1) -> dict:
    from prover.files import save_zkey
    from prover.ceremony import draw_toxic_waste
    from prover.dev_keys import dev_zkey
    from prover.setup import circuit_power

    t = time.perf_counter()
    if kind == "margin":
        r1cs, w = margin_circuit()
        k = circuit_power(len(r1cs.constraints), r1cs.n_pub_out + r1cs.n_pub_in)
    else:
        r1cs, w = (dense_circuit if kind == "dense" else bits_circuit)((1 << k) - 8, seed=k)
    n_cons = len(r1cs.constraints)
    base = work / f"{kind}{k}"
    write_r1cs(f"{base}.r1cs", r1cs)
    write_wtns(f"{base}.wtns", w)
    build = time.perf_counter() - t
    t = time.perf_counter()
    z = dev_zkey(r1cs, draw_toxic_waste())
    save_zkey(f"{base}.zkey", z)
    setup = time.perf_counter() - t
    del r1cs, w
    zkey_size = os.path.getsize(f"{base}.zkey")
    cmd = [sys.executable, "-m", "zkmargin.cli", "groth16", "prove", f"{base}.zkey",
           f"{base}.wtns", f"{base}.proof.json", f"{base}.public.json", "--json"]
    if threads:
        cmd += ["--threads", str(threads)]
    ours, ours_rss, out = best_of(cmd, repeat)
    inner = json.loads(out)
    row = {"power": k, "kind": kind, "constraints": n_cons, "zkey_mb": zkey_size / 2**20,
           "build_s": build, "dev_key_s": setup, "ours_s": ours, "ours_inner_s": inner["seconds"],
           "ours_timings": inner["timings"], "ours_rss_mb": ours_rss / 2**20,
           "rss_over_zkey": ours_rss / zkey_size}
    if snarkjs:
        vk = f"{base}.vk.json"
        run_child([str(SNARKJS), "zkey", "export", "verificationkey", f"{base}.zkey", vk])
        _, _, out = run_child([str(SNARKJS), "groth16", "verify", vk, f"{base}.public.json",
                               f"{base}.proof.json"])
        row["snarkjs_verifies_ours"] = "OK" in out
        sj, sj_rss, _ = best_of([str(SNARKJS), "groth16", "prove", f"{base}.zkey", f"{base}.wtns",
                                 f"{base}.sj.proof.json", f"{base}.sj.public.json"], repeat)
        row.update(snarkjs_s=sj, snarkjs_rss_mb=sj_rss / 2**20, speedup=sj / ours)
    for ext in ("zkey", "wtns", "r1cs"):
        os.unlink(f"{base}.{ext}")
    return row


def bench_ceremony(power: int, work: Path) -> dict:
    wall, rss, _ = run_child([sys.executable, "-m", "zkmargin.cli", "setup", "--dev",
                              "--power", str(power), "-o", str(work / "dev.ptau")])
    size = os.path.getsize(work / "dev.ptau")
    os.unlink(work / "dev.ptau")
    return {"power": power, "seconds": wall, "rss_mb": rss / 2**20, "ptau_mb": size / 2**20}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2^12 and 2^14 only")
    ap.add_argument("--min-power", type=int, default=12)
    ap.add_argument("--max-power", type=int, default=20)
    ap.add_argument("--step", type=int, default=2)
    ap.add_argument("--kinds", default="dense,bits")
    ap.add_argument("--ceremony-power", type=int, default=None,
                    help="time `setup --dev` at this power (default 16, quick 12; 0 = skip)")
    ap.add_argument("--no-snarkjs", action="store_true")
    ap.add_argument("--no-margin", action="store_true",
                    help="skip the standard margin circuit row (on unless --quick)")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1, help="best of N runs of each prover")
    ap.add_argument("--json", dest="json_out", default=None, help="write results here")
    args = ap.parse_args()
    max_p = 14 if args.quick else args.max_power
    cer_p = args.ceremony_power if args.ceremony_power is not None else (12 if args.quick else 16)
    rows, cer = [], None
    with tempfile.TemporaryDirectory(prefix="bench_prove.") as tmp:
        work = Path(tmp)
        print(f"{'k':>3} {'kind':>6} {'zkey MB':>8} {'dev key s':>9} {'ours s':>7} "
              f"{'snarkjs s':>9} {'ratio':>6} {'RSS MB':>7} {'RSS/zkey':>8} {'sj RSS':>7}")
        rungs = [(k, kind) for k in range(args.min_power, max_p + 1, args.step)
                 for kind in args.kinds.split(",")]
        if not (args.quick or args.no_margin):
            rungs.append((0, "margin"))
        for k, kind in rungs:
            r = bench_rung(k, kind, work, not args.no_snarkjs, args.threads, args.repeat)
            rows.append(r)
            print(f"{r['power']:>3} {kind:>6} {r['zkey_mb']:8.1f} {r['dev_key_s']:9.2f} "
                  f"{r['ours_s']:7.2f} {r.get('snarkjs_s', float('nan')):9.2f} "
                  f"{r.get('speedup', float('nan')):6.2f} {r['ours_rss_mb']:7.0f} "
                  f"{r['rss_over_zkey']:8.2f} {r.get('snarkjs_rss_mb', float('nan')):7.0f}",
                  flush=True)
        if cer_p:
            cer = bench_ceremony(cer_p, work)
            print(f"dev ceremony 2^{cer_p}: {cer['seconds']:.2f} s, ptau "
                  f"{cer['ptau_mb']:.0f} MB, peak RSS {cer['rss_mb']:.0f} MB")
    result = {"benchmark": "groth16 prove vs snarkjs 0.7.6", "machine": platform.platform(),
              "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg(),
              "repeat": args.repeat, "rows": rows, "dev_ceremony": cer}
    if args.json_out:
        write_results(args.json_out, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
