"""The embedding API and the end-to-end CLI: keys, proofs of margin statements, checks.

Keys are development keys for a small shape (N=4 position slots, K=2 collateral
slots) on the bundled book, made once per session.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.account import Account
from engine.margin import compute_margin
from zkmargin import MarginProver, RiskBook, verify
from zkmargin.api import MarginKeyError
from zkmargin.cli import main


@pytest.fixture(scope="session")
def book() -> RiskBook:
    return RiskBook.from_snapshot("default")


@pytest.fixture(scope="session")
def keys(book: RiskBook, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("keys") / "small"
    MarginProver.setup(book, directory, n_slots=4, k_slots=2, seed=11)
    return directory


@pytest.fixture(scope="session")
def prover(keys: Path) -> MarginProver:
    return MarginProver.load(keys)


def test_prove_matches_the_engine_and_verifies(prover: MarginProver, book: RiskBook) -> None:
    account = Account.load("liquidatable")
    result = prover.prove(account, book)
    report = compute_margin(account, book)
    assert result.public_named["equity"] == report.equity
    assert result.public_named["mm"] == report.mm
    assert result.public_named["im"] == report.im
    assert result.public_named["market_commitment"] == book.commitment["market_commitment"]
    assert result.report.to_json() == report.to_json()
    assert verify(prover.vk, result.proof, result.public)


def test_changed_public_input_or_proof_is_rejected(prover: MarginProver, book: RiskBook) -> None:
    result = prover.prove(Account.load("covered_call"), book)
    lower_mm = list(result.public)
    lower_mm[3] = str(int(lower_mm[3]) - 1)
    assert not verify(prover.vk, result.proof, lower_mm)
    other = dict(result.proof, pi_a=[result.proof["pi_c"][0], result.proof["pi_c"][1], "1"])
    assert not verify(prover.vk, other, result.public)


def test_prove_many_keeps_order(prover: MarginProver, book: RiskBook) -> None:
    accounts = [Account.load(n) for n in ("short_puts", "pair_trade")]
    results = prover.prove_many(accounts, book, workers=2)
    for account, result in zip(accounts, results):
        assert result.public_named["mm"] == compute_margin(account, book).mm
        assert verify(prover.vk, result.proof, result.public)


def test_account_without_salt_is_refused(prover: MarginProver, book: RiskBook) -> None:
    account = dataclasses.replace(Account.load("short_puts"), salt=None)
    with pytest.raises(ValueError, match="account.salt"):
        prover.prove(account, book)


def test_too_many_positions_for_the_key_is_refused(prover: MarginProver, book: RiskBook) -> None:
    symbols = [inst.symbol for inst in book.instruments[:5]]
    account = Account.from_json({"cash": "1000", "salt": "5", "collateral": [],
                                 "positions": [{"instrument": s, "qty": "1"} for s in symbols]})
    with pytest.raises(ValueError, match="slots"):
        prover.prove(account, book)


def test_book_of_another_shape_is_refused(prover: MarginProver) -> None:
    deeper = RiskBook.from_snapshot("default", depth_instruments=9)
    with pytest.raises(ValueError, match="circuit expects"):
        prover.prove(Account.load("short_puts"), deeper)


def test_key_directory_errors(tmp_path: Path, keys: Path) -> None:
    with pytest.raises(MarginKeyError, match="not a key directory"):
        MarginProver.load(tmp_path)
    (tmp_path / "circuit.json").write_text("{not json")
    with pytest.raises(MarginKeyError, match="not JSON"):
        MarginProver.load(tmp_path)
    meta = json.loads((keys / "circuit.json").read_text())
    (tmp_path / "circuit.json").write_text(json.dumps(dict(meta, statement="health")))
    (tmp_path / "margin.zkey").write_bytes((keys / "margin.zkey").read_bytes())
    with pytest.raises(MarginKeyError, match="public inputs"):
        MarginProver.load(tmp_path)


def test_cli_prove_then_verify(keys: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "proof"
    res = runner.invoke(main, ["prove", "covered_call", "--market", "default", "--keys",
                               str(keys), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "mm" in res.output
    assert json.loads((out / "report.json").read_text())["status"] == "healthy"
    res = runner.invoke(main, ["verify", str(keys / "verification_key.json"),
                               str(out / "public.json"), str(out / "proof.json")])
    assert res.exit_code == 0, res.output


def test_cli_bad_keys_is_one_line_exit_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["prove", "covered_call", "--market", "default", "--keys",
                                    str(tmp_path), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2
    assert "not a key directory" in res.output and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_cli_setup_margin_health(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["setup", "margin", "--market", "default", "-o",
                                    str(tmp_path / "k"), "--slots", "1", "--collateral-slots",
                                    "1", "--statement", "health"])
    assert res.exit_code == 0, res.output
    assert "INSECURE" in res.output
    assert json.loads((tmp_path / "k" / "circuit.json").read_text())["statement"] == "health"
