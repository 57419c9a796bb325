"""verifyBatch and the key-set contract on a real EVM: npm solc 0.8.28 + py-evm (Prague).

Keys and proofs come from our own prover (development ceremony, a chain circuit with 5
public inputs like the full margin statement).  Every transaction's receipt gas must
equal :func:`verifier.onchain.verify_onchain_batch`'s (or ``verify_onchain``'s)
prediction, on accepting and rejecting paths alike.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.verifier.batch_fixtures import ChainKey, make_items, make_key
from tests.verifier.evm_harness import Chain, compile_contracts
from tests.verifier.test_batch import cancelling_pair, tamper
from verifier.batch import batch_equation_holds
from verifier.calldata import encode_batch_calldata, encode_calldata, parse_items
from verifier.keys import P, R, as_vk
from verifier.onchain import verify_onchain, verify_onchain_batch
from verifier.solidity import CONTRACT_NAME, KEYSET_CONTRACT_NAME, render, render_keyset

pytestmark = pytest.mark.interop

GAS_LIMIT = 3_000_000
TRUE, FALSE = (1).to_bytes(32, "big"), bytes(32)


@dataclass
class Setup:
    chain: Chain
    keys: list[ChainKey]          # shape 0, shape 1 of the key set; keys[1] also single-key
    single: bytes                 # ZkmarginGroth16Verifier for keys[1]
    keyset: bytes                 # ZkmarginKeySetVerifier for [keys[0], keys[1]]
    items: list                   # 16 valid proofs under keys[1]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    keys = [make_key(5, variant=3), make_key(5)]
    sources = {"V.sol": render(keys[1].vk),
               "K.sol": render_keyset([("n4k2", keys[0].vk), ("n8k2", keys[1].vk)])}
    code = compile_contracts(sources, tmp_path_factory.mktemp("solc"))
    chain = Chain(native_pairing=True)
    return Setup(chain, keys, chain.deploy(code[f"V.sol:{CONTRACT_NAME}"]),
                 chain.deploy(code[f"K.sol:{KEYSET_CONTRACT_NAME}"]), make_items(keys[1], 16))


def send_batch(s: Setup, items: list, shape: int | None = None, gas: int = GAS_LIMIT):
    """verifyBatch on the chain and in the replay; the two must agree on verdict and gas."""
    vk = s.keys[1].vk if shape in (None, 1) else s.keys[0].vk
    predicted = verify_onchain_batch(vk, items, gas, shape)
    tx = s.chain.call(s.single if shape is None else s.keyset, predicted.calldata, gas=gas)
    assert tx.success and tx.output in (TRUE, FALSE)
    assert predicted.accept == (tx.output == TRUE), predicted.reason
    assert predicted.gas_used == tx.gas_used, (predicted.gas_used, tx.gas_used, predicted.reason)
    return tx, predicted


@pytest.mark.parametrize("count", [1, 2, 8, 16])
@pytest.mark.parametrize("shape", [None, 1])
def test_batches_accepted_with_predicted_gas(setup: Setup, count: int, shape) -> None:
    tx, predicted = send_batch(setup, setup.items[:count], shape)
    assert tx.output == TRUE
    assert [c.address for c in predicted.calls].count(7) == 2 * count + 1 + 1 + 5
    assert len(predicted.calls[-1].input) == 192 * (count + 3)


@pytest.mark.parametrize("what,where", [("A", 0), ("B", 3), ("C", 7), ("public", 5), ("A", 7),
                                        ("public", 0)])
def test_one_tampered_proof_anywhere_rejects(setup: Setup, what: str, where: int) -> None:
    batch = list(setup.items[:8])
    batch[where] = tamper(batch[where], what)
    tx, _ = send_batch(setup, batch)
    assert tx.output == FALSE


def test_tampered_proof_rejected_by_the_keyset_contract_too(setup: Setup) -> None:
    batch = list(setup.items[:4])
    batch[2] = tamper(batch[2], "C")
    assert send_batch(setup, batch, shape=1)[0].output == FALSE
    # right proofs, wrong shape: shape 0's key does not verify them
    assert send_batch(setup, setup.items[:2], shape=0)[0].output == FALSE


def test_a_valid_proof_repeated_is_accepted(setup: Setup) -> None:
    assert send_batch(setup, [setup.items[3], setup.items[3]])[0].output == TRUE


def test_empty_batch_input_over_r_and_bad_points_are_rejected(setup: Setup) -> None:
    assert send_batch(setup, [])[0].output == FALSE
    assert send_batch(setup, [], shape=1)[0].output == FALSE
    public, proof = setup.items[1]
    over = ([*public[:4], str(R + int(public[4]))], proof)  # ≡ the right value mod r
    assert send_batch(setup, [setup.items[0], over])[0].output == FALSE
    off = (public, dict(proof, pi_a=[proof["pi_a"][0], str((int(proof["pi_a"][1]) + 1) % P), "1"]))
    assert send_batch(setup, [setup.items[0], off])[0].output == FALSE
    off_c = (public, dict(proof, pi_c=[proof["pi_c"][0], str((int(proof["pi_c"][1]) + 1) % P), "1"]))
    assert send_batch(setup, [off_c], shape=1)[0].output == FALSE
    bad_b = [[proof["pi_b"][0][0], str((int(proof["pi_b"][0][1]) + 1) % P)], proof["pi_b"][1], ["1", "0"]]
    assert send_batch(setup, [setup.items[0], (public, dict(proof, pi_b=bad_b))])[0].output == FALSE


def test_lengths_that_differ_are_rejected(setup: Setup) -> None:
    data = bytearray(encode_batch_calldata(setup.items[:2], 5))
    publics_length_at = 4 + 0x40 + 0x20 + 2 * 256
    data[publics_length_at: publics_length_at + 32] = (1).to_bytes(32, "big")
    tx = setup.chain.call(setup.single, bytes(data[: publics_length_at + 32 + 5 * 32]), gas=GAS_LIMIT)
    assert tx.success and tx.output == FALSE


def test_cancelling_errors_fool_fixed_coefficients_not_the_contract(setup: Setup) -> None:
    pair = cancelling_pair(setup.items)
    assert batch_equation_holds(as_vk(setup.keys[1].vk), parse_items(pair), [1, 1])
    tx, predicted = send_batch(setup, pair)
    assert tx.output == FALSE and "batch pairing check is 0" in predicted.reason


def test_batch_gas_per_proof_falls(setup: Setup) -> None:
    one = send_batch(setup, setup.items[:1])[0].gas_used
    sixteen = send_batch(setup, setup.items)[0].gas_used
    single = verify_onchain(setup.keys[1].vk, *setup.items[0]).gas_used
    assert sixteen / 16 <= 0.3 * single, (sixteen / 16, single)
    assert one < 1.2 * single


@pytest.mark.parametrize("shape", [0, 1])
def test_keyset_verify_proof_each_shape_exact_gas_within_1_percent(setup: Setup, shape: int) -> None:
    key = setup.keys[shape]
    public, proof = key.prove([5, 6, 7, 8, 9]) if shape == 0 else setup.items[0]
    predicted = verify_onchain(key.vk, public, proof, GAS_LIMIT, shape=shape)
    tx = setup.chain.call(setup.keyset, predicted.calldata, gas=GAS_LIMIT)
    assert tx.output == TRUE and predicted.accept and predicted.gas_used == tx.gas_used
    alone = verify_onchain(key.vk, public, proof, GAS_LIMIT)
    assert abs(tx.gas_used - alone.gas_used) <= 0.01 * alone.gas_used, (tx.gas_used, alone.gas_used)
    if shape == 1:
        single = setup.chain.call(setup.single, encode_calldata(public, proof), gas=GAS_LIMIT)
        assert single.output == TRUE and single.gas_used == alone.gas_used


def test_keyset_verify_proof_wrong_or_unknown_shape_rejects(setup: Setup) -> None:
    public, proof = setup.items[0]
    tx = setup.chain.call(setup.keyset, encode_calldata(public, proof, shape=0), gas=GAS_LIMIT)
    assert tx.success and tx.output == FALSE
    predicted = verify_onchain(setup.keys[0].vk, public, proof, GAS_LIMIT, shape=0)
    assert not predicted.accept and predicted.gas_used == tx.gas_used
    tx = setup.chain.call(setup.keyset, encode_calldata(public, proof, shape=2), gas=GAS_LIMIT)
    assert tx.success and tx.output == FALSE
    tampered = tamper(setup.items[0], "public")
    tx = setup.chain.call(setup.keyset, encode_calldata(*tampered, shape=1), gas=GAS_LIMIT)
    assert tx.output == FALSE


def test_key_without_contribution_verdict_without_gas(setup: Setup, tmp_path) -> None:
    """δ = γ (development keys): solc shares the repeated constants, value-dependently;
    the replay still gives the verdict but no gas (verifyProof and verifyBatch)."""
    key = make_key(5, contributed=False)
    assert key.vk["vk_gamma_2"] == key.vk["vk_delta_2"]
    code = compile_contracts({"D.sol": render(key.vk), "DK.sol": render_keyset([("n4k2", key.vk)])},
                             tmp_path)
    single = setup.chain.deploy(code[f"D.sol:{CONTRACT_NAME}"])
    keyset = setup.chain.deploy(code[f"DK.sol:{KEYSET_CONTRACT_NAME}"])
    items = make_items(key, 3)
    for address, shape in ((single, None), (keyset, 0)):
        predicted = verify_onchain(key.vk, *items[0], GAS_LIMIT, shape=shape)
        tx = setup.chain.call(address, predicted.calldata, gas=GAS_LIMIT)
        assert tx.output == TRUE and predicted.accept and predicted.gas_used is None
        assert "δ = γ" in predicted.reason
        predicted = verify_onchain_batch(key.vk, items, GAS_LIMIT, shape)
        tx = setup.chain.call(address, predicted.calldata, gas=GAS_LIMIT)
        assert tx.output == TRUE and predicted.accept and predicted.gas_used is None
        bad = verify_onchain_batch(key.vk, [items[0], tamper(items[1], "C")], GAS_LIMIT, shape)
        tx = setup.chain.call(address, bad.calldata, gas=GAS_LIMIT)
        assert tx.output == FALSE and not bad.accept
