"""verify_batch: all-or-nothing batch verification with CSPRNG coefficients, bisection
naming the failing proofs, verify()'s input rules, never an exception."""
from __future__ import annotations

import copy

import pytest
from py_ecc import optimized_bn128 as bn

from tests.verifier.batch_fixtures import make_items, make_key
from verifier.batch import batch_equation_holds, random_coefficient, verify_batch
from verifier.calldata import encode_batch_calldata, parse_items
from verifier.groth16 import verify
from verifier.keys import P, R, as_vk
from verifier.onchain import batch_coefficients


@pytest.fixture(scope="module")
def key():
    return make_key(5)


@pytest.fixture(scope="module")
def items(key):
    return make_items(key, 16)


def _g1_plus(point: list[str], k: int) -> list[str]:
    moved = bn.add((bn.FQ(int(point[0])), bn.FQ(int(point[1])), bn.FQ.one()), bn.multiply(bn.G1, k))
    x, y = bn.normalize(moved)
    return [str(int(x)), str(int(y)), "1"]


def _g2_plus_generator(point: list[list[str]]) -> list[list[str]]:
    q = (bn.FQ2([int(v) for v in point[0]]), bn.FQ2([int(v) for v in point[1]]), bn.FQ2.one())
    x, y = bn.normalize(bn.add(q, bn.G2))
    return [[str(c) for c in x.coeffs], [str(c) for c in y.coeffs], ["1", "0"]]


def tamper(item: tuple, what: str) -> tuple:
    """One field of an item changed so that the proof no longer verifies."""
    public, proof = list(item[0]), copy.deepcopy(item[1])
    if what == "A":
        proof["pi_a"] = _g1_plus(proof["pi_a"], 1)
    elif what == "B":
        proof["pi_b"] = _g2_plus_generator(proof["pi_b"])
    elif what == "C":
        proof["pi_c"] = _g1_plus(proof["pi_c"], 1)
    elif what == "public":
        public[3] = str((int(public[3]) + 1) % R)
    return public, proof


@pytest.mark.parametrize("count", [1, 2, 8, 16])
def test_valid_batches_are_accepted(key, items, count: int) -> None:
    verdict = verify_batch(key.vk, items[:count])
    assert verdict.accept and verdict.failing == () and bool(verdict)


@pytest.mark.parametrize("what", ["A", "B", "C", "public"])
@pytest.mark.parametrize("where", [0, 7, 15])
def test_one_tampered_proof_anywhere_fails_and_is_named(key, items, what: str, where: int) -> None:
    batch = list(items)
    batch[where] = tamper(batch[where], what)
    assert not verify(key.vk, *batch[where])
    verdict = verify_batch(key.vk, batch)
    assert not verdict.accept and verdict.failing == (where,)
    assert "pairing check failed" in verdict.reasons[where]


def test_bisection_names_every_failing_proof(key, items) -> None:
    batch = list(items)
    for j, what in ((2, "A"), (3, "C"), (11, "public")):
        batch[j] = tamper(batch[j], what)
    assert verify_batch(key.vk, batch).failing == (2, 3, 11)


def test_a_valid_proof_twice_is_accepted(key, items) -> None:
    assert verify_batch(key.vk, [items[0], items[0], items[1]]).accept


def test_input_rules_are_verifys(key, items) -> None:
    assert verify_batch(key.vk, []).reason.startswith("empty batch")
    public, proof = items[1]
    over = ([str(R + int(public[0])), *public[1:]], proof)  # ≡ the right value mod r
    verdict = verify_batch(key.vk, [items[0], over])
    assert verdict.failing == (1,) and "public[0] >= r" in verdict.reasons[1]
    off = (public, dict(proof, pi_a=[proof["pi_a"][0], str((int(proof["pi_a"][1]) + 1) % P), "1"]))
    verdict = verify_batch(key.vk, [off, items[0]])
    assert verdict.failing == (0,) and "not on the curve" in verdict.reasons[0]
    short = (public[:4], proof)
    assert verify_batch(key.vk, [short]).failing == (0,)


@pytest.mark.parametrize("garbage", [[None], [("x", {})], [{"proof": {}}], [(["1"] * 5, {"pi_a": 3})],
                                     "not a list", None, [([], [])]])
def test_never_raises(key, garbage) -> None:
    verdict = verify_batch(key.vk, garbage)
    assert not verdict.accept
    assert not verify_batch({"IC": []}, [([], {})]).accept


def cancelling_pair(items: list) -> list:
    """Two invalid proofs: C_0 + T and C_1 − T (T = 5·G1).  Under coefficients (1, 1) the
    errors cancel in Σ ρ_j·C_j; under any ρ_0 ≠ ρ_1 they do not."""
    (p0, f0), (p1, f1) = items[0], items[1]
    return [(p0, dict(f0, pi_c=_g1_plus(f0["pi_c"], 5))),
            (p1, dict(f1, pi_c=_g1_plus(f1["pi_c"], R - 5)))]


def test_errors_that_cancel_under_fixed_coefficients_are_caught(key, items) -> None:
    pair = cancelling_pair(items)
    vk = as_vk(key.vk)
    parsed = parse_items(pair)
    assert not verify(key.vk, *pair[0]) and not verify(key.vk, *pair[1])
    assert batch_equation_holds(vk, parsed, [1, 1])           # fixed coefficients: fooled
    assert batch_equation_holds(vk, parsed, [7, 7])
    derived = batch_coefficients(encode_batch_calldata(pair, 5), 2)
    assert derived[0] != derived[1]
    assert not batch_equation_holds(vk, parsed, derived)      # Fiat–Shamir: caught
    assert not batch_equation_holds(vk, parsed, [random_coefficient(), random_coefficient()])
    assert verify_batch(key.vk, pair).failing == (0, 1)


def test_coefficients_are_128_bit_and_non_zero() -> None:
    draws = [random_coefficient() for _ in range(200)]
    assert all(1 <= c < 2**128 for c in draws) and len(set(draws)) == 200
    derived = batch_coefficients(b"\x01" * 100, 64)
    assert all(1 <= c < 2**128 for c in derived) and len(set(derived)) == 64
    assert max(derived).bit_length() > 120
