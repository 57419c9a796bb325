"""The embedding API and the end-to-end CLI: key sets, shape selection, proofs, checks.

Keys are the session's development key set of the two smallest ladder shapes (n4k2,
n8k2) on the bundled book (``dev_keyset`` in tests/conftest.py).
"""
from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.account import Account
from engine.margin import compute_margin
from zkmargin import MarginProver, RiskBook, verify
from zkmargin.api import MarginFailure, MarginKeyError, MarginResult
from zkmargin.cli import main
from zkmargin.keyset import LADDER, file_sha256, parse_shapes


@pytest.fixture(scope="session")
def book() -> RiskBook:
    return RiskBook.from_snapshot("default")


@pytest.fixture(scope="session")
def keys(dev_keyset: Path) -> Path:
    """The session's development key set (n4k2, n8k2; tests/conftest.py)."""
    return dev_keyset


@pytest.fixture(scope="session")
def prover(keys: Path) -> MarginProver:
    return MarginProver.load(keys)


def _account(book: RiskBook, n_positions: int, n_collateral: int = 0) -> Account:
    symbols = [inst.symbol for inst in book.instruments[:n_positions]]
    assets = [c.symbol for c in book.collateral[:n_collateral]]
    return Account.from_json({
        "cash": "100000", "salt": "5",
        "positions": [{"instrument": s, "qty": "1"} for s in symbols],
        "collateral": [{"asset": a, "amount": "1"} for a in assets]})


def test_keyset_layout(keys: Path, prover: MarginProver) -> None:
    manifest = json.loads((keys / "keyset.json").read_text())
    assert manifest["format"] == "zkmargin-keyset-1" and manifest["statement"] == "full"
    assert [s["name"] for s in manifest["shapes"]] == ["n4k2", "n8k2"] == prover.shapes
    for s in manifest["shapes"]:
        d = keys / s["name"]
        assert {p.name for p in d.iterdir()} == {"margin.zkey", "verification_key.json",
                                                  "circuit.json"}
        assert s["vk_sha256"] == file_sha256(d / "verification_key.json")
        assert (s["N"], s["K"]) == LADDER[s["name"]]
        assert json.loads((d / "circuit.json").read_text())["matrix_hash"] == s["matrix_hash"]
    assert prover.constraints["n4k2"] < prover.constraints["n8k2"]


def test_parse_shapes() -> None:
    assert parse_shapes("all") == list(LADDER)
    assert parse_shapes("n16k4,n4k2,n4k2") == ["n4k2", "n16k4"]
    for bad in ("n4", "x4k2", "n0k1", "", "n4k2;n8k2"):
        with pytest.raises(ValueError):
            parse_shapes(bad)


def test_prove_matches_the_engine_and_verifies(prover: MarginProver, book: RiskBook) -> None:
    account = Account.load("liquidatable")
    result = prover.prove(account, book)
    report = compute_margin(account, book)
    assert result.shape == "n4k2"
    assert result.public_named["equity"] == report.equity
    assert result.public_named["mm"] == report.mm
    assert result.public_named["im"] == report.im
    assert result.market_commitment == book.commitment["market_commitment"]
    assert result.report.to_json() == report.to_json()
    assert verify(prover.vks["n4k2"], result.public, result.proof)
    assert not verify(prover.vks["n8k2"], result.public, result.proof)


def test_changed_public_input_or_proof_is_rejected(prover: MarginProver, book: RiskBook) -> None:
    result = prover.prove(Account.load("covered_call"), book)
    vk = prover.vks[result.shape]
    lower_mm = list(result.public)
    lower_mm[3] = str(int(lower_mm[3]) - 1)
    assert not verify(vk, lower_mm, result.proof)
    other = dict(result.proof, pi_a=[result.proof["pi_c"][0], result.proof["pi_c"][1], "1"])
    assert not verify(vk, result.public, other)
    assert verify(vk, None, result.proof) is False  # type: ignore[arg-type]
    assert verify(vk, result.public, "not a proof") is False  # type: ignore[arg-type]


@pytest.mark.parametrize("n_pos, n_coll, shape", [
    (0, 0, "n4k2"), (4, 0, "n4k2"), (4, 2, "n4k2"), (5, 0, "n8k2"), (1, 2, "n4k2"),
    (8, 2, "n8k2")])
def test_shape_selection_boundaries(prover: MarginProver, book: RiskBook, n_pos: int,
                                    n_coll: int, shape: str) -> None:
    assert prover.select(_account(book, n_pos, n_coll)).name == shape


@pytest.mark.parametrize("n_pos, n_coll", [(9, 0), (1, 3), (9, 3)])
def test_no_fitting_shape_names_the_largest(prover: MarginProver, book: RiskBook, n_pos: int,
                                            n_coll: int) -> None:
    with pytest.raises(MarginKeyError, match=r"largest, n8k2, holds 8 positions and 2 "):
        prover.prove(_account(book, n_pos, n_coll), book)


