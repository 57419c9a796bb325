"""Golden files for every format, made by circom/snarkjs and by us (``tests/vectors/formats``).

The circuit is tiny (``tiny.circom``: y = x^3 + 5 k, x private, k public; two
constraints, a power-3 ceremony), so every file is a few kilobytes.

    python -m tests.format_vectors      # rewrite the files (needs the node tools of tests/js)

Made by circom2 / snarkjs 0.7.6 (the pinned tools):

- ``circom.r1cs`` (``circom2 tiny.circom --r1cs``), ``circom.wtns`` (its wasm witness
  generator on ``input.json``);
- ``snarkjs.zkey`` (``snarkjs zkey new circom.r1cs dev.ptau``), ``snarkjs.vk.json``
  (``zkey export verificationkey``), ``snarkjs.proof.json`` / ``snarkjs.public.json``
  (``groth16 prove snarkjs.zkey circom.wtns``), ``snarkjs.calldata.txt`` (``zkey export
  soliditycalldata`` of that proof).

Made by us (deterministic: fixed seeds and proof randomness):

- ``ours.r1cs``: the same function written with :class:`circuits.Builder`;
- ``ours.vk.json``: our setup of ``circom.r1cs`` on the development ptau (the key is the
  same bytes as ``snarkjs.zkey``, the vk is ``snarkjs.vk.json`` plus a final newline);
- ``ours.proof.json`` / ``ours.public.json``: our proof of ``circom.wtns`` under
  ``ours.zkey`` with r = :data:`PROOF_R`, s = :data:`PROOF_S`;
- ``ours.calldata.hex``: ``zkmargin calldata`` of that proof (selector and ABI words).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import JS_DIR, VECTORS

DIR = VECTORS / "formats"
#: binary files that our own code makes from fixed seeds are remade by the tests, not
#: kept: the development ceremony (power 3, seed :data:`PTAU_SEED`), the builder's
#: witness, and our zkey (which is ``snarkjs.zkey``'s bytes); these pin their bytes
OUR_SHA256 = {
    "dev.ptau": "d57890c6401b35c6bc810ca28fef62160de125da3258604cbe91b929f70f37d8",
    "ours.wtns": "452bf03097dd713dae25edaf5d7b560817926b00ad68693236f30a3afcc74346",
}
PTAU_POWER = 3
PTAU_SEED = 3
PROOF_R, PROOF_S = 1234567, 7654321
X, K = 3, 7


def tiny_builder(values: bool = True):
    """y = x^3 + 5 k with circuits.Builder (public output y, public input k, private x)."""
    from circuits.builder import Builder

    b = Builder(with_values=values)
    y = b.public_output("y")
    k = b.public_input("k", K if values else None)
    x = b.private_input("x", X if values else None)
    x2 = b.mul(x, x, "x2")
    b.assign_output(y, b.mul(x2, x, "x3") + k * 5)
    return b


def json_text(obj: object) -> str:
    """Our JSON file layout (what the CLI writes): one-space indent, final newline."""
    return json.dumps(obj, indent=1) + "\n"


def dev_ptau(directory: Path) -> Path:
    """The development ceremony of the golden files, written into ``directory``."""
    from prover.ceremony import dev_ceremony

    path = directory / "dev.ptau"
    dev_ceremony(path, PTAU_POWER, seed=PTAU_SEED)
    return path


def ours(ptau: Path, directory: Path = DIR) -> None:
    """Write every kept file made by us (the key goes beside ``ptau``)."""
    from circuits.r1cs import write_r1cs
    from prover.files import setup_files
    from prover.prove import prove_files
    from verifier.calldata import encode_calldata

    write_r1cs(directory / "ours.r1cs", tiny_builder().to_r1cs())
    zkey = ptau.parent / "ours.zkey"
    setup_files(directory / "circom.r1cs", ptau, zkey, directory / "ours.vk.json")
    proof = prove_files(zkey, directory / "circom.wtns", PROOF_R, PROOF_S)
    (directory / "ours.proof.json").write_text(json_text(proof.to_json()))
    (directory / "ours.public.json").write_text(json_text(proof.public_json()))
    data = encode_calldata(proof.public_json(), proof.to_json())
    (directory / "ours.calldata.hex").write_text("0x" + data.hex() + "\n")


def _tool(name: str, *args: str, cwd: Path) -> str:
    proc = subprocess.run([str(JS_DIR / "node_modules" / ".bin" / name), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=True)
    return proc.stdout


def theirs(ptau: Path, directory: Path = DIR) -> None:
    """Write every file made by circom2 / snarkjs (the key on ``ptau``)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(directory / "tiny.circom", work)
        _tool("circom2", "tiny.circom", "--r1cs", "--wasm", "-o", ".", cwd=work)
        subprocess.run(["node", "tiny_js/generate_witness.js", "tiny_js/tiny.wasm",
                        str(directory / "input.json"), "w.wtns"], cwd=work, check=True,
                       capture_output=True, timeout=300)
        shutil.copy(work / "tiny.r1cs", directory / "circom.r1cs")
        shutil.copy(work / "w.wtns", directory / "circom.wtns")
    d = str(directory)
    _tool("snarkjs", "zkey", "new", "circom.r1cs", str(ptau), "snarkjs.zkey", cwd=directory)
    _tool("snarkjs", "zkey", "export", "verificationkey", "snarkjs.zkey", "snarkjs.vk.json",
          cwd=directory)
    _tool("snarkjs", "groth16", "prove", "snarkjs.zkey", "circom.wtns", "snarkjs.proof.json",
          "snarkjs.public.json", cwd=directory)
    calldata = _tool("snarkjs", "zkey", "export", "soliditycalldata", "snarkjs.public.json",
                     "snarkjs.proof.json", cwd=Path(d))
    (directory / "snarkjs.calldata.txt").write_text(calldata)


def main() -> int:
    """Regenerate: the ceremony first (snarkjs's key is made on it), circom, then ours."""
    with tempfile.TemporaryDirectory() as tmp:
        ptau = dev_ptau(Path(tmp))
        theirs(ptau)
        ours(ptau)
    for path in sorted(DIR.iterdir()):
        print(f"{path.stat().st_size:6d}  {path.relative_to(VECTORS.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
