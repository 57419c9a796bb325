"""File formats and bad input: ptau/zkey/wtns parsing, the ChaCha hash to G2 against
ffjavascript, and one-line errors from the CLI for malformed or mismatched files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from prover.encoding import R, ints_to_limbs
from prover.errors import ProverError
from tests.conftest import ROOT
from tests.prover.conftest import toy_circuit

# ffjavascript: curve.G2.toAffine(curve.G2.fromRng(new ChaCha(seed))), seed = the
# big-endian u32 words of bytes 0..63 (what snarkjs's hashToG2 does with a transcript)
H2G2_BYTES_0_63 = (
    (4331880802040179507408134841181032487087173600464364024802210002059667950604,
     4271516305872202364858900391755946161657037246250020514439168976697447665804),
    (14194165528950986229237743759035044030322996258565805903348263410557850081640,
     3572495062036222432809855904167672718120072387698078762897023322348755581936),
)


def zk(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zkmargin.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


def test_hash_to_g2_matches_ffjavascript():
    from prover.keypair import hash_to_g2

    assert hash_to_g2(bytes(range(64))) == H2G2_BYTES_0_63


def test_dev_ptau_layout(dev_ptau):
    import native
    from prover.ptau import read_ptau

    p = read_ptau(dev_ptau)
    assert (p.power, p.prepared) == (5, True)
    assert p.tau_g1().shape == (63, 8) and p.tau_g2().shape == (32, 16)
    g1 = native.g1_from_ints([(1, 2)])[0]
    assert np.array_equal(p.tau_g1()[0], g1)
    # sum_j L_j(tau) = 1 on every level: the Lagrange points of a level add up to G1
    for level in (0, 3, 5):
        acc = np.zeros(8, dtype=np.uint64)
        for row in p.lagrange(12, level):
            acc = native.g1_add(acc, row)
        assert np.array_equal(acc, g1), level


@pytest.fixture(scope="session")
def toy_files(tmp_path_factory, dev_ptau):
    from circuits import R1CS, write_r1cs, write_wtns

    d = tmp_path_factory.mktemp("files")
    toy, w = toy_circuit()
    r1cs = R1CS(toy.prime, toy.n_wires, toy.n_pub_out, toy.n_pub_in, toy.n_prv_in,
                toy.n_labels, toy.constraints, list(range(toy.n_wires)))
    write_r1cs(d / "toy.r1cs", r1cs)
    write_wtns(d / "toy.wtns", w)
    proc = zk("setup", "new", d / "toy.r1cs", dev_ptau, d / "toy.zkey", "--vk", d / "vk.json")
    assert proc.returncode == 0, proc.stderr
    return d


@pytest.mark.slow
def test_cli_prove_and_verify(toy_files):
    d = toy_files
    proc = zk("groth16", "prove", d / "toy.zkey", d / "toy.wtns", d / "proof.json",
              d / "public.json")
    assert proc.returncode == 0, proc.stderr
    assert zk("groth16", "verify", d / "vk.json", d / "public.json", d / "proof.json"
              ).returncode == 0
    pub = json.loads((d / "public.json").read_text())
    (d / "public_bad.json").write_text(json.dumps([str(int(pub[0]) + 1), pub[1]]))
    bad = zk("groth16", "verify", d / "vk.json", d / "public_bad.json", d / "proof.json")
    assert bad.returncode == 1 and "INVALID" in bad.stdout


def _one_line_error(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], lines


@pytest.mark.slow
def test_truncated_and_foreign_files_give_one_line_errors(toy_files, tmp_path, dev_ptau):
    d = toy_files
    raw = (d / "toy.zkey").read_bytes()
    (tmp_path / "cut.zkey").write_bytes(raw[:len(raw) - 100])
    args = [d / "toy.wtns", tmp_path / "p.json", tmp_path / "q.json"]
    _one_line_error(zk("groth16", "prove", tmp_path / "cut.zkey", *args), "truncated")
    _one_line_error(zk("groth16", "prove", d / "toy.wtns", *args), "not a zkey file")
    _one_line_error(zk("groth16", "prove", dev_ptau, *args), "not a zkey file")
    # a zkey whose header claims another curve
    bad = bytearray(raw)
    pos = raw.index((21888242871839275222246405745257275088696311157297823662689037894645226208583).to_bytes(32, "little"))
    bad[pos] ^= 1
    (tmp_path / "curve.zkey").write_bytes(bytes(bad))
    _one_line_error(zk("groth16", "prove", tmp_path / "curve.zkey", *args), "BN254")
    assert not (tmp_path / "p.json").exists()
    (tmp_path / "bad.r1cs").write_bytes(b"r1cs\x01\x00\x00\x00garbage")
    _one_line_error(zk("setup", "new", tmp_path / "bad.r1cs", dev_ptau, tmp_path / "x.zkey"),
                    "bad.r1cs")
    _one_line_error(zk("setup", "new", d / "toy.r1cs", d / "toy.zkey", tmp_path / "x.zkey"),
                    "not a ptau file")
    assert not (tmp_path / "x.zkey").exists()


@pytest.mark.slow
def test_witness_for_another_circuit_is_rejected(toy_files, tmp_path):
    from circuits import write_wtns

    d = toy_files
    _, w = toy_circuit(n_mul=3)
    write_wtns(tmp_path / "other.wtns", w)
    _one_line_error(zk("groth16", "prove", d / "toy.zkey", tmp_path / "other.wtns",
                       tmp_path / "p.json", tmp_path / "q.json"), "another circuit")
    _, w = toy_circuit()
    w[0] = 2
    write_wtns(tmp_path / "w0.wtns", w)
    _one_line_error(zk("groth16", "prove", d / "toy.zkey", tmp_path / "w0.wtns",
                       tmp_path / "p.json", tmp_path / "q.json"), "wire 0")


def test_setup_rejects_too_small_ptau_and_unprepared(tmp_path):
    from prover.ceremony import dev_ceremony
    from prover.ptau import read_ptau
    from prover.setup import new_zkey

    dev_ceremony(tmp_path / "p2.ptau", 2, seed=1)
    toy, _ = toy_circuit()
    with pytest.raises(ProverError, match="power"):
        new_zkey(toy, read_ptau(tmp_path / "p2.ptau"))
    raw = (tmp_path / "p2.ptau").read_bytes()
    (tmp_path / "short.ptau").write_bytes(raw[:-64])
    with pytest.raises(ProverError, match="truncated"):
        read_ptau(tmp_path / "short.ptau")


def test_wtns_values_must_be_reduced(tmp_path):
    from prover.witness import read_wtns
    from circuits import write_wtns

    _, w = toy_circuit()
    write_wtns(tmp_path / "ok.wtns", w)
    assert read_wtns(tmp_path / "ok.wtns").shape == (len(w), 4)
    raw = bytearray((tmp_path / "ok.wtns").read_bytes())
    raw[-1] = 0xFF                                       # last value >= r
    (tmp_path / "big.wtns").write_bytes(bytes(raw))
    with pytest.raises(ProverError, match=">= r"):
        read_wtns(tmp_path / "big.wtns")


@pytest.mark.slow
def test_dev_setup_cli_warns(tmp_path, toy_files):
    proc = zk("setup", "--dev", "--power", "3", "-o", tmp_path / "d.ptau", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "INSECURE" in proc.stderr and json.loads(proc.stdout)["insecure"]
    d = toy_files
    proc = zk("setup", "dev-key", d / "toy.r1cs", tmp_path / "k.zkey", "--vk", tmp_path / "vk.json")
    assert proc.returncode == 0 and "INSECURE" in proc.stderr, proc.stderr
    assert zk("groth16", "prove", tmp_path / "k.zkey", d / "toy.wtns", tmp_path / "p.json",
              tmp_path / "q.json").returncode == 0
    assert zk("groth16", "verify", tmp_path / "vk.json", tmp_path / "q.json",
              tmp_path / "p.json").returncode == 0


@pytest.mark.slow
def test_groth16_setup_alias_writes_the_same_key(toy_files, dev_ptau, tmp_path):
    d = toy_files
    proc = zk("groth16", "setup", d / "toy.r1cs", dev_ptau, tmp_path / "g.zkey")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "g.zkey").read_bytes() == (d / "toy.zkey").read_bytes()
