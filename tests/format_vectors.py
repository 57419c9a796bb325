"""Golden files for every format, made by circom/snarkjs and by us (``tests/vectors/formats``).

The circuit is tiny (``tiny.circom``: y = x^3 + 5 k, x private, k public; two
constraints, a power-3 ceremony), so every file is a few kilobytes.

    python -m tests.format_vectors      # rewrite the files (needs the node tools of tests/js)

Made by circom2 / snarkjs 0.7.6 (the pinned tools):

- ``circom.r1cs`` (``circom2 tiny.circom --r1cs``);
- ``snarkjs.vk.json`` (``zkey export verificationkey``), ``snarkjs.proof.json`` /
  ``snarkjs.public.json`` (``groth16 prove``), ``snarkjs.calldata.txt`` (``zkey export
  soliditycalldata`` of that proof);
- not kept, pinned by SHA-256 (:data:`THEIR_SHA256`): ``circom.wtns`` (circom's wasm
  witness generator on ``input.json``) and ``snarkjs.zkey`` (``snarkjs zkey new
  circom.r1cs dev.ptau``).  Our writers make the very same bytes (:func:`circom_witness`
  with ``write_wtns``, our setup), so the tests remake both with our code and check the
  hashes; the interop tests have circom and snarkjs remake them and check the same
  hashes.

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
#: binary files that circom2 / snarkjs make and that are not kept: their bytes' hashes
THEIR_SHA256 = {
    "circom.wtns": "792eac89801eb485cbfbb7accdcf00fa79e9f43e703dfbabd9be0ee482f1b554",
    "snarkjs.zkey": "af49cf83cc13949384234bb4d8b5f7358ce73fa23bc37c4e673cdd05425fda87",
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


def circom_witness() -> list[int]:
    """circom's witness of ``tiny.circom`` on ``input.json``, in circom's wire order: the
    constant 1, the output y, the public input k, the private input x, then x^2."""
    return [1, X**3 + 5 * K, K, X, X * X]


def remake_theirs(ptau: Path, directory: Path) -> tuple[Path, Path]:
    """``circom.wtns`` and ``snarkjs.zkey`` written into ``directory`` by our code (the
    same bytes as circom's and snarkjs's, see :data:`THEIR_SHA256`)."""
    from circuits.r1cs import write_wtns
    from prover.files import setup_files

    wtns, zkey = directory / "circom.wtns", directory / "snarkjs.zkey"
    write_wtns(wtns, circom_witness())
    setup_files(DIR / "circom.r1cs", ptau, zkey)
    return wtns, zkey


def json_text(obj: object) -> str:
    """Our JSON file layout (what the CLI writes): one-space indent, final newline."""
    return json.dumps(obj, indent=1) + "\n"


def dev_ptau(directory: Path) -> Path:
    """The development ceremony of the golden files, written into ``directory``."""
    from prover.ceremony import dev_ceremony

    path = directory / "dev.ptau"
    dev_ceremony(path, PTAU_POWER, seed=PTAU_SEED)
    return path


def ours(ptau: Path, wtns: Path, directory: Path = DIR) -> None:
    """Write every kept file made by us (the key goes beside ``ptau``; ``wtns``:
    circom's witness)."""
    from circuits.r1cs import write_r1cs
    from prover.files import setup_files
    from prover.prove import prove_files
    from verifier.calldata import encode_calldata

    write_r1cs(directory / "ours.r1cs", tiny_builder().to_r1cs())
    zkey = ptau.parent / "ours.zkey"
    setup_files(directory / "circom.r1cs", ptau, zkey, directory / "ours.vk.json")
    proof = prove_files(zkey, wtns, PROOF_R, PROOF_S)
    (directory / "ours.proof.json").write_text(json_text(proof.to_json()))
    (directory / "ours.public.json").write_text(json_text(proof.public_json()))
    data = encode_calldata(proof.public_json(), proof.to_json())
    (directory / "ours.calldata.hex").write_text("0x" + data.hex() + "\n")


def _tool(name: str, *args: str, cwd: Path) -> str:
    proc = subprocess.run([str(JS_DIR / "node_modules" / ".bin" / name), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=True)
    return proc.stdout


def circom_witness_file(work: Path, directory: Path = DIR) -> Path:
    """circom's witness of ``tiny.circom`` on ``input.json``: circom2 compiles the circuit
    to wasm in ``work`` and its witness generator writes ``work/circom.wtns``."""
    shutil.copy(directory / "tiny.circom", work)
    _tool("circom2", "tiny.circom", "--r1cs", "--wasm", "-o", ".", cwd=work)
    subprocess.run(["node", "tiny_js/generate_witness.js", "tiny_js/tiny.wasm",
                    str(directory / "input.json"), "circom.wtns"], cwd=work, check=True,
                   capture_output=True, timeout=300)
    return work / "circom.wtns"


def theirs(ptau: Path, work: Path, directory: Path = DIR) -> Path:
    """Write every kept file made by circom2 / snarkjs (the key on ``ptau``); the witness
    and the key are made in ``work``.  Returns circom's witness."""
    wtns = circom_witness_file(work, directory)
    shutil.copy(work / "tiny.r1cs", directory / "circom.r1cs")
    zkey = work / "snarkjs.zkey"
    _tool("snarkjs", "zkey", "new", str(directory / "circom.r1cs"), str(ptau), str(zkey),
          cwd=work)
    _tool("snarkjs", "zkey", "export", "verificationkey", str(zkey), "snarkjs.vk.json",
          cwd=directory)
    _tool("snarkjs", "groth16", "prove", str(zkey), str(wtns), "snarkjs.proof.json",
          "snarkjs.public.json", cwd=directory)
    calldata = _tool("snarkjs", "zkey", "export", "soliditycalldata", "snarkjs.public.json",
                     "snarkjs.proof.json", cwd=directory)
    (directory / "snarkjs.calldata.txt").write_text(calldata)
    return wtns


def main() -> int:
    """Regenerate: the ceremony first (snarkjs's key is made on it), circom, then ours;
    print the hashes of the files that are pinned rather than kept."""
    import hashlib

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ptau = dev_ptau(work)
        wtns = theirs(ptau, work)
        ours(ptau, wtns)
        for name in sorted(THEIR_SHA256):
            print(f"{name}: {hashlib.sha256((work / name).read_bytes()).hexdigest()}")
    for path in sorted(DIR.iterdir()):
        print(f"{path.stat().st_size:6d}  {path.relative_to(VECTORS.parent.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
