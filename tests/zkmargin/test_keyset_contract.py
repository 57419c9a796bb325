"""Margin proofs of the bundled accounts on the key-set contract (py-evm + solc).

Each account is proven at its auto-selected shape of the session's development key set
(n4k2, n8k2, statement ``full``); the contract exported by ``export-solidity --keys``
accepts every proof with ``verifyProof(shape, ...)`` and each shape's proofs together
with ``verifyBatch(shape, ...)``, as the replay predicts.  Development keys have δ = γ,
so the replay gives the verdict but no gas (see verifier.gas_model); the exact-gas tests
use keys with a contribution (tests/verifier/test_batch_evm.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.account import Account
from tests.verifier.evm_harness import Chain, compile_contracts
from verifier.calldata import encode_calldata
from verifier.onchain import verify_onchain, verify_onchain_batch
from verifier.solidity import KEYSET_CONTRACT_NAME
from zkmargin.api import MarginProver
from zkmargin.cli import main

pytestmark = pytest.mark.interop

ACCOUNTS = ("covered_call", "eth_collateral_long", "pair_trade", "short_puts", "straddle_hedged",
            "basis_trader")
GAS = 5_000_000


def test_bundled_accounts_on_the_keyset_contract(dev_keyset: Path, bundled_book, tmp_path: Path) -> None:
    source = tmp_path / "Verifier.sol"
    result = CliRunner().invoke(main, ["export-solidity", "--keys", str(dev_keyset), "-o", str(source)])
    assert result.exit_code == 0, result.output
    code = compile_contracts({"K.sol": source.read_text()}, tmp_path)
    chain = Chain(native_pairing=True)
    address = chain.deploy(code[f"K.sol:{KEYSET_CONTRACT_NAME}"])
    prover = MarginProver.load(dev_keyset)
    by_shape: dict[str, list] = {}
    for name in ACCOUNTS:
        account = Account.load(name)
        if len(account.positions) > 8:
            continue  # beyond the session key set's largest shape
        res = prover.prove(account, bundled_book)
        index = prover.shapes.index(res.shape)
        predicted = verify_onchain(prover.vks[res.shape], res.public, res.proof, GAS, shape=index)
        tx = chain.call(address, encode_calldata(res.public, res.proof, shape=index), gas=GAS)
        assert tx.output[-1] == 1 and predicted.accept, (name, predicted.reason)
        assert predicted.gas_used in (None, tx.gas_used)
        by_shape.setdefault(res.shape, []).append((res.public, res.proof))
    assert by_shape
    for shape, items in by_shape.items():
        index = prover.shapes.index(shape)
        predicted = verify_onchain_batch(prover.vks[shape], items, GAS, shape=index)
        tx = chain.call(address, predicted.calldata, gas=GAS)
        assert tx.output[-1] == 1 and predicted.accept and predicted.gas_used in (None, tx.gas_used)