def test_first_position_past_a_shape_proves_at_the_next(prover: MarginProver,
                                                        book: RiskBook) -> None:
    account = _account(book, 5, 1)
    result = prover.prove(account, book)
    assert result.shape == "n8k2"
    assert result.public_named["mm"] == compute_margin(account, book).mm
    assert verify(prover.vks["n8k2"], result.public, result.proof)


def test_prove_many_one_entry_per_account(prover: MarginProver, book: RiskBook) -> None:
    good = [Account.load(n) for n in ("short_puts", "pair_trade")]
    no_salt = dataclasses.replace(good[0], salt=None)
    too_big = _account(book, 9)
    batch = [good[0], no_salt, good[1], too_big]
    results = prover.prove_many(batch, book)
    assert len(results) == 4
    assert isinstance(results[1], MarginFailure) and results[1].index == 1
    assert "account.salt" in results[1].error
    assert isinstance(results[3], MarginFailure) and results[3].index == 3
    assert "n8k2" in str(results[3])
    for account, result in ((good[0], results[0]), (good[1], results[2])):
        assert isinstance(result, MarginResult)
        alone = prover.prove(account, book)
        assert (result.shape, result.public, result.report.to_json()) == (
            alone.shape, alone.public, alone.report.to_json())
        assert verify(prover.vks[result.shape], result.public, result.proof)


@pytest.mark.parametrize("schedule", ["sequential", "pipelined"])
def test_prove_many_schedules_equal_one_by_one(prover: MarginProver, book: RiskBook,
                                               schedule: str) -> None:
    accounts = [Account.load(n) for n in ("straddle_hedged", "liquidatable")]
    accounts.append(_account(book, 6, 2))  # n8k2 between two n4k2 accounts
    results = prover.prove_many(accounts, book, schedule=schedule)
    for account, result in zip(accounts, results):
        assert isinstance(result, MarginResult)
        alone = prover.prove(account, book)
        assert (result.shape, result.public, result.public_named) == (
            alone.shape, alone.public, alone.public_named)
        assert verify(prover.vks[result.shape], result.public, result.proof)
    with pytest.raises(ValueError, match="schedule"):
        prover.prove_many(accounts, book, schedule="parallel")


def test_load_a_subset_of_shapes(keys: Path) -> None:
    assert MarginProver.load(keys, shapes="n8k2").shapes == ["n8k2"]
    with pytest.raises(MarginKeyError, match="no shape 'n16k4'"):
        MarginProver.load(keys, shapes=["n16k4"])


def test_account_without_salt_is_refused(prover: MarginProver, book: RiskBook) -> None:
    account = dataclasses.replace(Account.load("short_puts"), salt=None)
    with pytest.raises(ValueError, match="account.salt"):
        prover.prove(account, book)


def test_book_of_another_shape_is_refused(prover: MarginProver) -> None:
    deeper = RiskBook.from_snapshot("default", depth_instruments=9)
    with pytest.raises(ValueError, match="circuit expects"):
        prover.prove(Account.load("short_puts"), deeper)


