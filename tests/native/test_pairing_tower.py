"""The C Fq6/Fq12 tower (native/src/tower.c) against py_ecc's FQ12 through the bridge,
the bridge itself, and the generated pairing constants."""
from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from py_ecc.optimized_bn128 import FQ12

from native import gen_pairing_consts as gpc
from native import params as bn
from native.pairing import (fq12_from_ints, fq12_from_py_ecc, fq12_one, fq12_to_ints,
                            fq12_to_py_ecc)

P = bn.P
W = FQ12([0, 1] + [0] * 10)


def rand12(rng: random.Random) -> list[int]:
    return [rng.randrange(P) for _ in range(12)]


def flat_slot(i: int) -> int:
    """Flat Fq index of the real part of g_i (coefficient of w^i)."""
    return 6 * (i & 1) + 2 * (i >> 1)


@pytest.fixture
def rng():
    return random.Random(0x70E5)


@pytest.fixture
def c(lib):
    """Call a tower function on (48,)/(24,)/(8,) limb arrays; returns the output array."""
    ffi, clib = lib

    def call(name: str, out_limbs: int, *args):
        out = np.zeros(out_limbs, dtype=np.uint64)
        ptrs = [a if isinstance(a, int) else ffi.from_buffer("uint64_t[]", a) for a in args]
        ret = getattr(clib, name)(ffi.from_buffer("uint64_t[]", out), *ptrs)
        return out if ret is None else (out, ret)

    return call


def emb6(coeffs6: list[int]) -> np.ndarray:
    """Fq6 element (6 Fq ints) as the Fq12 element with c1 = 0."""
    return fq12_from_ints(list(coeffs6) + [0] * 6)


# --- the bridge ----------------------------------------------------------------------
def test_int_and_py_ecc_round_trips(rng):
    x = rand12(rng)
    assert fq12_to_ints(fq12_from_ints(x)) == x
    a = fq12_from_ints(x)
    assert np.array_equal(fq12_from_py_ecc(fq12_to_py_ecc(a)), a)
    assert fq12_to_py_ecc(fq12_one()) == FQ12.one()


def test_bridge_maps_the_tower_basis():
    # w -> W, v = w^2 -> W^2, u -> W^6 - 9 (so xi = 9 + u -> W^6)
    for i in range(6):
        e = [0] * 12
        e[flat_slot(i)] = 1
        assert fq12_to_py_ecc(fq12_from_ints(e)) == W ** i
        e[flat_slot(i)], e[flat_slot(i) + 1] = 9, 1
        assert fq12_to_py_ecc(fq12_from_ints(e)) == W ** (i + 6)
    u = [0, 1] + [0] * 10
    assert fq12_to_py_ecc(fq12_from_ints(u)) == W ** 6 - FQ12([9] + [0] * 11)


def test_bridge_is_a_ring_homomorphism(c, rng):
    a, b = fq12_from_ints(rand12(rng)), fq12_from_ints(rand12(rng))
    assert fq12_to_py_ecc(c("fq12_mul", 48, a, b)) == fq12_to_py_ecc(a) * fq12_to_py_ecc(b)


# --- Fq12 ----------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["random", "zero_c1", "one", "p_minus_1"])
def test_fq12_mul_sqr_inv_conj(c, rng, case):
    x = {"random": rand12(rng), "zero_c1": rand12(rng)[:6] + [0] * 6,
         "one": [1] + [0] * 11, "p_minus_1": [P - 1] * 12}[case]
    a, b = fq12_from_ints(x), fq12_from_ints(rand12(rng))
    pa, pb_ = fq12_to_py_ecc(a), fq12_to_py_ecc(b)
    assert fq12_to_py_ecc(c("fq12_mul", 48, a, b)) == pa * pb_
    assert fq12_to_py_ecc(c("fq12_sqr", 48, a)) == pa * pa
    assert fq12_to_py_ecc(c("fq12_inv", 48, a)) == pa.inv()
    assert np.array_equal(c("fq12_conj", 48, a), c("fq12_frobenius", 48, a, 6))


def test_fq12_inverse_of_zero_is_zero(c):
    z = np.zeros(48, dtype=np.uint64)
    assert not c("fq12_inv", 48, z).any()


@pytest.mark.parametrize("k", [1, 2, 3])
def test_fq12_frobenius_is_pth_power(c, rng, k):
    a = fq12_from_ints(rand12(rng))
    assert fq12_to_py_ecc(c("fq12_frobenius", 48, a, k)) == fq12_to_py_ecc(a) ** (P ** k)


def test_fq12_frobenius_composes(c, rng):
    a = fq12_from_ints(rand12(rng))
    assert np.array_equal(c("fq12_frobenius", 48, a, 12), a)
    f5 = c("fq12_frobenius", 48, c("fq12_frobenius", 48, a, 2), 3)
    assert np.array_equal(c("fq12_frobenius", 48, a, 5), f5)


