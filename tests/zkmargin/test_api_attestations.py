"""``zkmargin.api.verify`` with oracle attestations: the gate's market rule off chain."""
from __future__ import annotations

import pytest
from eth_account import Account as EthAccount

from engine.account import Account
from zkmargin.api import MarginProver, market_attested, verify
from zkmargin.oracle import attest, book_time

GATE = "0x" + "ab" * 20
CHAIN = 10


@pytest.fixture(scope="module")
def proven(dev_keyset, bundled_book):
    prover = MarginProver.load(dev_keyset)
    result = prover.prove(Account.load("covered_call"), bundled_book)
    return prover.vks[result.shape], result


@pytest.fixture(scope="module")
def oracles():
    return [EthAccount.from_key(bytes([0x20 + i]) * 32) for i in range(3)]


def _rule(oracles, **kw):
    rule = dict(oracles=[o.address for o in oracles], threshold=2, chain_id=CHAIN, verifier=GATE)
    rule.update(kw)
    return rule


def test_attested_market_verifies(proven, oracles, bundled_book):
    vk, result = proven
    atts = [attest(bundled_book, o, chain_id=CHAIN, verifier=GATE) for o in oracles[:2]]
    assert verify(vk, result.public, result.proof, attestations=atts, **_rule(oracles))
    as_json = [a.to_json() for a in atts]
    assert verify(vk, result.public, result.proof, attestations=as_json, **_rule(oracles))
    t = book_time(bundled_book)
    assert verify(vk, result.public, result.proof, attestations=atts,
                  **_rule(oracles, max_age=600, now=t + 600))


def test_unattested_or_stale_market_is_rejected(proven, oracles, bundled_book):
    vk, result = proven
    one = [attest(bundled_book, oracles[0], chain_id=CHAIN, verifier=GATE)]
    assert not verify(vk, result.public, result.proof, attestations=one, **_rule(oracles))
    assert "threshold 2" in market_attested(result.public, one, **_rule(oracles)).reason
    other_chain = [attest(bundled_book, o, chain_id=CHAIN + 1, verifier=GATE) for o in oracles]
    assert not verify(vk, result.public, result.proof, attestations=other_chain,
                      **_rule(oracles))
    atts = [attest(bundled_book, o, chain_id=CHAIN, verifier=GATE) for o in oracles[:2]]
    t = book_time(bundled_book)
    assert not verify(vk, result.public, result.proof, attestations=atts,
                      **_rule(oracles, max_age=600, now=t + 601))
    # attestations for this book do not cover a proof on another market commitment
    other_public = [str((int(result.public[0]) + 1))] + list(result.public[1:])
    assert not verify(vk, other_public, result.proof, attestations=atts, **_rule(oracles))
    # a rule without its parameters is a rejection, not an exception
    assert not verify(vk, result.public, result.proof, attestations=atts)
    # the Groth16 check still applies on an attested market
    tampered = list(result.public)
    tampered[2] = str(int(tampered[2]) + 1)
    assert not verify(vk, tampered, result.proof, attestations=atts, **_rule(oracles))


def test_cli_verify_with_attestations(dev_keyset, bundled_book, oracles, tmp_path):
    import json

    from click.testing import CliRunner

    from zkmargin.cli import main

    book = tmp_path / "book.json"
    book.write_text(bundled_book.dumps())
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["prove", "covered_call", "--riskbook", str(book), "--keys",
                                str(dev_keyset), "-o", str(out)]).exit_code == 0
    (tmp_path / "oracles.json").write_text(json.dumps({"oracles": [o.address for o in oracles]}))
    sigs = []
    for i, o in enumerate(oracles[:2]):
        sig = tmp_path / f"sig{i}.json"
        sig.write_text(json.dumps(attest(bundled_book, o, chain_id=CHAIN, verifier=GATE).to_json()))
        sigs.append(sig)
    base = ["verify", "--keys", str(dev_keyset), str(out), "--oracles",
            str(tmp_path / "oracles.json"), "--threshold", "2", "--chain-id", str(CHAIN),
            "--gate", GATE]
    ok = runner.invoke(main, base + ["--attestations", str(sigs[0]), "--attestations",
                                     str(sigs[1])])
    assert ok.exit_code == 0 and "market: attested by 2 oracle(s)" in ok.output, ok.output
    one = runner.invoke(main, base + ["--attestations", str(sigs[0]), "--json"])
    assert one.exit_code == 1
    report = json.loads(one.output)
    assert report["accept"] is False and "threshold 2" in report["market"]["reason"]
    t = book_time(bundled_book)
    stale = runner.invoke(main, base + ["--attestations", str(sigs[0]), "--attestations",
                                        str(sigs[1]), "--max-age", "60", "--now", str(t + 61)])
    assert stale.exit_code == 1 and "stale" in stale.output
    incomplete = runner.invoke(main, ["verify", "--keys", str(dev_keyset), str(out),
                                      "--attestations", str(sigs[0])])
    assert incomplete.exit_code == 2
