"""The oracle commands end to end: snapshot aggregate, oracle keygen/address/attest/check/calldata."""
from __future__ import annotations

import copy
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.jsonio import DATA_DIR
from engine.riskbook import RiskBook
from tests.engine.books import small_snapshot
from zkmargin.cli import main

GATE = "0x" + "ab" * 20


def invoke(*args: str):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("oracle")
    snap = d / "snap.json"
    snap.write_text(json.dumps(small_snapshot()))
    book = d / "book.json"
    assert invoke("riskbook", snap, "-o", book).exit_code == 0
    keys = []
    for i in range(3):
        key = d / f"k{i}.json"
        result = invoke("oracle", "keygen", "-o", key, "--json")
        assert result.exit_code == 0, result.stderr
        keys.append((key, json.loads(result.stdout)["address"]))
    oracles = d / "oracles.json"
    oracles.write_text(json.dumps({"oracles": [a for _, a in keys]}))
    sigs = []
    for i, (key, _) in enumerate(keys):
        sig = d / f"sig{i}.json"
        result = invoke("oracle", "attest", book, "--key", key, "--chain-id", 5,
                        "--verifier", GATE, "-o", sig)
        assert result.exit_code == 0, result.stderr
        sigs.append(sig)
    return {"dir": d, "book": book, "keys": keys, "oracles": oracles, "sigs": sigs}


def test_keygen_is_owner_only_and_never_overwrites(setup, tmp_path):
    key, address = setup["keys"][0]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_text()
    result = invoke("oracle", "keygen", "-o", key)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert key.read_text() == before
    assert invoke("oracle", "address", key).stdout.strip() == address


def test_check_accepts_k_of_n_and_rejects_fewer(setup):
    book, oracles, sigs = setup["book"], setup["oracles"], setup["sigs"]
    base = ["oracle", "check", book, "--oracles", oracles, "--threshold", 2, "--chain-id", 5,
            "--verifier", GATE]
    ok = invoke(*base[:3], sigs[0], sigs[2], *base[3:])
    assert ok.exit_code == 0 and ok.stdout.startswith("accept"), ok.output
    one = invoke(*base[:3], sigs[1], *base[3:], "--json")
    assert one.exit_code == 1 and json.loads(one.stdout)["accept"] is False
    dup = invoke(*base[:3], sigs[1], sigs[1], *base[3:])
    assert dup.exit_code == 1 and "signed twice" in dup.stdout
    other_chain = invoke(*base[:3], sigs[0], sigs[1], *[a if a != 5 else 6 for a in base[3:]])
    assert other_chain.exit_code == 1
    when = RiskBook.load(book).time
    import datetime as dt

    t = int(dt.datetime.fromisoformat(when.replace("Z", "+00:00")).timestamp())
    fresh = invoke(*base[:3], sigs[0], sigs[1], *base[3:], "--max-age", 60, "--now", t + 60)
    assert fresh.exit_code == 0
    stale = invoke(*base[:3], sigs[0], sigs[1], *base[3:], "--max-age", 60, "--now", t + 61)
    assert stale.exit_code == 1 and "stale" in stale.stdout


def test_calldata_of_post_market(setup):
    result = invoke("oracle", "calldata", setup["book"], *setup["sigs"][:2])
    assert result.exit_code == 0
    from eth_utils import keccak

    data = bytes.fromhex(result.stdout.strip()[2:])
    assert data[:4] == keccak(text="postMarket(uint256,uint64,bytes[])")[:4]
    commitment = RiskBook.load(setup["book"]).commitment["market_commitment"]
    assert int.from_bytes(data[4:36], "big") == commitment


def test_bad_input_is_one_line_exit_2(setup, tmp_path):
    bad_key = tmp_path / "bad.json"
    bad_key.write_text('{"format": "zkmargin-oracle-key-1", "private_key": "0x00"}')
    result = invoke("oracle", "address", bad_key)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "private_key" in result.stderr
    result = invoke("oracle", "attest", setup["book"], "--key", setup["keys"][0][0],
                    "--chain-id", 5, "--verifier", "0x12", "-o", tmp_path / "s.json")
    assert result.exit_code == 2 and "verifier" in result.stderr
    assert not (tmp_path / "s.json").exists()
    oracles = tmp_path / "o.json"
    oracles.write_text('{"oracles": []}')
    result = invoke("oracle", "check", setup["book"], setup["sigs"][0], "--oracles", oracles,
                    "--threshold", 1, "--chain-id", 5, "--verifier", GATE)
    assert result.exit_code == 2 and "oracles" in result.stderr


def test_snapshot_aggregate(tmp_path):
    base = json.loads((DATA_DIR / "default.json").read_text())
    paths = []
    for i, spot in enumerate(("95000", "95050", "140000")):
        snap = copy.deepcopy(base)
        snap["underlyings"][0]["spot"] = spot
        p = tmp_path / f"s{i}.json"
        p.write_text(json.dumps(snap))
        paths.append(p)
    out = tmp_path / "agg.json"
    result = invoke("snapshot", "aggregate", *paths, "-o", out, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["left_out"] == [{"field": "underlyings[BTC].spot", "source": str(paths[2]),
                                   "value": "140000", "median": "95050",
                                   "deviation": report["left_out"][0]["deviation"]}]
    assert json.loads(out.read_text())["underlyings"][0]["spot"] == "95000"
    human = invoke("snapshot", "aggregate", *paths, "-o", out)
    assert "left out" in human.stdout and str(paths[2]) in human.stdout
    fail = invoke("snapshot", "aggregate", *paths, "-o", tmp_path / "x.json", "--quorum", 3)
    assert fail.exit_code == 2 and "underlyings[BTC].spot" in fail.stderr
    assert not (tmp_path / "x.json").exists()
    before = paths[0].read_text()
    same = invoke("snapshot", "aggregate", *paths, "-o", paths[0])
    assert same.exit_code == 2 and "input" in same.stderr and paths[0].read_text() == before
