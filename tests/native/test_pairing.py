"""The optimal ate pairing on both backends against py_ecc: values, bilinearity,
non-degeneracy, the product check, infinity and k = 0."""
from __future__ import annotations

import random

import numpy as np
import pytest
from py_ecc import optimized_bn128 as ob

from native.convert import NativeError
from native.pairing import fq12_one

from tests.native.pairing_helpers import R, g1, g2, gt, pairing_backend, stack

BACKENDS = ("c", "python")
ONE = ob.FQ12.one()


@pytest.fixture(params=["c", pytest.param("python", marks=pytest.mark.slow)])
def pb(request):
    """Pairing functions of one backend (the py_ecc fallback's runs are in the slow tier)."""
    return pairing_backend(request.param)


@pytest.fixture
def rng():
    return random.Random(0xA7E)


def test_pairing_matches_py_ecc(pb, rng):
    a, b = rng.randrange(1, R), rng.randrange(1, R)
    got = pb.pairing(g1(a), g2(b))
    assert got.shape == (48,) and got.dtype == np.uint64
    assert gt(got) == ob.pairing(ob.multiply(ob.G2, b), ob.multiply(ob.G1, a))


def test_pairing_of_generators_matches_py_ecc():
    c = pairing_backend("c")
    assert gt(c.pairing(g1(1), g2(1))) == ob.pairing(ob.G2, ob.G1)


def test_bilinearity(pb, rng):
    a, b = rng.randrange(2, R), rng.randrange(2, R)
    e_ab = pb.pairing(g1(a), g2(b))
    assert np.array_equal(e_ab, pb.pairing(g1(a * b), g2(1)))
    if pb.backend() == "c":  # cheap in C: move the scalar to the other side as well
        assert np.array_equal(e_ab, pb.pairing(g1(1), g2(a * b)))
        assert np.array_equal(e_ab, pb.pairing(g1(b), g2(a)))


def test_bilinearity_as_power_of_base_pairing(rng):
    c = pairing_backend("c")
    a, b = rng.randrange(2, 1 << 64), rng.randrange(2, 1 << 64)
    base = gt(c.pairing(g1(1), g2(1)))
    assert gt(c.pairing(g1(a), g2(b))) == base ** (a * b)


def test_non_degenerate_and_order_r():
    c = pairing_backend("c")
    e = gt(c.pairing(g1(1), g2(1)))
    assert e != ONE
    assert e ** R == ONE


def test_product_check_true_and_perturbed(pb, rng):
    a, b = rng.randrange(2, R), rng.randrange(2, R)
    good = (stack([g1(a), g1(-a * b)], 8), stack([g2(b), g2(1)], 16))
    assert pb.pairing_check(*good) is True
    bad = (stack([g1(a), g1(-a * b + 1)], 8), stack([g2(b), g2(1)], 16))
    assert pb.pairing_check(*bad) is False
    swapped_q = (stack([g1(a), g1(-a * b)], 8), stack([g2(b + 1), g2(1)], 16))
    assert pb.pairing_check(*swapped_q) is False


def test_groth16_shaped_four_pair_check():
    # e(-A, B) e(alpha, beta) e(vk_x, gamma) e(C, delta) = 1 with A B = alpha beta + vk gamma + C delta
    c = pairing_backend("c")
    rng = random.Random(4)
    al, be, vk, ga, cc, de, bb = (rng.randrange(1, R) for _ in range(7))
    aa = (al * be + vk * ga + cc * de) * pow(bb, -1, R) % R
    g1s = stack([g1(-aa), g1(al), g1(vk), g1(cc)], 8)
    g2s = stack([g2(bb), g2(be), g2(ga), g2(de)], 16)
    assert c.pairing_check(g1s, g2s) is True
    g1s[3] = g1(cc + 1)
    assert c.pairing_check(g1s, g2s) is False


def test_infinity_contributes_one(pb):
    inf1, inf2 = g1(0), g2(0)
    assert not inf1.any() and not inf2.any()
    one = fq12_one()
    assert np.array_equal(pb.pairing(inf1, g2(5)), one)
    assert np.array_equal(pb.pairing(g1(5), inf2), one)
    assert np.array_equal(pb.pairing(inf1, inf2), one)
    assert pb.pairing_check(stack([inf1], 8), stack([g2(3)], 16)) is True
    assert pb.pairing_check(stack([g1(3), inf1], 8), stack([inf2, g2(7)], 16)) is True
    # an infinite pair among others changes nothing: true stays true, false stays false
    assert pb.pairing_check(stack([g1(2), inf1, g1(-6)], 8),
                            stack([g2(3), g2(9), g2(1)], 16)) is True
    assert pb.pairing_check(stack([g1(2), g1(4), g1(-5)], 8),
                            stack([g2(3), inf2, g2(1)], 16)) is False


def test_single_pair_check_is_false_for_nonzero_points(pb):
    assert pb.pairing_check(stack([g1(1)], 8), stack([g2(1)], 16)) is False


def test_k_zero_is_true(pb):
    assert pb.pairing_check(stack([], 8), stack([], 16)) is True


def test_miller_loop_then_one_final_exponentiation(pb, rng):
    a, b, c = (rng.randrange(1, R) for _ in range(3))
    g1s, g2s = stack([g1(a), g1(c)], 8), stack([g2(b), g2(1)], 16)
    f = pb.final_exponentiation(pb.miller_loop(g1s, g2s))
    assert np.array_equal(f, pb.pairing(g1(a * b + c), g2(1)))


@pytest.mark.parametrize("k", [15, 16, 17, 33])
def test_many_pairs_cross_the_c_chunk(k):
    # the C Miller loop runs pairs in chunks of 16: exercise 1, 2 and 3 chunks
    c = pairing_backend("c")
    rng = random.Random(k)
    scal = [rng.randrange(1, R) for _ in range(k - 1)]
    scal.append(-sum(scal) % R)
    g1s = stack([g1(s) for s in scal], 8)
    g2s = stack([g2(1)] * k, 16)
    assert c.pairing_check(g1s, g2s) is True
    g1s[k // 2] = g1(scal[k // 2] + 1)
    assert c.pairing_check(g1s, g2s) is False


def test_backends_agree_on_a_random_pairing(rng):
    a, b = rng.randrange(1, R), rng.randrange(1, R)
    c, py = pairing_backend("c"), pairing_backend("python")
    assert np.array_equal(c.pairing(g1(a), g2(b)), py.pairing(g1(a), g2(b)))


def test_shape_errors(pb):
    with pytest.raises(NativeError, match="G1 points"):
        pb.pairing_check(stack([g1(1), g1(2)], 8), stack([g2(1)], 16))
    with pytest.raises(NativeError, match="g2"):
        pb.pairing_check(stack([g1(1)], 8), np.zeros((1, 8), dtype=np.uint64))
    with pytest.raises(NativeError, match="one G1"):
        pb.pairing(stack([g1(1), g1(2)], 8), stack([g2(1), g2(2)], 16))
    with pytest.raises(NativeError, match="fq12"):
        pb.final_exponentiation(np.zeros(12, dtype=np.uint64))


def test_one_dispatcher_serves_the_pairing() -> None:
    """native.get_backend(name) carries the pairing like every other kernel."""
    import native
    from native import c_pairing, py_pairing

    c, py = native.get_backend("c"), native.get_backend("python")
    for name in ("pairing", "pairing_check", "miller_loop", "final_exponentiation"):
        assert getattr(c, name) is getattr(c_pairing, name)
        assert getattr(py, name) is getattr(py_pairing, name)
    if native.backend() == "c":
        assert native.pairing_check is c_pairing.pairing_check