def _copy(keys: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "copy"
    shutil.copytree(keys, dest)
    return dest


def test_key_directory_errors(tmp_path: Path) -> None:
    with pytest.raises(MarginKeyError, match="not a key directory"):
        MarginProver.load(tmp_path)
    (tmp_path / "keyset.json").write_text("{not json")
    with pytest.raises(MarginKeyError, match="keyset.json: not valid JSON"):
        MarginProver.load(tmp_path)


def test_single_key_directory_loads_as_one_shape(keys: Path, book: RiskBook) -> None:
    one = MarginProver.load(keys / "n8k2")
    assert one.shapes == ["n8k2"] and one.statement == "full"
    result = one.prove(Account.load("short_puts"), book)
    assert result.shape == "n8k2" and verify(one.vk, result.public, result.proof)


def test_another_circuits_vk_is_refused(keys: Path, tmp_path: Path) -> None:
    d = _copy(keys, tmp_path)
    shutil.copy(d / "n8k2" / "verification_key.json", d / "n4k2" / "verification_key.json")
    with pytest.raises(MarginKeyError, match="vk_sha256"):
        MarginProver.load(d)
    with pytest.raises(MarginKeyError, match="does not belong to"):
        MarginProver.load(d / "n4k2")


def test_another_circuits_zkey_is_refused(keys: Path, tmp_path: Path) -> None:
    d = _copy(keys, tmp_path)
    shutil.copy(d / "n8k2" / "margin.zkey", d / "n4k2" / "margin.zkey")
    with pytest.raises(MarginKeyError, match="margin.zkey: made for another circuit"):
        MarginProver.load(d / "n4k2")


def test_stale_matrix_hash_is_refused(keys: Path, tmp_path: Path) -> None:
    d = _copy(keys, tmp_path)
    meta_path = d / "n4k2" / "circuit.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps(dict(meta, matrix_hash="0" * 64)))
    with pytest.raises(MarginKeyError, match="matrix_hash: does not match"):
        MarginProver.load(d)


def test_health_keys_under_a_full_manifest_are_refused(keys: Path, tmp_path: Path) -> None:
    d = _copy(keys, tmp_path)
    meta_path = d / "n4k2" / "circuit.json"
    meta_path.write_text(json.dumps(dict(json.loads(meta_path.read_text()), statement="health")))
    with pytest.raises(MarginKeyError, match="the key set's is 'full'"):
        MarginProver.load(d)


@pytest.mark.slow
def test_cached_dev_keys_are_rebuilt_when_stale(book: RiskBook, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = MarginProver.cached_dev(book, ["n1k1"])
    again = MarginProver.cached_dev(book, ["n1k1"])
    assert again.directory == first.directory and again.vks == first.vks
    meta_path = first.directory / "n1k1" / "circuit.json"
    meta_path.write_text(json.dumps(dict(json.loads(meta_path.read_text()),
                                         matrix_hash="f" * 64)))
    rebuilt = MarginProver.cached_dev(book, ["n1k1"])
    assert rebuilt.vks["n1k1"] != first.vks["n1k1"]  # fresh secrets
    assert MarginProver.load(rebuilt.directory).shapes == ["n1k1"]


def test_cli_prove_then_verify(keys: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "proof"
    res = runner.invoke(main, ["prove", "covered_call", "--market", "default", "--keys",
                               str(keys), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "shape n4k2" in res.output and "mm" in res.output
    assert {p.name for p in out.iterdir()} == {"proof.json", "public.json", "report.json",
                                               "statement.json"}
    assert json.loads((out / "report.json").read_text())["status"] == "healthy"
    stmt = json.loads((out / "statement.json").read_text())
    assert stmt == {"shape": "n4k2", "statement": "full",
                    "vk_sha256": file_sha256(keys / "n4k2" / "verification_key.json")}
    res = runner.invoke(main, ["verify", str(keys / "n4k2" / "verification_key.json"),
                               str(out / "public.json"), str(out / "proof.json")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["verify", "--keys", str(keys), str(out)])
    assert res.exit_code == 0 and "accept (shape n4k2)" in res.output, res.output
    res = runner.invoke(main, ["verify", "--keys", str(keys), str(out), "--evm", "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["evm"]["accept"], res.output
    (out / "statement.json").write_text(json.dumps(dict(stmt, shape="n8k2")))
    res = runner.invoke(main, ["verify", "--keys", str(keys), str(out)])
    assert res.exit_code == 1, res.output
    (out / "statement.json").write_text(json.dumps(dict(stmt, vk_sha256="0" * 64)))
    res = runner.invoke(main, ["verify", "--keys", str(keys), str(out)])
    assert res.exit_code == 1 and "another verification key" in res.output, res.output
    res = runner.invoke(main, ["verify", "--keys", str(keys)])
    assert res.exit_code == 2


def test_cli_prove_outputs_all_or_nothing(keys: Path, tmp_path: Path) -> None:
    out = tmp_path / "proof"
    (out / "report.json").mkdir(parents=True)
    (out / "proof.json").write_text("old")
    res = CliRunner().invoke(main, ["prove", "covered_call", "--market", "default", "--keys",
                                    str(keys), "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert (out / "proof.json").read_text() == "old"
    assert sorted(p.name for p in out.iterdir()) == ["proof.json", "report.json"]


def test_cli_bad_keys_is_one_line_exit_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["prove", "covered_call", "--market", "default", "--keys",
                                    str(tmp_path), "-o", str(tmp_path / "out")])
    assert res.exit_code == 2
    assert "not a key directory" in res.output and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_cli_setup_margin_health(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["setup", "margin", "--market", "default", "-o",
                                    str(tmp_path / "k"), "--shapes", "n1k1,n1k0",
                                    "--statement", "health"])
    assert res.exit_code == 0, res.output
    assert "INSECURE" in res.output and "[6/6] n1k1: written" in res.output
    manifest = json.loads((tmp_path / "k" / "keyset.json").read_text())
    assert manifest["statement"] == "health"
    assert [s["name"] for s in manifest["shapes"]] == ["n1k0", "n1k1"]
    res = CliRunner().invoke(main, ["setup", "margin", "--market", "default", "-o",
                                    str(tmp_path / "j"), "--shapes", "n1k0", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["shapes"][0]["name"] == "n1k0" and "[1/3]" not in res.output
    res = CliRunner().invoke(main, ["setup", "margin", "--market", "default", "-o",
                                    str(tmp_path / "x"), "--shapes", "n4"])
    assert res.exit_code == 2 and not (tmp_path / "x").exists()
