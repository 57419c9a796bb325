"""Our Solidity verifier on a real EVM: npm solc 0.8.28 + py-evm (Prague).

For n = 1, 3, 5, 10 public inputs: valid snarkjs proofs are accepted, the receipt's
gas equals ``verify_onchain``'s prediction exactly, and it is no more than the gas of
snarkjs's own exported verifier for the same key and proof.  On n = 3: changed A, B,
C or public input, a public input >= r, an off-curve A and a B outside G2 are
rejected, each with the predicted gas.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from py_ecc import optimized_bn128 as bn

from tests.verifier.conftest import SIZES, Artefacts
from tests.verifier.evm_harness import Chain, compile_contracts
from tests.verifier.gen_negative_vectors import twist_point_outside_g2
from verifier.calldata import encode_calldata
from verifier.gas_model import CONTRACT_GAS
from verifier.groth16 import verify
from verifier.keys import P, R
from verifier.onchain import verify_onchain
from verifier.solidity import CONTRACT_NAME, render

pytestmark = pytest.mark.interop

GAS_LIMIT = 1_000_000
TRUE = (1).to_bytes(32, "big")
FALSE = bytes(32)


@dataclass
class Deployed:
    chain: Chain
    ours: dict[int, bytes]
    snarkjs: dict[int, bytes]


@pytest.fixture(scope="session")
def deployed(snark: dict[int, Artefacts], tmp_path_factory: pytest.TempPathFactory) -> Deployed:
    """Both verifiers for every size, compiled in one solc run and deployed on one chain."""
    sources = {}
    for n, art in snark.items():
        sources[f"Ours{n}.sol"] = render(art.vk)
        sources[f"Snarkjs{n}.sol"] = art.snarkjs_solidity
    code = compile_contracts(sources, tmp_path_factory.mktemp("solc"))
    chain = Chain()
    ours = {n: chain.deploy(code[f"Ours{n}.sol:{CONTRACT_NAME}"]) for n in snark}
    theirs = {n: chain.deploy(code[f"Snarkjs{n}.sol:Groth16Verifier"]) for n in snark}
    return Deployed(chain, ours, theirs)


def run_both(deployed: Deployed, art: Artefacts, public: list[Any], proof: dict) -> tuple:
    """Send the call to our contract and replay it; assert the gas and verdict agree."""
    tx = deployed.chain.call(deployed.ours[art.n], encode_calldata(public, proof), gas=GAS_LIMIT)
    predicted = verify_onchain(art.vk, public, proof, gas_limit=GAS_LIMIT)
    assert tx.success
    assert tx.output in (TRUE, FALSE)
    assert predicted.accept == (tx.output == TRUE), predicted.reason
    assert predicted.gas_used == tx.gas_used
    return tx, predicted


@pytest.mark.parametrize("n", SIZES)
def test_valid_proof_accepted_gas_exact_and_below_snarkjs(deployed: Deployed, snark: dict, n: int) -> None:
    art = snark[n]
    tx, predicted = run_both(deployed, art, art.public, art.proof)
    assert tx.output == TRUE and predicted.accept
    assert [c.address for c in predicted.calls] == [7, 6] * n + [8]
    theirs = deployed.chain.call(deployed.snarkjs[n], encode_calldata(art.public, art.proof), gas=GAS_LIMIT)
    assert theirs.output == TRUE
    assert tx.gas_used <= theirs.gas_used, (tx.gas_used, theirs.gas_used)


def _moved(point: list[str]) -> list[str]:
    x, y = bn.normalize(bn.add((bn.FQ(int(point[0])), bn.FQ(int(point[1])), bn.FQ.one()), bn.G1))
    return [str(int(x)), str(int(y)), "1"]


def _moved_g2(point: list[list[str]]) -> list[list[str]]:
    q = (bn.FQ2([int(v) for v in point[0]]), bn.FQ2([int(v) for v in point[1]]), bn.FQ2.one())
    x, y = bn.normalize(bn.add(q, bn.G2))
    return [[str(c) for c in x.coeffs], [str(c) for c in y.coeffs], ["1", "0"]]


def _g2_outside() -> list[list[str]]:
    x, y = bn.normalize(twist_point_outside_g2())
    return [[str(c) for c in x.coeffs], [str(c) for c in y.coeffs], ["1", "0"]]


def _tampered(art: Artefacts, what: str) -> tuple[list[Any], dict]:
    proof, public = copy.deepcopy(art.proof), list(art.public)
    if what == "A":
        proof["pi_a"] = _moved(proof["pi_a"])
    elif what == "B":
        proof["pi_b"] = _moved_g2(proof["pi_b"])
    elif what == "C":
        proof["pi_c"] = _moved(proof["pi_c"])
    elif what == "public":
        public[2] = str(int(public[2]) + 1)
    elif what == "public >= r":
        public[1] = str(R + int(public[1]))  # ≡ the right value mod r, but not < r
    elif what == "A off curve":
        proof["pi_a"] = [proof["pi_a"][0], str((int(proof["pi_a"][1]) + 1) % P), "1"]
    elif what == "B not in G2":
        proof["pi_b"] = _g2_outside()
    elif what == "all public zero":
        public = ["0"] * art.n
    return public, proof


@pytest.mark.parametrize("what", ["A", "B", "C", "public", "public >= r", "A off curve",
                                  "B not in G2", "all public zero"])
def test_bad_proofs_rejected_with_exact_gas(deployed: Deployed, snark: dict, what: str) -> None:
    art = snark[3]
    public, proof = _tampered(art, what)
    tx, predicted = run_both(deployed, art, public, proof)
    assert tx.output == FALSE and not predicted.accept
    assert not verify(art.vk, public, proof)


def test_a_y_aliases_above_p_behave_like_the_chain(deployed: Deployed, snark: dict) -> None:
    """The contract negates A.y with a wrapping SUB then MOD p, so A.y + (2^256 mod p)
    (a word >= p) gives the same −A and is accepted on chain; verify() rejects it."""
    art = snark[3]
    proof = copy.deepcopy(art.proof)
    alias = int(proof["pi_a"][1]) + (2**256 % P)
    while alias < P:
        alias += P
    assert P <= alias < 2**256
    proof["pi_a"][1] = str(alias)
    tx, predicted = run_both(deployed, art, art.public, proof)
    assert tx.output == TRUE and predicted.accept
    assert not verify(art.vk, art.public, proof)


def test_wrong_public_count_is_not_an_onchain_call(snark: dict) -> None:
    art = snark[3]
    result = verify_onchain(art.vk, art.public[:2], art.proof)
    assert not result.accept and result.gas_used is None and "2 given" in result.reason


def test_tight_gas_limits_match_the_chain(deployed: Deployed, snark: dict) -> None:
    """Gas limits just above the accept path's gas starve the pairing call (EIP-150
    forwards only 63/64), so the contract returns false after burning it; a limit that
    starves the first ecMul makes the transaction run out of gas.  The replay agrees."""
    art = snark[3]
    data = encode_calldata(art.public, art.proof)
    needed = verify_onchain(art.vk, art.public, art.proof).gas_used
    starved_pairing = needed + 100
    tx = deployed.chain.call(deployed.ours[3], data, gas=starved_pairing)
    predicted = verify_onchain(art.vk, art.public, art.proof, gas_limit=starved_pairing)
    assert tx.success and tx.output == FALSE and not predicted.accept
    assert predicted.calls[-1].address == 8 and not predicted.calls[-1].success
    assert tx.gas_used == predicted.gas_used
    g = CONTRACT_GAS
    first_mul = predicted.intrinsic_gas + g.entry_gas(3) + g.block_to_mul + 100 + 6000
    tx = deployed.chain.call(deployed.ours[3], data, gas=first_mul)
    predicted = verify_onchain(art.vk, art.public, art.proof, gas_limit=first_mul)
    assert not tx.success and predicted.tx_failed and not predicted.accept
    assert tx.gas_used == predicted.gas_used == first_mul


def test_invalid_key_is_an_error_for_the_replay(snark: dict) -> None:
    from verifier.errors import VerifierError

    art = snark[1]
    vk = dict(art.vk, IC=[art.vk["IC"][0], ["1", "3", "1"]])
    with pytest.raises(VerifierError, match="verifying key is invalid"):
        verify_onchain(vk, art.public, art.proof)


def test_proof_from_our_prover_files_verifies_on_chain(deployed: Deployed, snark: dict, tmp_path) -> None:
    """Proof/public files written by our own prover (`zkmargin groth16 prove`, through the
    CLI only: verifier/ does not import prover/) from snarkjs's zkey and witness."""
    import json

    from click.testing import CliRunner

    from zkmargin.cli import main

    art = snark[5]
    proof_path, public_path = tmp_path / "proof.json", tmp_path / "public.json"
    result = CliRunner().invoke(main, ["groth16", "prove", str(art.dir / "c.zkey"), str(art.dir / "w.wtns"),
                                       str(proof_path), str(public_path)])
    assert result.exit_code == 0, result.output
    proof, public = json.loads(proof_path.read_text()), json.loads(public_path.read_text())
    assert public == art.public
    assert verify(art.vk, public, proof)
    tx, predicted = run_both(deployed, art, public, proof)
    assert tx.output == TRUE and predicted.accept
