"""Round trip on circuits of ours: dev ceremony -> setup -> contribution -> prove ->
verify, and proofs that fail once a public input or a proof element changes."""
from __future__ import annotations

import numpy as np
import pytest

from prover.encoding import R, ints_to_limbs
from prover.errors import ProverError
from prover.formats import verification_key_json
from prover.prove import Prover
from prover.ptau import read_ptau
from prover.setup import new_zkey
from tests.prover.conftest import toy_circuit
from tests.prover.groth16_ref import verify_native, verify_py_ecc


@pytest.fixture(scope="session")
def toy_key(dev_ptau):
    from prover.contribute import contribute

    r1cs, w = toy_circuit()
    z0 = new_zkey(r1cs, read_ptau(dev_ptau))
    z1, _ = contribute(z0, "tester", seed=7)
    return r1cs, w, z0, z1


def _satisfied(r1cs, w) -> bool:
    dot = lambda lc: sum(v * w[s] for s, v in lc.items()) % R  # noqa: E731
    return all(dot(a) * dot(b) % R == dot(c) for a, b, c in r1cs.constraints)


def test_toy_circuit_is_satisfied():
    r1cs, w = toy_circuit()
    assert _satisfied(r1cs, w)


@pytest.mark.slow
def test_prove_verify_initial_and_contributed_keys(toy_key):
    r1cs, w, z0, z1 = toy_key
    for z in (z0, z1):
        proof = Prover(z).prove(ints_to_limbs(w))
        vk = verification_key_json(z)
        assert proof.public == [w[1], w[2]]
        assert verify_native(vk, proof.public_json(), proof.to_json())
    assert verify_py_ecc(vk, proof.public_json(), proof.to_json())


def test_proofs_are_randomised_and_deterministic_with_fixed_rs(toy_key):
    _, w, _, z = toy_key
    p = Prover(z)
    a, b = p.prove(ints_to_limbs(w)), p.prove(ints_to_limbs(w))
    assert a.to_json() != b.to_json()
    c, d = p.prove(ints_to_limbs(w), r=5, s=9), p.prove(ints_to_limbs(w), r=5, s=9)
    assert c.to_json() == d.to_json()


@pytest.mark.parametrize("threads", [1, 2, 3, None])
def test_schedules_give_the_same_proof(toy_key, threads):
    """Both schedules (and "auto", whatever it resolves to) compute the same A, B, C for
    the same r, s."""
    _, w, _, z = toy_key
    proofs = {sched: Prover(z, threads, sched).prove(ints_to_limbs(w), r=11, s=13).to_json()
              for sched in ("auto", "shared", "lanes")}
    assert proofs["auto"] == proofs["shared"] == proofs["lanes"]


def test_auto_schedule_is_lanes_on_two_threads_with_ifma(toy_key):
    from native._bn254 import lib

    z = toy_key[3]
    old = lib.zkm_ifma_enabled()
    try:
        ifma = lib.zkm_set_ifma(1)
        assert Prover(z, 2).resolved_schedule() == ("lanes" if ifma else "shared")
        assert Prover(z, 3).resolved_schedule() == "shared"
        assert Prover(z, 2, "shared").resolved_schedule() == "shared"
        lib.zkm_set_ifma(0)
        assert Prover(z, 2).resolved_schedule() == "shared"
        assert Prover(z, 2, "lanes").resolved_schedule() == "lanes"
    finally:
        lib.zkm_set_ifma(old)
    with pytest.raises(ProverError, match="schedule"):
        Prover(z, 2, "fastest")


def test_tampered_public_input_or_proof_fails(toy_key):
    _, w, _, z = toy_key
    proof = Prover(z).prove(ints_to_limbs(w))
    vk, pub, pj = verification_key_json(z), proof.public_json(), proof.to_json()
    assert verify_native(vk, pub, pj)
    assert not verify_native(vk, [str(int(pub[0]) + 1), pub[1]], pj)
    assert not verify_native(vk, [pub[0], str((int(pub[1]) + 1) % R)], pj)
    other = Prover(z).prove(ints_to_limbs(w))           # a valid proof, other r, s
    for key in ("pi_a", "pi_b", "pi_c"):
        mixed = dict(pj, **{key: other.to_json()[key]})
        assert not verify_native(vk, pub, mixed), key


def test_wrong_witness_is_refused_not_proven(toy_key):
    from dataclasses import replace

    _, w, _, z = toy_key
    bad = list(w)
    bad[4] = (bad[4] + 1) % R                           # breaks the first square
    with pytest.raises(ProverError, match="does not verify"):
        Prover(z).prove(ints_to_limbs(bad))
    proof = Prover(z).prove(ints_to_limbs(bad), check=False)
    assert not verify_native(verification_key_json(z), proof.public_json(), proof.to_json())
    damaged = z.h_query.copy()
    damaged[[0, 1]] = damaged[[1, 0]]
    with pytest.raises(ProverError, match="damaged"):
        Prover(replace(z, h_query=damaged)).prove(ints_to_limbs(w))


def test_witness_of_wrong_length_or_range_is_rejected(toy_key):
    from prover.prove import witness_limbs

    _, w, _, z = toy_key
    with pytest.raises(ProverError, match="wires"):
        Prover(z).prove(witness_limbs(w[:-1]))
    with pytest.raises(ProverError, match="wire 3"):
        witness_limbs(w[:3] + [w[3] + R] + w[4:])
    assert Prover(z).prove(witness_limbs(w)).public == [w[1], w[2]]


def test_zkey_verify_accepts_contributions_and_rejects_tampering(toy_key, dev_ptau):
    from dataclasses import replace

    from prover.verify_setup import verify_zkey

    r1cs, _, z0, z1 = toy_key
    ptau = read_ptau(dev_ptau)
    rep = verify_zkey(z1, r1cs, ptau)
    assert rep.ok, rep.problems
    assert [n for n, _ in rep.contributions] == ["tester"]
    bad_l = z1.l_query.copy()
    bad_l[[0, 1]] = bad_l[[1, 0]]
    assert "l_query" in " ".join(verify_zkey(replace(z1, l_query=bad_l), r1cs, ptau).problems)
    bad_a = z1.a_query.copy()
    bad_a[3] = z1.b_g1_query[3]
    assert not verify_zkey(replace(z1, a_query=bad_a), r1cs, ptau).ok
    assert not verify_zkey(replace(z1, delta_g1=z0.delta_g1), r1cs, ptau).ok


def test_dev_key_equals_setup_on_dev_ptau_of_same_secrets(tmp_path):
    """prover.dev_keys builds the key straight from the secrets: it must be the very
    key that setup on a development ptau with the same tau, alpha, beta gives."""
    from prover.ceremony import dev_ceremony, draw_toxic_waste
    from prover.dev_keys import dev_zkey

    r1cs, _ = toy_circuit(9)
    dev_ceremony(tmp_path / "t.ptau", 6, seed=77)
    a = new_zkey(r1cs, read_ptau(tmp_path / "t.ptau"))
    b = dev_zkey(r1cs, draw_toxic_waste(77))
    assert a.mpc.cs_hash == b.mpc.cs_hash
    for name in ("alpha_g1", "beta_g1", "beta_g2", "gamma_abc_g1", "a_query", "b_g1_query",
                 "b_g2_query", "l_query", "h_query"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.coefs.tobytes() == b.coefs.tobytes()
