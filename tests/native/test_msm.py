"""MSM and fixed-base multiplication against a naive sum (py_ecc), adversarial inputs."""
from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from py_ecc import optimized_bn128 as ob

import native
from native import params as bn
from native.convert import ints_to_limbs
from tests.native.conftest import c_backend
from tests.native.curve_helpers import g1_arr, g2_arr, rand_g1, rand_g2

R = bn.R
MAX = (1 << 256) - 1


def naive(points, scalars, zero):
    acc = zero
    for p, k in zip(points, scalars):
        acc = ob.add(acc, ob.multiply(p, k % R))
    return acc


def scal(ks):
    return ints_to_limbs(ks).reshape(-1, 4)


def check(nb, g, pts, ks, threads=None, config=None):
    arr = g1_arr(pts) if g == "g1" else g2_arr(pts)
    zero = ob.Z1 if g == "g1" else ob.Z2
    msm = nb.g1_msm if g == "g1" else nb.g2_msm
    back = native.g1_to_py_ecc if g == "g1" else native.g2_to_py_ecc
    got = back(msm(arr.reshape(-1, arr.shape[-1] if arr.size else (8 if g == "g1" else 16)),
                   scal(ks), threads=threads, config=config))
    assert ob.eq(got, naive(pts, ks, zero))


def pool(g, n, seed=0):
    rnd = random.Random(seed)
    base = (rand_g1 if g == "g1" else rand_g2)(rnd, min(n, 6))
    return [base[i % len(base)] if i < len(base) else ob.add(base[i % len(base)], base[(i * 7) % len(base)])
            for i in range(n)]


ADVERSARIAL = {
    "all_zero": lambda n, rnd: [0] * n,
    "all_r": lambda n, rnd: [R] * n,
    "all_equal": lambda n, rnd: [123456789123456789] * n,
    "ones": lambda n, rnd: [1] * n,
    "zero_one_mix": lambda n, rnd: [rnd.choice([0, 1, 2, R - 1]) for _ in range(n)],
    "max": lambda n, rnd: [MAX] * n,
    "edges": lambda n, rnd: [[0, 1, R - 1, R, R + 1, MAX, 1 << 253][i % 7] for i in range(n)],
    "random": lambda n, rnd: [rnd.randrange(1 << 256) for _ in range(n)],
}


@pytest.mark.parametrize("g", ["g1", pytest.param("g2", marks=pytest.mark.slow)])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 9])
@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_msm_small_adversarial(nb, g, n, kind):
    rnd = random.Random(n)
    check(nb, g, pool(g, n, seed=n), ADVERSARIAL[kind](n, rnd))


@pytest.mark.parametrize("g", ["g1", "g2"])
def test_msm_repeated_points_and_infinity(nb, g):
    rnd = random.Random(5)
    p = (rand_g1 if g == "g1" else rand_g2)(rnd, 1)[0]
    zero = ob.Z1 if g == "g1" else ob.Z2
    pts = [p, p, ob.neg(p), zero, p, zero]
    ks = [5, 5, 10, 77, R - 1, 0]
    check(nb, g, pts, ks)
    check(nb, g, [p] * 12, [rnd.randrange(R) for _ in range(12)])


def _switch_sizes(g: str = "g1", config=None) -> list[int]:
    """Sizes m just below and at each window-size switch of the C MSM (up to ~1100)."""
    from native.c_msm import window_bits

    sizes, prev = [], window_bits(1, g, config)
    for m in range(2, 1100):
        c = window_bits(m, g, config)
        if c != prev:
            sizes += [m - 1, m]
            prev = c
    return sizes


@pytest.mark.parametrize("g", ["g1", "g2"])
def test_window_switch_sizes_exist(g):
    c_backend()
    sizes = _switch_sizes(g)
    assert len(sizes) >= 8 and sizes == sorted(sizes)


def test_glv_decomposition():
    c_backend()
    from native.c_msm import glv_decompose

    rnd = random.Random(9)
    ks = [0, 1, 2, R - 1, R, R + 1, MAX, bn.GLV_LAMBDA, R - bn.GLV_LAMBDA]
    ks += [rnd.randrange(1 << 256) for _ in range(500)]
    for k in ks:
        k1, k2 = glv_decompose(k)
        assert abs(k1) < 1 << 128 and abs(k2) < 1 << 128
        assert (k1 + k2 * bn.GLV_LAMBDA - k) % R == 0
    # phi(P) = (beta x, y) = [lambda] P on G1
    p = ob.multiply(ob.G1, 12345)
    x, y = ob.normalize(p)
    assert ob.eq((x * bn.GLV_BETA, y, ob.FQ.one()), ob.multiply(p, bn.GLV_LAMBDA))


@pytest.fixture(params=["glv", "plain"])
def g1_mode(request):
    """The MSM config of G1 with the GLV split (the default with IFMA, and without it
    for n <= 2^14) and without."""
    c_backend()
    from native.c_msm import MsmConfig

    return MsmConfig(glv=request.param == "glv")


