"""Session fixtures: real Groth16 artefacts made with circom2 + snarkjs (pinned node tools).

For each size n in :data:`SIZES` a tiny circuit with exactly n public inputs is compiled,
set up on a power-6 ptau (snarkjs is slow here: keep it tiny), proved, and its vk,
proof, public inputs and snarkjs's exported Solidity verifier are kept in a session
temporary directory.  A real EVM chain with both verifiers deployed is shared too.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_node_tool

SIZES = (1, 3, 5, 10)
DATA = Path(__file__).resolve().parent / "data"

CIRCUIT = """pragma circom 2.0.0;
// n public inputs x[i]; one private w; acc[i+1] = acc[i] * x[i] binds every x.
template Chain(n) {{
    signal input x[n];
    signal input w;
    signal acc[n + 1];
    acc[0] <== w * w;
    for (var i = 0; i < n; i++) {{
        acc[i + 1] <== acc[i] * x[i];
    }}
}}
component main {{public [x]}} = Chain({n});
"""


@dataclass
class Artefacts:
    """One circuit's snarkjs outputs (JSON already loaded)."""

    n: int
    dir: Path
    vk: dict[str, Any]
    proof: dict[str, Any]
    public: list[str]
    snarkjs_solidity: str
    snarkjs_calldata: str


def build_snark(n: int, root: Path, ptau: Path, x_values: list[int] | None = None) -> Artefacts:
    """Public wrapper of :func:`_build` (benchmarks use it with full-size inputs)."""
    return _build(n, root, ptau, x_values)


def make_ptau(root: Path) -> Path:
    """A power-6 ptau with one contribution, prepared for phase 2."""
    run_node_tool("snarkjs", "powersoftau", "new", "bn128", "6", "p0.ptau", cwd=root)
    run_node_tool("snarkjs", "powersoftau", "contribute", "p0.ptau", "p1.ptau", "--name=t",
                  "-e=zkmargin verifier tests", cwd=root)
    run_node_tool("snarkjs", "powersoftau", "prepare", "phase2", "p1.ptau", "p.ptau", cwd=root)
    return root / "p.ptau"


def _build(n: int, root: Path, ptau: Path, x_values: list[int] | None = None) -> Artefacts:
    work = root / f"n{n}"
    work.mkdir()
    (work / "c.circom").write_text(CIRCUIT.format(n=n))
    run_node_tool("circom2", "c.circom", "--r1cs", "--wasm", "-o", ".", cwd=work)
    run_node_tool("snarkjs", "groth16", "setup", "c.r1cs", str(ptau), "c0.zkey", cwd=work)
    run_node_tool("snarkjs", "zkey", "contribute", "c0.zkey", "c.zkey", "--name=t",
                  f"-e=zkmargin verifier test {n}", cwd=work)
    run_node_tool("snarkjs", "zkey", "export", "verificationkey", "c.zkey", "vk.json", cwd=work)
    xs = x_values if x_values is not None else [3 + 2 * i for i in range(n)]
    inputs = {"x": [str(x) for x in xs], "w": "11"}
    (work / "in.json").write_text(json.dumps(inputs))
    import subprocess

    proc = subprocess.run(["node", "c_js/generate_witness.js", "c_js/c.wasm", "in.json", "w.wtns"],
                          cwd=work, capture_output=True, text=True, timeout=300)
    if proc.returncode:
        pytest.fail(f"witness generation failed: {proc.stderr}")
    run_node_tool("snarkjs", "groth16", "prove", "c.zkey", "w.wtns", "proof.json", "public.json",
                  cwd=work)
    run_node_tool("snarkjs", "zkey", "export", "solidityverifier", "c.zkey", "snarkjs.sol", cwd=work)
    calldata = run_node_tool("snarkjs", "zkey", "export", "soliditycalldata", "public.json",
                             "proof.json", cwd=work)
    return Artefacts(n=n, dir=work, vk=json.loads((work / "vk.json").read_text()),
                     proof=json.loads((work / "proof.json").read_text()),
                     public=json.loads((work / "public.json").read_text()),
                     snarkjs_solidity=(work / "snarkjs.sol").read_text(),
                     snarkjs_calldata=calldata.strip())


@pytest.fixture(scope="session")
def snark(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Artefacts]:
    """``{n: Artefacts}`` for every n in SIZES (made once per session, ~20 s)."""
    root = tmp_path_factory.mktemp("snark")
    ptau = make_ptau(root)
    return {n: _build(n, root, ptau) for n in SIZES}


def golden(name: str) -> Any:
    """A golden JSON file from tests/verifier/data."""
    return json.loads((DATA / name).read_text())
