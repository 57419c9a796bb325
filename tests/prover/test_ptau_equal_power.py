"""A ptau whose power equals the circuit's (the size public ceremony files come in).

Above 2^14 constraints snarkjs's circuit hash reads one point past the tauG1 section of
such a file (the bytes that follow it); ``zkmargin setup new`` reads the same bytes and
writes the very same zkey as ``snarkjs zkey new``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_node_tool
from tests.prover.conftest import toy_circuit

pytestmark = [pytest.mark.interop, pytest.mark.slow]


def test_setup_on_a_ptau_of_the_circuits_power_equals_snarkjs(tmp_path: Path) -> None:
    from circuits import R1CS, write_r1cs
    from prover.ceremony import dev_ceremony
    from prover.setup import circuit_power

    t, _ = toy_circuit(20000)  # 20002 constraints + 2 public: domain 2^15
    assert circuit_power(len(t.constraints), 2) == 15
    write_r1cs(tmp_path / "c.r1cs", R1CS(t.prime, t.n_wires, t.n_pub_out, t.n_pub_in,
                                         t.n_prv_in, t.n_labels, t.constraints,
                                         list(range(t.n_wires))))
    dev_ceremony(tmp_path / "p15.ptau", 15, seed=15)
    run_node_tool("snarkjs", "zkey", "new", "c.r1cs", "p15.ptau", "snarkjs.zkey", cwd=tmp_path)
    proc = subprocess.run([sys.executable, "-m", "zkmargin.cli", "setup", "new",
                           tmp_path / "c.r1cs", tmp_path / "p15.ptau", tmp_path / "ours.zkey"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "ours.zkey").read_bytes() == (tmp_path / "snarkjs.zkey").read_bytes()


def test_past_end_point_arithmetic_matches_the_field_when_reduced() -> None:
    """With reduced inputs the wasm word arithmetic is plain field arithmetic: the
    emulated subtraction equals native point subtraction."""
    import native
    import numpy as np

    from prover.curve import sub_rows
    from prover.encoding import batch_lem_to_u
    from prover.setup import snarkjs_sub_affine

    g = native.g1_from_ints([(1, 2)])[0]
    pts = np.array([native.g1_scalar_mul(g, k) for k in (3, 5, 7, 2**200 + 11)])
    for a, b in ((0, 1), (2, 3), (3, 0)):
        raw = np.ascontiguousarray(pts[a], dtype="<u8").tobytes()
        assert snarkjs_sub_affine(raw, pts[b]) == batch_lem_to_u(
            sub_rows(pts[a:a + 1], pts[b:b + 1]))
