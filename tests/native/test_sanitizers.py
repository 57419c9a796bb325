"""The native C compiled with -fsanitize=address,undefined, run on a reduced test set.

Known answers come from Python (ints, py_ecc via the pure-Python backend); the C
driver tests/native/c/sanitize_driver.c compares and exits non-zero on a mismatch,
and the sanitizers abort on any memory error or undefined behaviour.
"""
from __future__ import annotations

import math
import random
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from py_ecc import optimized_bn128 as ob

import native
from native import params as bn
from native.convert import ints_to_limbs
from native.poseidon import partial_rounds, plan52_limbs, plan_limbs, poseidon
from tests.native import test_witness_vm as wvm
from tests.native.curve_helpers import twist_point_outside_g2

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "native" / "src"
DRIVER = Path(__file__).resolve().parent / "c" / "sanitize_driver.c"
P, R = bn.P, bn.R


def fq_m(x: int) -> int:
    return x % P * bn.FQ_MONT["R1"] % P


def vectors(rnd: random.Random) -> bytes:
    py = native.get_backend("python")
    words: list[np.ndarray] = []
    nf, logn, n1, n2, nfb = 40, 10, 70, 12, 20
    words.append(np.array([nf, logn, n1, n2, nfb], dtype=np.uint64))
    edges = [0, 1, P - 1, 2]
    for i in range(nf):
        a = edges[i] if i < 4 else rnd.randrange(P)
        b = rnd.randrange(P) if i % 3 else P - 1
        vals = [a, b, a * b, a + b, a - b, pow(a, -1, P) if a else 0]
        words.append(ints_to_limbs([fq_m(v) for v in vals]).ravel())
    n = 1 << logn
    coeffs = [rnd.randrange(R) for _ in range(n)]
    a = py.fr_to_mont(native.fr_from_ints(coeffs))
    words += [a.ravel(), py.ntt(a).ravel()]
    for g, m in (("g1", n1), ("g2", n2)):
        gen = ob.G1 if g == "g1" else ob.G2
        s = [rnd.randrange(1, R) for _ in range(m)]
        k = [rnd.choice([0, 1, R, (1 << 256) - 1, rnd.randrange(1 << 256)]) for _ in range(m)]
        to = native.g1_from_py_ecc if g == "g1" else native.g2_from_py_ecc
        pts = np.stack([to(ob.multiply(gen, x)) for x in s])
        pts[3] = 0  # infinity among the points
        total = sum(x * y for i, (x, y) in enumerate(zip(k, s)) if i != 3) % R
        words += [pts.ravel(), ints_to_limbs(k).ravel(), to(ob.multiply(gen, total))]
    base = native.g1_from_py_ecc(ob.multiply(ob.G1, 987654321))
    k = [rnd.randrange(1 << 256) for _ in range(nfb)] + []
    k[0], k[1] = 0, R
    words += [base, ints_to_limbs(k).ravel(), py.g1_fixed_base_mul(base, ints_to_limbs(k)).ravel()]
    words += [native.g2_from_py_ecc(ob.G2), native.g2_from_py_ecc(twist_point_outside_g2())]
    widths = (2, 3, 17)
    words.append(np.array([len(widths)], dtype=np.uint64))
    for t in widths:
        rows = [[rnd.choice([0, R - 1, R, (1 << 256) - 1, rnd.randrange(1 << 256)])
                 for _ in range(t - 1)] for _ in range(5)]
        plan = plan_limbs(t)
        words.append(np.array([t, partial_rounds(t), len(rows), plan.shape[0]], dtype=np.uint64))
        words += [plan.ravel(), plan52_limbs(t).ravel(),
                  ints_to_limbs(x for r in rows for x in r).ravel(),
                  ints_to_limbs([poseidon(r) for r in rows]).ravel()]
    n, n_coefs = 40, 6
    coefs = [1, R - 1] + [rnd.randrange(R) for _ in range(n_coefs - 2)]
    code = wvm.random_program(rnd, n, n_coefs, 60)
    mem = wvm.edge_values(rnd, n)
    after, pc = list(mem), 0
    while pc < len(code):  # the hints are skipped
        pc, _ = wvm.ref_run(after, code, coefs, pc)
    words.append(np.array([n, len(code), n_coefs], dtype=np.uint64))
    words += [wvm.mont(mem).ravel(), np.array(code, dtype=np.int64).view(np.uint64),
              wvm.mont(coefs).ravel(), wvm.mont(after).ravel()]
    words += pricing_vectors(rnd)
    return np.concatenate([w.astype(np.uint64).ravel() for w in words]).astype("<u8").tobytes()


