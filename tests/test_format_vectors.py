"""Our readers and writers against golden files of every format (tests/vectors/formats).

Binary iden3 files (.r1cs, .wtns, .zkey, .ptau) are a header plus typed sections.  Our
.zkey and .wtns are snarkjs's bytes exactly; the binary files our code makes from fixed
seeds (the ceremony, our witness and key) are remade here and pinned by SHA-256, only
those made by circom/snarkjs are kept; circom writes the .r1cs constraints section
before the header section, so a circom .r1cs is compared section by section (every
section's bytes identical), and every file made by us is compared whole, byte for byte.  JSON files are compared as bytes: ours are snarkjs's
bytes plus a final newline.  ``tests/format_vectors.py`` says how each file was made;
the interop tests at the end remake snarkjs's deterministic files and check that
snarkjs accepts ours.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from circuits.r1cs import r1cs_bytes, read_r1cs, read_wtns, wtns_bytes
from tests.conftest import run_node_tool
from tests.format_vectors import (DIR, OUR_SHA256, PROOF_R, PROOF_S, THEIR_SHA256,
                                  circom_witness, circom_witness_file, dev_ptau, json_text,
                                  remake_theirs, tiny_builder)


def golden(name: str) -> bytes:
    """The bytes of one golden file."""
    return (DIR / name).read_bytes()


def sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def ptau(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden files' development ceremony, remade (its bytes pinned by OUR_SHA256)."""
    return dev_ptau(tmp_path_factory.mktemp("ptau"))


@pytest.fixture(scope="module")
def their_files(tmp_path_factory: pytest.TempPathFactory, ptau: Path) -> tuple[Path, Path]:
    """circom's witness and snarkjs's key, remade by our writers (hashes checked below)."""
    return remake_theirs(ptau, tmp_path_factory.mktemp("theirs"))


def sections(data: bytes) -> dict[int, bytes]:
    """{section type: body} of an iden3 binary file (magic, version, count, sections)."""
    (count,) = struct.unpack_from("<I", data, 8)
    out, pos = {}, 12
    for _ in range(count):
        kind, size = struct.unpack_from("<IQ", data, pos)
        assert kind not in out, f"section {kind} twice"
        out[kind] = data[pos + 12:pos + 12 + size]
        pos += 12 + size
    assert pos == len(data), "trailing bytes after the last section"
    return out


def same_sections(ours: bytes, theirs: bytes) -> None:
    """Same magic and version, and every section byte-identical."""
    assert ours[:8] == theirs[:8]
    a, b = sections(ours), sections(theirs)
    assert sorted(a) == sorted(b)
    for kind in a:
        assert a[kind] == b[kind], f"section {kind} differs"


# --- .r1cs / .wtns -----------------------------------------------------------------------

def test_circom_r1cs_and_wtns_read_and_rewrite(their_files: tuple[Path, Path]) -> None:
    r1cs, w = read_r1cs(DIR / "circom.r1cs"), read_wtns(their_files[0])
    assert (r1cs.n_wires, r1cs.n_constraints, r1cs.n_public) == (5, 2, 2)
    assert r1cs.is_satisfied(w) and w[:3] == [1, 3**3 + 5 * 7, 7] and w == circom_witness()
    same_sections(r1cs_bytes(r1cs), golden("circom.r1cs"))
    assert sha256(wtns_bytes(w)) == THEIR_SHA256["circom.wtns"]
    assert their_files[0].read_bytes() == wtns_bytes(w)


def test_our_r1cs_and_wtns_are_the_golden_bytes(tmp_path: Path) -> None:
    from circuits.r1cs import write_wtns

    b = tiny_builder()
    assert r1cs_bytes(b.to_r1cs()) == golden("ours.r1cs")
    assert sha256(wtns_bytes(b.witness())) == OUR_SHA256["ours.wtns"]
    assert tiny_builder(values=False).to_r1cs() == read_r1cs(DIR / "ours.r1cs")
    write_wtns(tmp_path / "ours.wtns", b.witness())
    assert read_r1cs(DIR / "ours.r1cs").is_satisfied(read_wtns(tmp_path / "ours.wtns"))


# --- .ptau / .zkey / vk --------------------------------------------------------------------

def test_dev_ceremony_is_the_golden_ptau(ptau: Path) -> None:
    assert sha256(ptau.read_bytes()) == OUR_SHA256["dev.ptau"]


def test_setup_writes_snarkjs_zkey_and_vk_bytes(tmp_path: Path, ptau: Path) -> None:
    from prover.files import setup_files

    setup_files(DIR / "circom.r1cs", ptau, tmp_path / "k.zkey", tmp_path / "vk.json")
    assert sha256((tmp_path / "k.zkey").read_bytes()) == THEIR_SHA256["snarkjs.zkey"]
    assert (tmp_path / "vk.json").read_bytes() == golden("ours.vk.json")
    assert golden("ours.vk.json") == golden("snarkjs.vk.json") + b"\n"


