"""Every bundled account proven at its auto-selected shape, checked by snarkjs.

A development key set of the shapes the bundled accounts need (n4k2 for the six small
ones, n16k4 for the basis trader, n64k4 for the options market maker) is made once;
each proof is verified with ``snarkjs groth16 verify`` under its shape's
``verification_key.json``, and the CLI's ``verify --keys`` accepts its directory.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.account import Account
from engine.jsonio import bundled_accounts
from engine.margin import compute_margin
from tests.conftest import run_node_tool
from zkmargin import MarginProver, RiskBook
from zkmargin.api import MarginResult, statement_json
from zkmargin.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.interop]

EXPECTED_SHAPE = {"options_market_maker": "n64k4", "basis_trader": "n16k4"}


@pytest.fixture(scope="module")
def book() -> RiskBook:
    return RiskBook.from_snapshot("default")


@pytest.fixture(scope="module")
def prover(bundled_keyset: Path) -> MarginProver:
    return MarginProver.load(bundled_keyset)


def test_every_bundled_account_at_its_shape_verifies_with_snarkjs(
        prover: MarginProver, book: RiskBook, tmp_path: Path) -> None:
    names = bundled_accounts()
    accounts = [Account.load(n) for n in names]
    results = prover.prove_many(accounts, book)
    assert len(results) == len(names) >= 8
    for name, account, result in zip(names, accounts, results):
        assert isinstance(result, MarginResult), result
        assert result.shape == EXPECTED_SHAPE.get(name, "n4k2"), name
        assert result.public_named["mm"] == compute_margin(account, book).mm
        d = tmp_path / name
        d.mkdir()
        (d / "public.json").write_text(json.dumps(result.public))
        (d / "proof.json").write_text(json.dumps(result.proof))
        (d / "statement.json").write_text(json.dumps(statement_json(prover, result)))
        vk = prover.directory / result.shape / "verification_key.json"
        out = run_node_tool("snarkjs", "groth16", "verify", vk, d / "public.json",
                            d / "proof.json")
        assert "OK!" in out, (name, out)
        res = CliRunner().invoke(main, ["verify", "--keys", str(prover.directory), str(d)])
        assert res.exit_code == 0 and f"shape {result.shape}" in res.output, res.output