@pytest.fixture(params=["ifma", "scalar"])
def bucket_kernel(request):
    """Batch-affine bucket additions on the eight-lane IFMA kernel (points and buckets in
    the R = 2^260 form) and on the scalar one; on a CPU without IFMA, asking for it must
    leave it off (and the scalar kernel is what runs)."""
    c_backend()
    from native._bn254 import lib

    old = lib.zkm_ifma_enabled()
    want = request.param == "ifma"
    assert lib.zkm_set_ifma(int(want)) == (want and lib.zkm_cpu_has_ifma())
    yield request.param
    lib.zkm_set_ifma(old)


@pytest.mark.parametrize("g", ["g1", "g2"])
def test_c_msm_around_window_switches(g, g1_mode):
    """Full-width random scalars at sizes just below/at every switch, vs the naive sum
    computed by one fixed-base pass: sum k_i [s_i] G = [sum k_i s_i] G."""
    c = c_backend()
    rnd = random.Random(11)
    gen = ob.G1 if g == "g1" else ob.G2
    base = native.g1_from_py_ecc(gen) if g == "g1" else native.g2_from_py_ecc(gen)
    fixed = c.g1_fixed_base_mul if g == "g1" else c.g2_fixed_base_mul
    msm = c.g1_msm if g == "g1" else c.g2_msm
    back = native.g1_to_py_ecc if g == "g1" else native.g2_to_py_ecc
    sizes = (_switch_sizes(g, g1_mode) if g == "g1"
             else [s for s in _switch_sizes(g, g1_mode) if s < 300])
    biggest = max(sizes)
    s = [rnd.randrange(R) for _ in range(biggest)]
    pts = fixed(base, scal(s))
    for m in sizes:
        k = [rnd.randrange(1 << 256) for _ in range(m)]
        k[0], k[-1] = 1, 0  # trivial scalars do not change m's neighbourhood much
        want = ob.multiply(gen, sum(a * b for a, b in zip(k, s[:m])) % R)
        for threads in (1, 2):
            got = msm(pts[:m], scal(k), threads=threads, config=g1_mode)
            assert ob.eq(back(got), want), (m, threads)


@pytest.mark.parametrize("g", ["g1", "g2"])
@pytest.mark.parametrize("n", [0, 1, 5, 70])
def test_fixed_base_mul(nb, g, n):
    rnd = random.Random(n)
    gen = ob.G1 if g == "g1" else ob.G2
    base_pt = ob.multiply(gen, rnd.randrange(1, R))
    base = native.g1_from_py_ecc(base_pt) if g == "g1" else native.g2_from_py_ecc(base_pt)
    fixed = nb.g1_fixed_base_mul if g == "g1" else nb.g2_fixed_base_mul
    back = native.g1_to_py_ecc if g == "g1" else native.g2_to_py_ecc
    edges = [0, 1, R - 1, R, MAX]
    ks = (edges + [rnd.randrange(1 << 256) for _ in range(n)])[:n]
    if g == "g2" and n > 20 and nb.backend() == "python":
        ks = ks[:20]
    out = fixed(base, scal(ks))
    assert out.shape == (len(ks), 8 if g == "g1" else 16)
    rows = list(zip(out, ks))
    check_rows = rows if g == "g1" else rows[:6] + rows[-4:]  # py_ecc G2 is slow
    for row, k in check_rows:
        assert ob.eq(back(row), ob.multiply(base_pt, k % R)) if k % R else (row == 0).all()


def test_msm_shape_errors(nb):
    with pytest.raises(native.NativeError):
        nb.g1_msm(np.zeros((2, 8), np.uint64), np.zeros((3, 4), np.uint64))
    with pytest.raises(native.NativeError):
        nb.g2_msm(np.zeros((2, 8), np.uint64), np.zeros((2, 4), np.uint64))


@pytest.mark.slow
@pytest.mark.parametrize("g", ["g1", "g2"])
@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_c_msm_batch_affine_path_adversarial(g1_mode, bucket_kernel, g, kind):
    """Batch-affine buckets forced on tiny windows (from 2 buckets)."""
    c = c_backend()
    config = replace(g1_mode, batch_min_buckets=2)
    rnd = random.Random(len(kind))
    p = (rand_g1 if g == "g1" else rand_g2)(rnd, 1)[0]
    zero = ob.Z1 if g == "g1" else ob.Z2
    # repeated points, negations (x-equal collisions), infinity, plus distinct points
    pts = [p, p, ob.neg(p), zero, p] + pool(g, 12, seed=3) + [p] * 4
    ks = ADVERSARIAL[kind](len(pts), rnd)
    check(c, g, pts, ks, config=config)
    check(c, g, pts, ks, threads=2, config=config)


