"""Session-scoped ceremony artefacts for the prover tests (made once per run)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from circuits import R1CS
from prover.encoding import R
from tests.conftest import run_node_tool


def toy_circuit(n_mul: int = 6) -> tuple[R1CS, list[int]]:
    """out = x^(2^n_mul) + 5 y, with public out and y: wires 0 one, 1 out, 2 y,
    3 x, 4.. squares.  Returns (r1cs, witness)."""
    x, y = 3, 11
    cons, w = [], [1, 0, y, x]
    prev = 3
    for i in range(n_mul):
        w.append(w[prev] * w[prev] % R)
        cons.append(({prev: 1}, {prev: 1}, {len(w) - 1: 1}))
        prev = len(w) - 1
    out = (w[prev] + 5 * y) % R
    w[1] = out
    # (sq + 5 y) * 1 = out, with a non-trivial coefficient and a multi-term row
    cons.append(({prev: 1, 2: 5}, {0: 1}, {1: 1}))
    cons.append(({2: 2, 3: R - 1}, {3: 7}, {3: 7 * (2 * y - x) % R}))
    return R1CS(R, len(w), 1, 1, len(w) - 3, len(w), cons), w


@pytest.fixture(scope="session")
def dev_ptau(tmp_path_factory) -> Path:
    from prover.ceremony import dev_ceremony

    path = tmp_path_factory.mktemp("ptau") / "dev5.ptau"
    dev_ceremony(path, 5, seed=2024)
    return path


# --- circom / snarkjs artefacts shared by test_interop.py and test_vk_alphabeta.py ---
CIRCUIT = """pragma circom 2.0.0;
template Chain(n) {
    signal input x;
    signal input k;
    signal input y;
    signal output out;
    signal acc[n + 1];
    acc[0] <== x;
    for (var i = 0; i < n; i++) {
        acc[i + 1] <== acc[i] * acc[i] + k * (i + 1);
    }
    out <== acc[n] * y + 3 * x;
}
component main {public [k]} = Chain(8);
"""


BEACON = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"


@pytest.fixture(scope="session")
def circom(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("circom")
    (d / "chain.circom").write_text(CIRCUIT)
    run_node_tool("circom2", "chain.circom", "--r1cs", "--wasm", "-o", ".", cwd=d)
    (d / "input.json").write_text(json.dumps({"x": 3, "k": 7, "y": 5}))
    proc = subprocess.run(["node", "chain_js/generate_witness.js", "chain_js/chain.wasm",
                           "input.json", "chain.wtns"], cwd=d, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return d


@pytest.fixture(scope="session")
def snarkjs_keys(circom) -> Path:
    """snarkjs's own ceremony (power 5) and a contributed Groth16 key."""
    d = circom
    run_node_tool("snarkjs", "powersoftau", "new", "bn128", "5", "pot0.ptau", cwd=d)
    run_node_tool("snarkjs", "powersoftau", "contribute", "pot0.ptau", "pot1.ptau",
                  "--name=t", "-e=interop entropy", cwd=d)
    run_node_tool("snarkjs", "powersoftau", "prepare", "phase2", "pot1.ptau", "pot.ptau", cwd=d)
    run_node_tool("snarkjs", "groth16", "setup", "chain.r1cs", "pot.ptau", "s0.zkey", cwd=d)
    run_node_tool("snarkjs", "zkey", "contribute", "s0.zkey", "s1.zkey", "--name=c1",
                  "-e=more entropy", cwd=d)
    run_node_tool("snarkjs", "zkey", "export", "verificationkey", "s1.zkey", "s_vk.json", cwd=d)
    run_node_tool("snarkjs", "zkey", "beacon", "s1.zkey", "s2.zkey", BEACON, "10",
                  "-n=final beacon", cwd=d)
    return d
