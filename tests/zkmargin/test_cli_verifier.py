"""CLI: zkmargin verify / export-solidity / calldata (exit 0 accept, 1 reject, 2 bad input)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.verifier.conftest import DATA
from zkmargin.cli import main

VK, PUBLIC, PROOF = (str(DATA / f) for f in ("vk_n3.json", "public_n3.json", "proof_n3.json"))


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_verify_accepts_and_exits_0() -> None:
    result = run("verify", VK, PUBLIC, PROOF)
    assert result.exit_code == 0 and result.output.strip() == "accept"


def test_verify_rejects_and_exits_1(tmp_path: Path) -> None:
    public = json.loads(Path(PUBLIC).read_text())
    public[0] = str(int(public[0]) + 1)
    (tmp_path / "public.json").write_text(json.dumps(public))
    result = run("verify", VK, str(tmp_path / "public.json"), PROOF, "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["accept"] is False and "pairing check failed" in report["reason"]


def test_verify_evm_prints_gas_and_calls() -> None:
    result = run("verify", VK, PUBLIC, PROOF, "--evm", "--json")
    assert result.exit_code == 0
    evm = json.loads(result.output)["evm"]
    assert evm["accept"] is True
    assert [c["address"] for c in evm["calls"]] == ["0x07", "0x06"] * 3 + ["0x08"]
    assert evm["gas_used"] == evm["intrinsic_gas"] + evm["execution_gas"]
    human = run("verify", VK, PUBLIC, PROOF, "--evm")
    assert "ecPairing (0x08) 768 bytes, gas 181000 ok" in human.output
    assert f"gas: {evm['gas_used']}" in human.output


@pytest.mark.parametrize("args,message", [
    (("verify", VK, PROOF, PUBLIC), "public inputs: expected a JSON list"),  # swapped order
    (("verify", VK, PUBLIC, "missing.json"), "does not exist"),
])
def test_verify_bad_input_exits_2(args: tuple, message: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2
    assert message in result.output


def test_verify_malformed_json_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "proof.json"
    bad.write_text("{not json")
    result = CliRunner().invoke(main, ["verify", VK, PUBLIC, str(bad)])
    assert result.exit_code == 2 and "proof.json: not valid JSON" in result.output


def test_export_solidity_writes_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "Verifier.sol"
    result = run("export-solidity", VK, "-o", str(out))
    assert result.exit_code == 0 and "3 public inputs" in result.output
    assert "contract ZkmarginGroth16Verifier" in out.read_text()


def test_calldata_prints_abi_hex_and_json() -> None:
    from verifier.calldata import encode_calldata

    result = run("calldata", PUBLIC, PROOF)
    assert result.exit_code == 0
    expected = encode_calldata(json.loads(Path(PUBLIC).read_text()), json.loads(Path(PROOF).read_text()))
    assert result.output.strip() == "0x" + expected.hex()
    args = json.loads(run("calldata", PUBLIC, PROOF, "--json").output)
    assert len(args) == 4 and len(args[3]) == 3