@pytest.mark.parametrize("m", [300, 1037])
def test_c_msm_batch_affine_path_random(bucket_kernel, m):
    from native.c_msm import MsmConfig

    c = c_backend()
    rnd = random.Random(m)
    s = [rnd.randrange(R) for _ in range(m)]
    pts = c.g1_fixed_base_mul(native.g1_from_py_ecc(ob.G1), scal(s))
    pts[5] = pts[6]  # a repeated point
    s[5] = s[6]
    k = [rnd.randrange(1 << 256) for _ in range(m)]
    want = ob.multiply(ob.G1, sum(a * b for a, b in zip(k, s)) % R)
    got = c.g1_msm(pts, scal(k), config=MsmConfig(batch_min_buckets=2))
    assert ob.eq(native.g1_to_py_ecc(got), want)


@pytest.mark.parametrize("g,m,c", [("g1", 3000, 12), ("g2", 1500, 11), ("g1", 2000, 16)])
def test_c_msm_batch_flushes_with_wide_windows(g1_mode, bucket_kernel, g, m, c):
    """Window override: >= 1024 buckets, so batches fill and flush mid-window."""
    cb = c_backend()
    rnd = random.Random(m + c)
    gen = ob.G1 if g == "g1" else ob.G2
    to = native.g1_from_py_ecc if g == "g1" else native.g2_from_py_ecc
    back = native.g1_to_py_ecc if g == "g1" else native.g2_to_py_ecc
    fixed = cb.g1_fixed_base_mul if g == "g1" else cb.g2_fixed_base_mul
    msm = cb.g1_msm if g == "g1" else cb.g2_msm
    s = [rnd.randrange(R) for _ in range(m)]
    pts = fixed(to(gen), scal(s))
    k = [rnd.randrange(1 << 256) for _ in range(m)]
    want = ob.multiply(gen, sum(a * b for a, b in zip(k, s)) % R)
    config = replace(g1_mode, window_bits=c)
    for threads in (1, 2):
        assert ob.eq(back(msm(pts, scal(k), threads=threads, config=config)), want)


@pytest.mark.parametrize("g", ["g1", "g2"])
def test_c_msm_kernels_agree_at_default_windows(g):
    """Default tuning (which differs per kernel: window size, GLV, batch threshold) on
    sizes around the batch-affine threshold and beyond: the IFMA and scalar kernels give
    the same point, the naive sum."""
    from native._bn254 import lib

    cb = c_backend()
    rnd = random.Random(7 if g == "g1" else 8)
    gen = ob.G1 if g == "g1" else ob.G2
    to = native.g1_from_py_ecc if g == "g1" else native.g2_from_py_ecc
    back = native.g1_to_py_ecc if g == "g1" else native.g2_to_py_ecc
    fixed = cb.g1_fixed_base_mul if g == "g1" else cb.g2_fixed_base_mul
    msm = cb.g1_msm if g == "g1" else cb.g2_msm
    m = 6000 if g == "g1" else 2500
    s = [rnd.randrange(1, R) for _ in range(m)]
    pts = fixed(to(gen), scal(s))
    k = [rnd.choice([0, 1, 2, R - 1, rnd.randrange(1 << 256)]) for _ in range(m)]
    old = lib.zkm_ifma_enabled()
    try:
        for n in (m // 3, m):
            want = ob.multiply(gen, sum(a * b for a, b in zip(k[:n], s[:n])) % R)
            got = []
            for ifma in (1, 0):
                lib.zkm_set_ifma(ifma)
                got.append(msm(pts[:n], scal(k[:n]), threads=2))
            assert np.array_equal(got[0], got[1])
            assert ob.eq(back(got[0]), want)
    finally:
        lib.zkm_set_ifma(old)


def test_c_msm_configs_are_per_call_and_thread_safe() -> None:
    """Calls with different configs at the same time (cffi releases the GIL) each get
    their own tuning: no process-wide state to race on."""
    from concurrent.futures import ThreadPoolExecutor

    from native.c_msm import MsmConfig

    cb = c_backend()
    rnd = random.Random(99)
    m = 700
    s = [rnd.randrange(R) for _ in range(m)]
    pts = cb.g1_fixed_base_mul(native.g1_from_py_ecc(ob.G1), scal(s))
    k = [rnd.randrange(1 << 256) for _ in range(m)]
    want = ob.multiply(ob.G1, sum(a * b for a, b in zip(k, s)) % R)
    configs = [MsmConfig(), MsmConfig(glv=False), MsmConfig(batch_min_buckets=2),
               MsmConfig(window_bits=3), MsmConfig(glv=False, window_bits=12)] * 2
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda cfg: cb.g1_msm(pts, scal(k), threads=1, config=cfg),
                                configs))
    for got in results:
        assert ob.eq(native.g1_to_py_ecc(got), want)
    with pytest.raises(native.NativeError, match="window_bits"):
        cb.g1_msm(pts, scal(k), config=MsmConfig(window_bits=21))
