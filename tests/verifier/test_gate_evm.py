"""The margin gate on a real EVM (npm solc 0.8.28 + py-evm): posting markets.

Every case is also checked with the off-chain mirror, :func:`check_attestations`,
which must give the same verdict as the contract.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from eth_account import Account

from tests.verifier.evm_harness import Chain, compile_contracts
from verifier.attestation import Attestation, check_attestations, signable
from verifier.gate import GATE_CONTRACT_NAME, post_market_calldata, render_gate

pytestmark = pytest.mark.interop

CHAIN_ID = 1337           # the harness chain's id
MAX_AGE = 3600
COMMITMENT = 0x1234_5678_9ABC_DEF0 * 2**128 + 42


@dataclass
class Gate:
    chain: Chain
    address: bytes
    oracles: list

    @property
    def checksum(self) -> str:
        from eth_utils import to_checksum_address

        return to_checksum_address(self.address)

    def now(self) -> int:
        return self.chain.chain.header.timestamp

    def set_time(self, timestamp: int) -> None:
        self.chain.chain.header = self.chain.chain.header.copy(timestamp=timestamp)

    def sign(self, account, *, commitment: int = COMMITMENT, book_time: int,
             chain_id: int = CHAIN_ID, verifier: str | None = None) -> Attestation:
        verifier = verifier or self.checksum
        sig = account.sign_message(signable(commitment, book_time, chain_id, verifier)).signature
        return Attestation(commitment, book_time, chain_id, verifier, bytes(sig), account.address)

    def post(self, atts: list[Attestation], *, commitment: int = COMMITMENT, book_time: int):
        data = post_market_calldata(commitment, book_time, [a.signature for a in atts])
        return self.chain.call(self.address, data, gas=1_000_000)

    def mirror(self, atts: list[Attestation], *, commitment: int = COMMITMENT, book_time: int):
        return check_attestations(commitment, book_time, atts,
                                  oracles=[o.address for o in self.oracles], threshold=2,
                                  chain_id=CHAIN_ID, verifier=self.checksum, max_age=MAX_AGE,
                                  now=self.now())

    def posted_time(self, commitment: int = COMMITMENT) -> int:
        from eth_utils import keccak

        data = keccak(text="postedBookTime(uint256)")[:4] + commitment.to_bytes(32, "big")
        return int.from_bytes(self.chain.call(self.address, data).output, "big")


@pytest.fixture(scope="module")
def gate_code(tmp_path_factory) -> tuple[bytes, list]:
    oracles = [Account.from_key(bytes([0x40 + i]) * 32) for i in range(3)]
    source = render_gate([o.address for o in oracles], 2, MAX_AGE, 5)
    code = compile_contracts({"Gate.sol": source}, tmp_path_factory.mktemp("gate"))
    return code[f"Gate.sol:{GATE_CONTRACT_NAME}"], oracles


@pytest.fixture()
def gate(gate_code) -> Gate:
    code, oracles = gate_code
    chain = Chain()
    verifier_address = b"\x01" * 20      # posting never calls the verifier
    address = chain.deploy(code + bytes(12) + verifier_address)
    return Gate(chain, address, oracles)


def _agree(gate: Gate, atts: list, book_time: int, *, accepted: bool) -> int:
    mirror = gate.mirror(atts, book_time=book_time)
    tx = gate.post(atts, book_time=book_time)
    assert tx.success == accepted == mirror.ok, (tx, mirror.reason)
    return tx.gas_used


def test_two_of_three_posts(gate: Gate):
    t = gate.now() - 10
    gas = _agree(gate, [gate.sign(gate.oracles[0], book_time=t),
                        gate.sign(gate.oracles[2], book_time=t)], t, accepted=True)
    assert gate.posted_time() == t
    assert 40_000 < gas < 120_000, gas


def test_refusals(gate: Gate):
    o = gate.oracles
    t = gate.now() - 10
    stranger = Account.from_key(b"\x99" * 32)
    cases = {
        "one signature": [gate.sign(o[0], book_time=t)],
        "repeated signer": [gate.sign(o[0], book_time=t), gate.sign(o[0], book_time=t)],
        "unknown signer": [gate.sign(o[0], book_time=t), gate.sign(stranger, book_time=t)],
        "other chain id": [gate.sign(o[0], book_time=t),
                           gate.sign(o[1], book_time=t, chain_id=1)],
        "other contract": [gate.sign(o[0], book_time=t),
                           gate.sign(o[1], book_time=t, verifier="0x" + "cd" * 20)],
        "other book time": [gate.sign(o[0], book_time=t), gate.sign(o[1], book_time=t - 1)],
    }
    for name, atts in cases.items():
        _agree(gate, atts, t, accepted=False)
        assert gate.posted_time() == 0, name


def test_stale_and_future_books(gate: Gate):
    o = gate.oracles
    old = gate.now() - MAX_AGE - 1
    _agree(gate, [gate.sign(o[0], book_time=old), gate.sign(o[1], book_time=old)], old,
           accepted=False)
    future = gate.now() + 5
    _agree(gate, [gate.sign(o[0], book_time=future), gate.sign(o[1], book_time=future)], future,
           accepted=False)
    assert gate.posted_time() == 0


def test_a_newer_book_time_reposts_and_an_older_one_does_not(gate: Gate):
    o = gate.oracles
    t = gate.now() - 100
    assert gate.post([gate.sign(o[0], book_time=t), gate.sign(o[1], book_time=t)],
                     book_time=t).success
    assert not gate.post([gate.sign(o[0], book_time=t), gate.sign(o[1], book_time=t)],
                         book_time=t).success
    assert gate.post([gate.sign(o[1], book_time=t + 50), gate.sign(o[2], book_time=t + 50)],
                     book_time=t + 50).success
    assert gate.posted_time() == t + 50