def test_cyclotomic_squaring(c, rng):
    a = fq12_from_ints(rand12(rng))
    # m = a^((p^6 - 1)(p^2 + 1)) lies in the cyclotomic subgroup
    m = c("fq12_mul", 48, c("fq12_conj", 48, a), c("fq12_inv", 48, a))
    m = c("fq12_mul", 48, c("fq12_frobenius", 48, m, 2), m)
    pm = fq12_to_py_ecc(m)
    assert pm ** (P ** 4 - P ** 2 + 1) == FQ12.one()
    assert fq12_to_py_ecc(c("fq12_cyclotomic_sqr", 48, m)) == pm * pm
    # and it is NOT a squaring outside the subgroup (so the test above can fail)
    assert fq12_to_py_ecc(c("fq12_cyclotomic_sqr", 48, a)) != fq12_to_py_ecc(a) ** 2


def test_sparse_line_multiplication(c, rng):
    # l = l0 + l3 w + l4 v w: flat slots c0.c0 (0,1), c1.c0 (6,7), c1.c1 (8,9)
    a = fq12_from_ints(rand12(rng))
    line = [0] * 12
    for slot in (0, 1, 6, 7, 8, 9):
        line[slot] = rng.randrange(P)
    lm = fq12_from_ints(line)
    l0, l3, l4 = lm[0:8].copy(), lm[24:32].copy(), lm[32:40].copy()
    want = fq12_to_py_ecc(a) * fq12_to_py_ecc(lm)
    assert fq12_to_py_ecc(c("fq12_mul_by_034", 48, a, l0, l3, l4)) == want


def test_fq12_eq_and_is_one(lib, rng):
    ffi, clib = lib
    one = fq12_one()
    a = fq12_from_ints(rand12(rng))
    buf = lambda x: ffi.from_buffer("uint64_t[]", x)  # noqa: E731
    assert clib.fq12_is_one(buf(one)) == 1 and clib.fq12_is_one(buf(a)) == 0
    assert clib.fq12_eq(buf(a), buf(a.copy())) == 1 and clib.fq12_eq(buf(a), buf(one)) == 0


# --- Fq6 (embedded as c0 of Fq12) ----------------------------------------------------
def test_fq6_operations(c, rng):
    x, y = [rng.randrange(P) for _ in range(6)], [rng.randrange(P) for _ in range(6)]
    a, b = emb6(x)[:24].copy(), emb6(y)[:24].copy()
    pa, pb_ = fq12_to_py_ecc(emb6(x)), fq12_to_py_ecc(emb6(y))
    as12 = lambda r: fq12_to_py_ecc(np.concatenate([r, np.zeros(24, np.uint64)]))  # noqa: E731
    assert as12(c("fq6_add", 24, a, b)) == pa + pb_
    assert as12(c("fq6_sub", 24, a, b)) == pa - pb_
    assert as12(c("fq6_neg", 24, a)) == -pa
    assert as12(c("fq6_mul", 24, a, b)) == pa * pb_
    assert as12(c("fq6_sqr", 24, a)) == pa * pa
    assert as12(c("fq6_inv", 24, a)) == pa.inv()
    assert as12(c("fq6_mul_by_v", 24, a)) == pa * W ** 2
    b0, b1 = b[0:8].copy(), b[8:16].copy()
    sparse = fq12_to_py_ecc(emb6(y[:4] + [0, 0]))
    assert as12(c("fq6_mul_by_01", 24, a, b0, b1)) == pa * sparse
    assert as12(c("fq6_mul_by_fq2", 24, a, b0)) == pa * fq12_to_py_ecc(emb6(y[:2] + [0] * 4))


# --- generated constants -------------------------------------------------------------
def test_pairing_consts_header_is_current():
    assert gpc.HEADER.read_text() == gpc.header_text(), "run python -m native.gen_pairing_consts"


@pytest.mark.parametrize("n", [bn.ATE_LOOP_COUNT, bn.BN_X, 1, 7, 2 ** 64 - 1])
def test_naf(n):
    d = gpc.naf(n)
    assert sum(di << i for i, di in enumerate(d)) == n
    assert all(x in (-1, 0, 1) for x in d) and d[-1] == 1
    assert all(d[i] == 0 or d[i + 1] == 0 for i in range(len(d) - 1))


# --- property tests with the edges (0, 1, p - 1) --------------------------------------
fq_values = st.one_of(st.sampled_from([0, 1, 2, P - 1, P - 2]), st.integers(0, P - 1))
fq12_values = st.lists(fq_values, min_size=12, max_size=12)


@settings(max_examples=40, deadline=None)
@given(x=fq12_values, y=fq12_values)
def test_fq12_mul_inv_property(lib, x, y):
    ffi, clib = lib
    a, b = fq12_from_ints(x), fq12_from_ints(y)
    out = np.zeros(48, dtype=np.uint64)
    buf = lambda t: ffi.from_buffer("uint64_t[]", t)  # noqa: E731
    clib.fq12_mul(buf(out), buf(a), buf(b))
    pa, pb_ = fq12_to_py_ecc(a), fq12_to_py_ecc(b)
    assert fq12_to_py_ecc(out) == pa * pb_
    clib.fq12_inv(buf(out), buf(a))
    if any(x):
        assert fq12_to_py_ecc(out) * pa == FQ12.one()
    else:
        assert not out.any()