def _bits(xs: list[float]) -> np.ndarray:
    return np.array(xs, dtype=np.float64).view(np.uint64)


def pricing_vectors(rnd: random.Random) -> list[np.ndarray]:
    """Exact risk floors (every route: 128-bit, 256-bit, far-apart exponents, refused) with
    the answers of the normal build, checked here against Fractions; then one batch of
    options (some refused) with the normal build's status, base and risk."""
    from native import c_pricing

    floors = []
    for gap in (0, 1, 40, 72, 73, 100, 150, 200, 400, 1070):
        for _ in range(3):
            big = rnd.uniform(0.5, 2.0) * 2.0 ** rnd.randint(-30, 20)
            small = big * 2.0 ** -gap
            num, den = rnd.choice([(10**8, 1), (7 * 10**8, 20), (2**62, 3), (1, 2**62)])
            floors += [(num, den, big, small), (num, den, small, big)]
    floors += [(1, 1, 2.0 ** 70, 0.0), (3, 1, 0.0, 0.0), (0, 7, 5.0, 1e-300), (1, 2, 0.0, 2.0 ** 53 + 2)]
    rows = []
    for num, den, x, b in floors:
        got = c_pricing.risk_floor_of(num, den, x, b)
        if got is not None:
            assert got == math.floor(Fraction(num, den) * (Fraction(x) - Fraction(b)))
        rows.append([num, den, *_bits([x, b]).tolist(), got is not None,
                     (got or 0) & (2**64 - 1)])
    out = [np.array([len(rows)], dtype=np.uint64), np.array(rows, dtype=np.uint64)]
    n, m = 12, 5
    kind = [i % 2 for i in range(n)]
    spot = [10 ** rnd.uniform(-2, 5) for _ in range(n)]
    strike = [x * 10 ** rnd.uniform(-1.5, 1.5) for x in spot]
    t = [10 ** rnd.uniform(-4, 1) for _ in range(n)]
    vol = [10 ** rnd.uniform(-3, 0.5) for _ in range(n)]
    spot[3], spot[7] = float("nan"), 0.0                  # refused, and sd = 0 below
    vol[5], t[5] = 1e-300, 1e-300
    mult = [1.0] * n
    shock = [[rnd.uniform(0.3, 1.7) for _ in range(m)]]
    factor = [[rnd.uniform(0.2, 2.0) for _ in range(m)]]
    cnum, cden, pnum, pden = [1, 1, 1, 7, 1], [1, 1, 1, 20, 1], [10**8] * n, [1] * n
    res = c_pricing.option_risk_batch(kind, spot, strike, t, vol, mult, 0.05, math.sqrt(2.0),
                                      1.0 / math.sqrt(2.0 * math.pi), shock, [0] * n, factor,
                                      [0] * n, cnum, cden, pnum, pden)
    assert res.status.tolist() == [int(i in (3, 5, 7)) for i in range(n)]
    risk = np.where(res.status[:, None] == 0, res.risk, 0)
    out += [np.array([n, m], dtype=np.uint64), np.array(kind, dtype=np.uint64),
            *(_bits(x) for x in (spot, strike, t, vol, mult, shock[0], factor[0])),
            np.array(cnum + cden + pnum + pden, dtype=np.uint64),
            res.status.astype(np.uint64), _bits(np.where(res.status == 0, res.base, 0.0).tolist()),
            risk.astype(np.int64).view(np.uint64).ravel()]
    return out


@pytest.mark.slow
def test_native_c_under_asan_ubsan(tmp_path):
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.fail("no C compiler: the sanitizer test needs gcc")
    exe = tmp_path / "sanitize_driver"
    cmd = [gcc, "-O1", "-g", "-std=gnu11", "-fsanitize=address,undefined",
           "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-pthread",
           f"-I{SRC}", *map(str, sorted(SRC.glob("*.c"))), str(DRIVER), "-lm", "-o", str(exe)]
    build = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert build.returncode == 0, build.stderr[-4000:]
    vec = tmp_path / "vectors.bin"
    vec.write_bytes(vectors(random.Random(2024)))
    run = subprocess.run([str(exe), str(vec)], capture_output=True, text=True, timeout=240,
                         env={"ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0",
                              "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"})
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    assert "OK (0 failures)" in run.stdout
    assert "runtime error" not in run.stderr and "AddressSanitizer" not in run.stderr