def test_snarkjs_zkey_read_and_rewritten(tmp_path: Path, their_files: tuple[Path, Path]
                                         ) -> None:
    from prover.files import save_zkey
    from prover.formats import verification_key_json
    from prover.zkey import read_zkey

    zkey = their_files[1]
    assert sha256(zkey.read_bytes()) == THEIR_SHA256["snarkjs.zkey"]
    z = read_zkey(zkey)
    save_zkey(tmp_path / "again.zkey", z)
    assert (tmp_path / "again.zkey").read_bytes() == zkey.read_bytes()
    assert json_text(verification_key_json(z)).encode() == golden("snarkjs.vk.json") + b"\n"


# --- proofs and public inputs ----------------------------------------------------------------

def test_proof_with_fixed_randomness_is_the_golden_bytes(their_files: tuple[Path, Path]
                                                         ) -> None:
    from prover.prove import prove_files

    wtns, zkey = their_files
    proof = prove_files(zkey, wtns, PROOF_R, PROOF_S)
    assert json_text(proof.to_json()).encode() == golden("ours.proof.json")
    assert json_text(proof.public_json()).encode() == golden("ours.public.json")
    assert golden("ours.public.json") == golden("snarkjs.public.json") + b"\n"


def test_snarkjs_proof_rewritten_and_both_proofs_verify() -> None:
    from verifier.groth16 import verify
    from verifier.keys import load_proof, load_public, load_vk, proof_to_json

    vk = load_vk(DIR / "snarkjs.vk.json")
    theirs = load_proof(DIR / "snarkjs.proof.json")
    assert json_text(proof_to_json(theirs)).encode() == golden("snarkjs.proof.json") + b"\n"
    public = load_public(DIR / "snarkjs.public.json")
    assert verify(vk, public, theirs)
    assert verify(vk, load_public(DIR / "ours.public.json"), load_proof(DIR / "ours.proof.json"))
    assert not verify(vk, [public[0], public[1] + 1], theirs)


# --- calldata ----------------------------------------------------------------------------

def _words(hex_text: str) -> list[int]:
    body = bytes.fromhex(hex_text.strip().removeprefix("0x"))[4:]
    return [int.from_bytes(body[i:i + 32], "big") for i in range(0, len(body), 32)]


def _flat(value: object) -> list[int]:
    if isinstance(value, list):
        return [x for v in value for x in _flat(v)]
    return [int(str(value), 16)]


def test_calldata_bytes() -> None:
    from verifier.calldata import encode_calldata

    def calldata(prefix: str) -> str:
        public = json.loads(golden(f"{prefix}.public.json"))
        proof = json.loads(golden(f"{prefix}.proof.json"))
        return "0x" + encode_calldata(public, proof).hex() + "\n"

    assert calldata("ours") == golden("ours.calldata.hex").decode()
    theirs = json.loads("[" + golden("snarkjs.calldata.txt").decode() + "]")
    assert _words(calldata("snarkjs")) == _flat(theirs)


# --- snarkjs remakes its own files and accepts ours ------------------------------------------

@pytest.mark.interop
def test_snarkjs_remakes_its_golden_files_and_accepts_ours(tmp_path: Path, ptau: Path) -> None:
    from circuits.r1cs import write_wtns
    from prover.files import setup_files

    d = str(DIR)
    run_node_tool("snarkjs", "zkey", "new", f"{d}/circom.r1cs", str(ptau), "k.zkey",
                  cwd=tmp_path)
    assert sha256((tmp_path / "k.zkey").read_bytes()) == THEIR_SHA256["snarkjs.zkey"]
    setup_files(DIR / "circom.r1cs", ptau, tmp_path / "ours.zkey")
    run_node_tool("snarkjs", "zkey", "export", "verificationkey", "ours.zkey", "vk.json",
                  cwd=tmp_path)
    assert (tmp_path / "vk.json").read_bytes() == golden("snarkjs.vk.json")
    out = run_node_tool("snarkjs", "groth16", "verify", f"{d}/snarkjs.vk.json",
                        f"{d}/ours.public.json", f"{d}/ours.proof.json", cwd=tmp_path)
    assert "OK" in out
    write_wtns(tmp_path / "ours.wtns", tiny_builder().witness())
    assert "WITNESS IS CORRECT" in run_node_tool("snarkjs", "wtns", "check", f"{d}/ours.r1cs",
                                                 "ours.wtns", cwd=tmp_path)
    calldata = run_node_tool("snarkjs", "zkey", "export", "soliditycalldata",
                             f"{d}/ours.public.json", f"{d}/ours.proof.json", cwd=tmp_path)
    assert _flat(json.loads(f"[{calldata}]")) == _words(golden("ours.calldata.hex").decode())


@pytest.mark.interop
def test_circom_remakes_its_golden_r1cs_and_witness(tmp_path: Path) -> None:
    wtns = circom_witness_file(tmp_path)
    assert (tmp_path / "tiny.r1cs").read_bytes() == golden("circom.r1cs")
    assert sha256(wtns.read_bytes()) == THEIR_SHA256["circom.wtns"]
    assert read_wtns(wtns) == circom_witness()
