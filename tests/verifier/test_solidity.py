"""verifier.solidity and verifier.calldata: the generated source and the ABI calldata."""
from __future__ import annotations

import json
import re

import pytest

from tests.verifier.conftest import DATA, SIZES, golden
from verifier.calldata import calldata_arguments, encode_calldata, selector
from verifier.errors import VerifierError
from verifier.keys import R, vk_from_json
from verifier.solidity import function_signature, render, render_keyset

def _flat(args: list) -> list[int]:
    """The ABI arguments (nested lists of 0x strings) as a flat list of ints."""
    if isinstance(args, str):
        return [int(args, 16)]
    return [v for a in args for v in _flat(a)]


VK, PROOF, PUBLIC = golden("vk_n3.json"), golden("proof_n3.json"), golden("public_n3.json")


def test_source_bakes_in_the_key_in_evm_order() -> None:
    source = render(VK)
    vk = vk_from_json(VK)
    (x_re, x_im), (y_re, y_im) = vk.delta_g2
    # delta stored imaginary part first, at 0x280..0x2e0
    assert f"mstore(0x280, 0x{x_im:064x})" in source
    assert f"mstore(0x2a0, 0x{x_re:064x})" in source
    assert f"mstore(0x2c0, 0x{y_im:064x})" in source
    assert f"mstore(0x2e0, 0x{y_re:064x})" in source
    for point in vk.gamma_abc_g1:
        assert f"0x{point[0]:064x}" in source and f"0x{point[1]:064x}" in source
    assert "uint256[3] calldata" in source


def test_structure_one_pairing_call_every_input_checked_neg_a_in_contract() -> None:
    source, batch = render(VK).split("function verifyBatch(")
    assert len(re.findall(r"staticcall\(gas\(\), 0x08, 0x00, 0x300", source)) == 1
    assert source.count("staticcall(gas(), 0x07") == 3
    assert len(re.findall(r"iszero\(lt\(s, r\)\)", source)) == 3
    assert "mstore(0x20, mod(sub(" in source and "calldataload(0x24)" in source
    assert "returns (bool accepted)" in source
    for tag in ("@title", "@notice", "@dev", "@return"):
        assert tag in source
    # verifyBatch: calldata hashed once, every input checked, one (B + 3)-pair ecPairing
    assert batch.count("keccak256(0x00, calldatasize())") == 1
    assert len(re.findall(r"iszero\(lt\(s, r\)\)", batch)) == 3
    assert len(re.findall(r"staticcall\(gas\(\), 0x08, 0x00, e, 0x00, 0x20\)", batch)) == 1
    assert "0xffffffffffffffffffffffffffffffff), 1)" in batch  # rho in [1, 2^128 - 1]


def test_keyset_contract_has_every_shape_and_shifted_calldata() -> None:
    other = dict(VK, vk_alpha_1=VK["IC"][1])  # another valid G1 point as alpha
    source = render_keyset([("n4k2", VK), ("n8k2", other)])
    assert "contract ZkmarginKeySetVerifier" in source and "0 = n4k2, 1 = n8k2" in source
    assert source.count("case 0 {") == 2 and source.count("case 1 {") == 2
    assert "calldataload(0x124)" in source and "calldatacopy(0x00, 0x24, 0xc0)" in source
    assert f"0x{int(VK['IC'][1][0]):064x}" in source
    with pytest.raises(VerifierError, match="public-input count"):
        render_keyset([("n4k2", VK), ("n8k2", dict(VK, IC=VK["IC"][:2], nPublic=1))])
    with pytest.raises(VerifierError, match="names repeat"):
        render_keyset([("n4k2", VK), ("n4k2", VK)])
    with pytest.raises(VerifierError, match="1 to 256"):
        render_keyset([])


def test_single_input_uses_the_literal_r() -> None:
    vk = dict(VK, IC=VK["IC"][:2], nPublic=1)
    source = render(vk).split("function verifyBatch(")[0]
    assert "let r :=" not in source
    assert f"iszero(lt(s, 0x{R:064x}))" in source


def test_invalid_keys_are_refused() -> None:
    with pytest.raises(VerifierError, match="at least one public input"):
        render(dict(VK, IC=VK["IC"][:1], nPublic=0))
    with pytest.raises(VerifierError, match="vk IC\\[1\\]"):
        render(dict(VK, IC=[VK["IC"][0], ["1", "3", "1"], *VK["IC"][2:]]))


def test_selector_is_the_snarkjs_abi() -> None:
    assert function_signature(3) == "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[3])"
    assert selector(3).hex() == "11479fea"  # keccak256 of the signature, first 4 bytes


def test_calldata_matches_snarkjs_soliditycalldata_golden() -> None:
    """Our four ABI arguments equal `snarkjs zkey export soliditycalldata` (B imaginary first)."""
    text = (DATA / "calldata_n3.snarkjs.txt").read_text().strip()
    assert _flat(calldata_arguments(PUBLIC, PROOF)) == _flat(json.loads(f"[{text}]"))
    data = encode_calldata(PUBLIC, PROOF)
    assert len(data) == 4 + 32 * (8 + 3)
    assert data[4 + 64: 4 + 96] == int(PROOF["pi_b"][0][1]).to_bytes(32, "big")  # x_im first


@pytest.mark.interop
@pytest.mark.parametrize("n", SIZES)
def test_calldata_matches_fresh_snarkjs(snark: dict, n: int) -> None:
    art = snark[n]
    theirs = json.loads(f"[{art.snarkjs_calldata}]")
    assert _flat(calldata_arguments(art.public, art.proof)) == _flat(theirs)
    assert b"".join(v.to_bytes(32, "big") for v in _flat(theirs)) == \
        encode_calldata(art.public, art.proof)[4:]
