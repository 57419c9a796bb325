"""CLI: verify --batch --keys KEYSET DIR..., export-solidity --keys, calldata --batch."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.verifier.batch_fixtures import make_items, make_key, write_keyset, write_proof_dir
from tests.verifier.test_batch import tamper
from verifier.calldata import encode_batch_calldata
from verifier.onchain import verify_onchain_batch
from zkmargin.cli import main


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("batchcli")
    small, large = make_key(5, variant=2), make_key(5)
    keyset = write_keyset(root / "keys", [("n4k2", small), ("n8k2", large)])
    small_items, large_items = make_items(small, 2, seed=3), make_items(large, 3, seed=4)
    dirs = [write_proof_dir(root / f"s{j}", keyset, "n4k2", it) for j, it in enumerate(small_items)]
    dirs += [write_proof_dir(root / f"l{j}", keyset, "n8k2", it) for j, it in enumerate(large_items)]
    bad = write_proof_dir(root / "bad", keyset, "n8k2", tamper(large_items[0], "C"))
    return {"keyset": keyset, "dirs": dirs, "bad": bad, "large": large, "large_items": large_items}


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_verify_batch_accepts_every_shape_with_gas(work: dict) -> None:
    result = run("verify", "--batch", "--keys", work["keyset"], *work["dirs"], "--evm", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["accept"] and [p["shape"] for p in report["proofs"]] == ["n4k2"] * 2 + ["n8k2"] * 3
    large = report["shapes"]["n8k2"]
    assert large["shape_index"] == 1 and large["count"] == 3 and large["evm"]["accept"]
    expected = verify_onchain_batch(work["large"].vk, work["large_items"], shape=1)
    assert large["evm"]["gas_used"] == expected.gas_used
    human = run("verify", "--batch", "--keys", work["keyset"], *work["dirs"])
    assert human.exit_code == 0 and human.output.strip().endswith("accept")


def test_verify_batch_names_the_failing_directory(work: dict) -> None:
    result = run("verify", "--batch", "--keys", work["keyset"], *work["dirs"], work["bad"], "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    failing = [p["dir"] for p in report["proofs"] if not p["accept"]]
    assert failing == [str(work["bad"])]
    assert "pairing check failed" in report["proofs"][-1]["reason"]


@pytest.mark.parametrize("args,message", [
    (("verify", "--batch"), "--batch needs --keys"),
    (("calldata", "--batch"), "proof directories"),
])
def test_usage_errors_exit_2(work: dict, args: tuple, message: str) -> None:
    result = run(*args, *work["dirs"][:1]) if args[0] == "verify" else run(*args)
    assert result.exit_code == 2 and message in result.output


def test_calldata_batch_single_key_and_keyset_forms(work: dict) -> None:
    dirs = work["dirs"][2:]
    result = run("calldata", "--batch", *dirs)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0x" + encode_batch_calldata(work["large_items"], 5).hex()
    keyed = run("calldata", "--batch", "--keys", work["keyset"], *dirs)
    assert keyed.output.strip() == "0x" + encode_batch_calldata(work["large_items"], 5, 1).hex()
    args = json.loads(run("calldata", "--batch", "--json", *dirs).output)
    assert len(args) == 2 and len(args[0]) == 3 and len(args[0][0]) == 8 and len(args[1][0]) == 5
    mixed = run("calldata", "--batch", *work["dirs"])
    assert mixed.exit_code == 2 and "one shape" in mixed.output


def test_export_solidity_keyset(work: dict, tmp_path: Path) -> None:
    out = tmp_path / "Verifier.sol"
    result = run("export-solidity", "--keys", work["keyset"], "-o", out)
    assert result.exit_code == 0, result.output
    source = out.read_text()
    assert "contract ZkmarginKeySetVerifier" in source and "0 = n4k2, 1 = n8k2" in source
    assert "function verifyBatch(" in source and "uint8 shape" in source
    both = run("export-solidity", "--keys", work["keyset"], work["dirs"][0] / "public.json", "-o", out)
    assert both.exit_code == 2
