"""The whole oracle loop on a real EVM (npm solc 0.8.28 + py-evm): margin proofs through the gate.

A development key set (n4k2, n8k2) proves bundled accounts on the bundled book; three
oracles sign the book (EIP-712); the key-set verifier and the gate exported by
``zkmargin export-solidity --keys KEYSET --oracles ... --threshold 2`` are deployed.
A proof is accepted only on a market posted with 2 of 3 signatures and still fresh, and
the off-chain mirror (``zkmargin.api.verify`` with attestations) agrees on every case.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from eth_account import Account as EthAccount

from engine.account import Account
from tests.verifier.evm_harness import Chain, compile_contracts
from verifier.gate import GATE_CONTRACT_NAME, post_market_calldata, verify_margin_calldata
from verifier.calldata import proof_words
from verifier.keys import as_proof
from verifier.solidity import KEYSET_CONTRACT_NAME
from zkmargin.api import MarginProver, verify
from zkmargin.cli import main
from zkmargin.oracle import attest, book_time

pytestmark = pytest.mark.interop

CHAIN_ID = 1337
MAX_AGE = 600
TRUE = (1).to_bytes(32, "big")


@dataclass
class Loop:
    chain: Chain
    gate: bytes
    gate_checksum: str
    oracles: list
    shapes: list[str]
    proofs: dict[str, object]        # account name -> MarginResult
    vks: dict[str, dict]
    gas: dict[str, int]

    def margin_call(self, result, public=None, proof=None):
        words = proof_words(as_proof(proof or result.proof))
        inputs = [int(x) for x in (public or result.public)]
        data = verify_margin_calldata(self.shapes.index(result.shape), words, inputs)
        return self.chain.call(self.gate, data, gas=2_000_000)

    def mirror(self, result, atts, public=None, proof=None) -> bool:
        return verify(self.vks[result.shape], public or result.public, proof or result.proof,
                      attestations=atts, oracles=[o.address for o in self.oracles],
                      threshold=2, chain_id=CHAIN_ID, verifier=self.gate_checksum,
                      max_age=MAX_AGE, now=self.chain.chain.header.timestamp)


@pytest.fixture(scope="module")
def loop(dev_keyset: Path, bundled_book, tmp_path_factory) -> Loop:
    from eth_utils import to_checksum_address

    work = tmp_path_factory.mktemp("gate-loop")
    oracles = [EthAccount.from_key(bytes([0x30 + i]) * 32) for i in range(3)]
    (work / "oracles.json").write_text(json.dumps({"oracles": [o.address for o in oracles]}))
    runner = CliRunner()
    out = work / "MarginGate.sol"
    result = runner.invoke(main, ["export-solidity", "--keys", str(dev_keyset), "--oracles",
                                  str(work / "oracles.json"), "--threshold", "2",
                                  "--max-age", str(MAX_AGE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    code = compile_contracts({"MarginGate.sol": out.read_text()}, work)
    chain = Chain()
    chain.chain.header = chain.chain.header.copy(timestamp=book_time(bundled_book) + 60)
    verifier_address = chain.deploy(code[f"MarginGate.sol:{KEYSET_CONTRACT_NAME}"])
    gate = chain.deploy(code[f"MarginGate.sol:{GATE_CONTRACT_NAME}"] + bytes(12)
                        + verifier_address)
    prover = MarginProver.load(dev_keyset)
    proofs = {name: prover.prove(Account.load(name), bundled_book)
              for name in ("covered_call", "pair_trade")}
    manifest = json.loads((dev_keyset / "keyset.json").read_text())
    return Loop(chain, gate, to_checksum_address(gate), oracles,
                [s["name"] for s in manifest["shapes"]], proofs, prover.vks, {})


def _attest(loop: Loop, book, signers, **kw):
    args = dict(chain_id=CHAIN_ID, verifier=loop.gate_checksum)
    args.update(kw)
    return [attest(book, o, **args) for o in signers]


def _post(loop: Loop, book, atts):
    data = post_market_calldata(book.commitment["market_commitment"], book_time(book),
                                [a.signature for a in atts])
    return loop.chain.call(loop.gate, data, gas=1_000_000)


def test_the_gate_refuses_unposted_then_accepts_posted_then_refuses_stale(loop: Loop,
                                                                          bundled_book):
    o = loop.oracles
    result = loop.proofs["covered_call"]
    # an unposted commitment: refused on chain and off chain
    assert loop.margin_call(result).output != TRUE
    assert not loop.mirror(result, [])
    # refused postings, each as the mirror says
    for atts in (_attest(loop, bundled_book, o[:1]),                        # 1 signature
                 _attest(loop, bundled_book, [o[0], o[0]]),                 # repeated signer
                 _attest(loop, bundled_book, [o[0], EthAccount.from_key(b"\x55" * 32)]),
                 _attest(loop, bundled_book, o[:1]) + _attest(loop, bundled_book, o[1:2],
                                                              chain_id=1),
                 _attest(loop, bundled_book, o[:1]) + _attest(
                     loop, bundled_book, o[1:2], verifier="0x" + "cd" * 20)):
        assert not _post(loop, bundled_book, atts).success
        assert not loop.mirror(result, atts)
        assert loop.margin_call(result).output != TRUE
    # 2 of 3: posted; every bundled proof on it verifies through the gate
    atts = _attest(loop, bundled_book, [o[2], o[0]])
    posted = _post(loop, bundled_book, atts)
    assert posted.success
    loop.gas["postMarket"] = posted.gas_used
    for name, res in loop.proofs.items():
        tx = loop.margin_call(res)
        assert tx.success and tx.output == TRUE, name
        assert loop.mirror(res, atts)
        loop.gas[f"verifyMargin {res.shape}"] = tx.gas_used
    # a tampered proof or public input on the posted market is refused
    tampered = dict(result.proof)
    tampered["pi_a"] = list(loop.proofs["pair_trade"].proof["pi_a"])
    assert loop.margin_call(result, proof=tampered).output != TRUE
    assert not loop.mirror(result, atts, proof=tampered)
    public = list(result.public)
    public[3] = str(int(public[3]) - 1)           # a smaller maintenance margin
    assert loop.margin_call(result, public=public).output != TRUE
    assert not loop.mirror(result, atts, public=public)
    # time moves past the maximum age: the same proof is refused
    loop.chain.chain.header = loop.chain.chain.header.copy(
        timestamp=book_time(bundled_book) + MAX_AGE + 1)
    assert loop.margin_call(result).output != TRUE
    assert not loop.mirror(result, atts)
    print("gate gas:", loop.gas)
    assert 40_000 < loop.gas["postMarket"] < 150_000


def test_the_readme_loop(dev_keyset: Path, bundled_book, tmp_path: Path) -> None:
    """The README's commands in order: three feeds (one an outlier) aggregated, the book
    built, two of three oracles attest, the gate exported and deployed, the market posted
    with the calldata the CLI prints, a proof made and accepted by the gate and by
    ``zkmargin verify --attestations``."""
    import copy

    from engine.jsonio import DATA_DIR
    from engine.riskbook import RiskBook

    runner = CliRunner()

    def run(*args) -> str:
        result = runner.invoke(main, [str(a) for a in args])
        assert result.exit_code == 0, (args, result.output)
        return result.output

    base = json.loads((DATA_DIR / "default.json").read_text())
    feeds = []
    for i, spot in enumerate(("95000", "95000", "99999")):        # the third feed lies
        snap = copy.deepcopy(base)
        snap["underlyings"][0]["spot"] = spot
        feeds.append(tmp_path / f"feed{i + 1}.json")
        feeds[-1].write_text(json.dumps(snap))
    assert "left out" in run("snapshot", "aggregate", *feeds, "-o", tmp_path / "snap.json")
    run("riskbook", tmp_path / "snap.json", "-o", tmp_path / "book.json")
    book = RiskBook.load(tmp_path / "book.json")
    assert book.commitment == bundled_book.commitment           # the liar moved nothing

    chain = Chain()
    chain.chain.header = chain.chain.header.copy(timestamp=book_time(book) + 30)
    addresses = []
    for i in range(3):
        key = tmp_path / f"oracle{i + 1}.key"
        run("oracle", "keygen", "-o", key)
        addresses.append(run("oracle", "address", key).strip())
    (tmp_path / "oracles.json").write_text(json.dumps({"oracles": addresses}))
    run("export-solidity", "--keys", dev_keyset, "--oracles", tmp_path / "oracles.json",
        "--threshold", 2, "--max-age", MAX_AGE, "-o", tmp_path / "MarginGate.sol")
    code = compile_contracts({"MarginGate.sol": (tmp_path / "MarginGate.sol").read_text()},
                             tmp_path)
    verifier_address = chain.deploy(code[f"MarginGate.sol:{KEYSET_CONTRACT_NAME}"])
    gate = chain.deploy(code[f"MarginGate.sol:{GATE_CONTRACT_NAME}"] + bytes(12)
                        + verifier_address)
    gate_hex = "0x" + gate.hex()
    for i in (1, 2):
        run("oracle", "attest", tmp_path / "book.json", "--key", tmp_path / f"oracle{i}.key",
            "--chain-id", CHAIN_ID, "--verifier", gate_hex, "-o", tmp_path / f"sig{i}.json")
    sigs = [tmp_path / "sig1.json", tmp_path / "sig2.json"]
    rule = ["--oracles", tmp_path / "oracles.json", "--threshold", 2, "--chain-id", CHAIN_ID]
    now = ["--max-age", MAX_AGE, "--now", book_time(book) + 30]
    run("oracle", "check", tmp_path / "book.json", *sigs, *rule, "--verifier", gate_hex, *now)
    post = bytes.fromhex(run("oracle", "calldata", tmp_path / "book.json", *sigs).strip()[2:])
    assert chain.call(gate, post, gas=1_000_000).success
    run("prove", "covered_call", "--riskbook", tmp_path / "book.json", "--keys", dev_keyset,
        "-o", tmp_path / "out")
    run("verify", "--keys", dev_keyset, tmp_path / "out", "--attestations", sigs[0],
        "--attestations", sigs[1], *rule, "--gate", gate_hex, *now)
    statement = json.loads((tmp_path / "out" / "statement.json").read_text())
    shapes = [s["name"] for s in json.loads((dev_keyset / "keyset.json").read_text())["shapes"]]
    proof = json.loads((tmp_path / "out" / "proof.json").read_text())
    public = [int(x) for x in json.loads((tmp_path / "out" / "public.json").read_text())]
    data = verify_margin_calldata(shapes.index(statement["shape"]),
                                  proof_words(as_proof(proof)), public)
    assert chain.call(gate, data, gas=2_000_000).output == TRUE
