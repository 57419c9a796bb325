"""The engine's CLI commands: riskbook, margin, demo; every bad input exits 2 with one line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from zkmargin.cli import main

from tests.engine.books import small_snapshot


def make_runner() -> CliRunner:
    """A runner that keeps stderr apart (click < 8.2 needs mix_stderr=False)."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:                      # click >= 8.2 always keeps stderr apart
        return CliRunner()


@pytest.fixture()
def runner() -> CliRunner:
    return make_runner()


@pytest.fixture(scope="module")
def small_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("book") / "book.json"
    snap = tmp_path_factory.mktemp("snap") / "snap.json"
    snap.write_text(json.dumps(small_snapshot()))
    result = make_runner().invoke(main, ["riskbook", str(snap), "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def write(tmp_path: Path, name: str, obj) -> str:
    p = tmp_path / name
    p.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return str(p)


def assert_bad(result, match: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert match in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_riskbook_writes_a_book_with_commitments(small_book, runner, tmp_path) -> None:
    obj = json.loads(small_book.read_text())
    assert obj["version"] == "zkm-1" and int(obj["market_commitment"]) > 0
    assert obj["depth_instruments"] == "3"
    snap = write(tmp_path, "s.json", small_snapshot())
    out = tmp_path / "deep.json"
    res = runner.invoke(main, ["riskbook", snap, "-o", str(out), "--depth-instruments", "5",
                               "--depth-collateral", "2", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    deep = json.loads(out.read_text())
    assert summary["market_commitment"] == deep["market_commitment"] != obj["market_commitment"]
    assert (deep["depth_instruments"], deep["depth_collateral"]) == ("5", "2")
    assert deep["instrument_root"] != obj["instrument_root"]
    assert deep["collateral_root"] != obj["collateral_root"]


def test_margin_human_and_json(runner, small_book, tmp_path) -> None:
    acct = write(tmp_path, "a.json", {"cash": "100", "positions": [
        {"instrument": "AAA-PERP", "qty": "1"}, {"instrument": "AAA-C", "qty": "-2"}],
        "collateral": [{"asset": "AAA", "amount": "0.5"}]})
    res = runner.invoke(main, ["margin", acct, "--riskbook", str(small_book)])
    assert res.exit_code == 0, res.output
    assert "maintenance (MM)" in res.output and "status" in res.output and "AAA" in res.output
    res = runner.invoke(main, ["margin", acct, "--riskbook", str(small_book), "--json"])
    report = json.loads(res.output)
    for field in ("equity", "collateral_value", "position_value", "scan_loss", "es", "som", "cont",
                  "mm", "im", "excess", "isolated_mm", "netting_benefit", "worst_scenario"):
        int(report[field])
    assert report["status"] in ("liquidatable", "restricted", "healthy")
    assert len(report["losses"]) == 23 and "AAA" in report["greeks"]
    snap = write(tmp_path, "s.json", small_snapshot())
    again = runner.invoke(main, ["margin", acct, "--market", snap, "--json"])
    assert json.loads(again.output) == report


@pytest.mark.slow
def test_bundled_names_and_demo(runner) -> None:
    res = runner.invoke(main, ["margin", "covered_call", "--market", "default"])
    assert res.exit_code == 0 and "covered_call" in res.output and "cross saves" in res.output
    res = runner.invoke(main, ["margin", "pair_trade", "--market", "default", "--scenarios"])
    assert res.exit_code == 0, res.output
    table = res.output.split("  scenario\n", 1)[1].splitlines()
    assert len(table) == 30 and "<- worst" in table[18] and "decorrelation" in table[18]
    assert "historical" in table[22] and "crash" in table[22]
    res = runner.invoke(main, ["demo", "--no-prove"])
    assert res.exit_code == 0, res.output
    for name in ("straddle_hedged", "eth_collateral_long", "liquidatable", "pair_trade"):
        assert name in res.output


BAD_ACCOUNTS = [
    ({"cash": "1", "positions": [{"instrument": "NOPE", "qty": "1"}]}, "unknown instrument 'NOPE'"),
    ({"cash": "1", "positions": [{"instrument": "AAA-PERP", "qty": "1.000000001"}]},
     "positions[0].qty"),
    ({"cash": "1", "positions": [{"instrument": "AAA-PERP", "qty": 1.5}]}, "positions[0].qty"),
    ({"cash": "1", "positions": [{"instrument": "AAA-PERP", "qty": "92233720368.54775808"}]},
     "positions[0].qty: out of range"),
    ({"cash": "1", "positions": [], "collateral": [{"asset": "AAA", "amount": "-1"}]},
     "collateral[0].amount: must not be negative"),
    ({"cash": "1", "positions": [], "collateral": [{"asset": "AAA", "amount": "184467440737.09551616"}]},
     "collateral[0].amount: out of range"),
    ({"cash": "1", "positions": [], "collateral": [{"asset": "GOLD", "amount": "1"}]},
     "unknown collateral asset"),
    ({"cash": "396140812571321687967719751680", "positions": []}, "cash: out of range"),
    ({"cash": "abc", "positions": []}, "cash: not a decimal"),
    ({"positions": []}, "cash: missing"),
    ({"cash": "1"}, "positions: missing"),
    ({"cash": "1", "positions": [{"qty": "1"}]}, "positions[0].instrument: missing"),
    ({"cash": "1", "positions": [], "salt": "x"}, "salt"),
    ([1, 2], "expected a JSON object"),
]


@pytest.mark.parametrize("account,match", BAD_ACCOUNTS)
def test_bad_accounts(runner, small_book, tmp_path, account, match) -> None:
    acct = write(tmp_path, "bad.json", account)
    assert_bad(runner.invoke(main, ["margin", acct, "--riskbook", str(small_book)]), match)


def test_bad_margin_inputs(runner, small_book, tmp_path) -> None:
    acct = write(tmp_path, "a.json", {"cash": "1", "positions": []})
    assert_bad(runner.invoke(main, ["margin", acct]), "exactly one of --riskbook")
    assert_bad(runner.invoke(main, ["margin", acct, "--riskbook", str(small_book),
                                    "--market", "default"]), "exactly one of --riskbook")
    assert_bad(runner.invoke(main, ["margin", str(tmp_path / "missing.json"), "--market",
                                    "default"]), "no such file")
    assert_bad(runner.invoke(main, ["margin", write(tmp_path, "t.json", "{not json"),
                                    "--market", "default"]), "not valid JSON")
    assert_bad(runner.invoke(main, ["margin", acct, "--market", "nosuchmarket"]), "no such file")
    book = json.loads(small_book.read_text())
    book["version"] = "zkm-0"
    assert_bad(runner.invoke(main, ["margin", acct, "--riskbook", write(tmp_path, "b.json", book)]),
               "unsupported risk book version")
    book = json.loads(small_book.read_text())
    book["instruments"][2]["risk"] = book["instruments"][2]["risk"][:5]
    assert_bad(runner.invoke(main, ["margin", acct, "--riskbook", write(tmp_path, "b.json", book)]),
               "risk: expected 23 values")
    book = json.loads(small_book.read_text())
    book["collateral"][0]["haircut"] = "1e3"
    assert_bad(runner.invoke(main, ["margin", acct, "--riskbook", write(tmp_path, "b.json", book)]),
               "collateral[0].haircut")


BAD_SNAPSHOTS = [
    (small_snapshot(version="zkm-snapshot-0"), "unsupported snapshot version"),
    (small_snapshot(time="noon"), "time"),
    (small_snapshot(underlyings=[{"symbol": "AAA", "spot": "0", "vol": "0.5"}]),
     "underlyings[0].spot: must be positive"),
    (small_snapshot(underlyings=[{"symbol": "AAA", "spot": "1.123456789", "vol": "0.5"}]),
     "fractional digits"),
    (small_snapshot(underlyings=[{"symbol": "AAA", "spot": "92233720368.54775808", "vol": "0.5"}]),
     "underlyings[0].spot: out of range"),
    (small_snapshot(params={"es_k": "0"}), "es_k"),
    (small_snapshot(historical=[{"label": "x", "returns": {"AAA": "-1", "BBB": "0"}}]),
     "must be > -1"),
    ("[]", "expected a JSON object"),
    ("{", "not valid JSON"),
]


@pytest.mark.parametrize("snap,match", BAD_SNAPSHOTS)
def test_bad_snapshots(runner, tmp_path, snap, match) -> None:
    out = tmp_path / "book.json"
    src = write(tmp_path, "snap.json", snap)
    assert_bad(runner.invoke(main, ["riskbook", src, "-o", str(out)]), match)
    assert not out.exists()
    assert_bad(runner.invoke(main, ["margin", "covered_call", "--market", src]), match)


def test_bad_riskbook_outputs(runner, tmp_path) -> None:
    src = write(tmp_path, "snap.json", small_snapshot())
    assert_bad(runner.invoke(main, ["riskbook", src, "-o", str(tmp_path / "no" / "dir.json")]),
               "dir.json: the output directory does not exist")
    assert not (tmp_path / "no").exists()
    out = tmp_path / "book.json"
    assert_bad(runner.invoke(main, ["riskbook", src, "-o", str(out), "--depth-instruments", "2"]),
               "depth_instruments")
    assert not out.exists()
    assert_bad(runner.invoke(main, ["riskbook", str(tmp_path / "none.json"), "-o", str(out)]),
               "no such file")
    assert not out.exists()
    res = runner.invoke(main, ["riskbook", src])              # -o is required: click usage error
    assert res.exit_code == 2 and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap.json"]   # no temp files left
