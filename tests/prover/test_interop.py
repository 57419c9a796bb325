"""Interop with the pinned npm snarkjs and circom2, both ways.

A circom circuit (compiled by circom2, witness from its generated JS) is
* set up by snarkjs, proven by us, verified by ``snarkjs groth16 verify``;
* set up, contributed to and proven by us, verified by snarkjs, and our key passes
  ``snarkjs zkey verify``;
* proven by snarkjs and verified by us; snarkjs's contributed key passes our verify;
* set up by ``snarkjs zkey new`` on our development ptau into the very same bytes as
  our setup.
"""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, run_node_tool
from tests.prover.conftest import BEACON
from tests.prover.groth16_ref import verify_native

pytestmark = pytest.mark.interop

def zk(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "zkmargin.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)
    if check and proc.returncode != 0:
        pytest.fail(f"zkmargin {' '.join(map(str, args))}: {proc.stdout}{proc.stderr}")
    return proc


def test_snarkjs_zkey_new_on_our_ptau_equals_our_setup(circom, dev_ptau):
    from circuits import read_r1cs
    from prover.ptau import read_ptau
    from prover.setup import new_zkey
    from prover.zkey import read_zkey

    run_node_tool("snarkjs", "zkey", "new", "chain.r1cs", str(dev_ptau), "theirs.zkey", cwd=circom)
    theirs = read_zkey(circom / "theirs.zkey")
    ours = new_zkey(read_r1cs(circom / "chain.r1cs"), read_ptau(dev_ptau))
    assert ours.mpc.cs_hash == theirs.mpc.cs_hash
    for name in ("alpha_g1", "beta_g1", "beta_g2", "gamma_g2", "delta_g1", "delta_g2",
                 "gamma_abc_g1", "a_query", "b_g1_query", "b_g2_query", "l_query", "h_query"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name
    assert ours.coefs.tobytes() == theirs.coefs.tobytes()


def test_snarkjs_key_proven_by_us_verified_by_snarkjs(snarkjs_keys):
    d = snarkjs_keys
    zk("groth16", "prove", d / "s1.zkey", d / "chain.wtns", d / "p_ours.json", d / "pub_ours.json")
    out = run_node_tool("snarkjs", "groth16", "verify", "s_vk.json", "pub_ours.json",
                        "p_ours.json", cwd=d)
    assert "OK" in out
    pub = json.loads((d / "pub_ours.json").read_text())
    pub[0] = str(int(pub[0]) + 1)
    (d / "pub_bad.json").write_text(json.dumps(pub))
    bad = subprocess.run([str(ROOT / "tests/js/node_modules/.bin/snarkjs"), "groth16", "verify",
                          "s_vk.json", "pub_bad.json", "p_ours.json"], cwd=d,
                         capture_output=True, text=True)
    assert "OK" not in bad.stdout


def test_our_pipeline_verified_by_snarkjs(circom, dev_ptau):
    d = circom
    zk("setup", "new", d / "chain.r1cs", dev_ptau, d / "o0.zkey", "--vk", d / "o0_vk.json")
    zk("setup", "contribute", d / "o0.zkey", d / "o1.zkey", "--name", "alice")
    zk("setup", "contribute", d / "o1.zkey", d / "o2.zkey", "--name", "bob")
    zk("setup", "export-vk", d / "o2.zkey", d / "o_vk.json")
    zk("groth16", "prove", d / "o2.zkey", d / "chain.wtns", d / "p2.json", d / "pub2.json")
    out = run_node_tool("snarkjs", "groth16", "verify", "o_vk.json", "pub2.json", "p2.json", cwd=d)
    assert "OK" in out
    out = run_node_tool("snarkjs", "zkey", "verify", "chain.r1cs", str(dev_ptau), "o2.zkey", cwd=d)
    assert "ZKey Ok!" in out
    ours = zk("setup", "verify", d / "chain.r1cs", dev_ptau, d / "o2.zkey", "--json")
    rep = json.loads(ours.stdout)
    assert rep["ok"] and [c["name"] for c in rep["contributions"]] == ["alice", "bob"]
    run_node_tool("snarkjs", "zkey", "export", "verificationkey", "o2.zkey", "o_vk_s.json", cwd=d)
    theirs = json.loads((d / "o_vk_s.json").read_text())
    mine = json.loads((d / "o_vk.json").read_text())
    assert mine == theirs and list(mine) == list(theirs)


def test_snarkjs_proof_verified_by_us(snarkjs_keys):
    d = snarkjs_keys
    run_node_tool("snarkjs", "groth16", "prove", "s1.zkey", "chain.wtns", "p_s.json",
                  "pub_s.json", cwd=d)
    vk = json.loads((d / "s_vk.json").read_text())
    proof = json.loads((d / "p_s.json").read_text())
    pub = json.loads((d / "pub_s.json").read_text())
    assert verify_native(vk, pub, proof)
    assert not verify_native(vk, [pub[0], str(int(pub[1]) + 1)], proof)


def test_snarkjs_contributed_key_passes_our_verify(snarkjs_keys, dev_ptau):
    d = snarkjs_keys
    rep = json.loads(zk("setup", "verify", d / "chain.r1cs", d / "pot.ptau", d / "s1.zkey",
                        "--json").stdout)
    assert rep["ok"], rep["problems"]
    assert [c["name"] for c in rep["contributions"]] == ["c1"]
    # the same key checked against another ceremony must fail
    bad = zk("setup", "verify", d / "chain.r1cs", dev_ptau, d / "s1.zkey",
             check=False)
    assert bad.returncode != 0


def test_snarkjs_beacon_is_replayed(snarkjs_keys):
    """A final beacon (type 1): its key is re-derived from the beacon hash; a record
    whose beacon hash was altered is refused."""
    from dataclasses import replace

    from circuits import read_r1cs
    from prover.ptau import read_ptau
    from prover.verify_setup import verify_zkey
    from prover.zkey import read_zkey

    d = snarkjs_keys
    r1cs, ptau = read_r1cs(d / "chain.r1cs"), read_ptau(d / "pot.ptau")
    z = read_zkey(d / "s2.zkey")
    rep = verify_zkey(z, r1cs, ptau)
    assert rep.ok, rep.problems
    assert [n for n, _ in rep.contributions] == ["c1", "final beacon"]
    beacon = z.mpc.contributions[1]
    assert beacon.type == 1 and beacon.param_fields()[3] == bytes.fromhex(BEACON)
    params = bytearray(beacon.params)
    params[-1] ^= 1                                   # another beacon hash
    forged = replace(z, mpc=replace(z.mpc, contributions=[
        z.mpc.contributions[0], replace(beacon, params=bytes(params))]))
    assert "beacon" in " ".join(verify_zkey(forged, r1cs, ptau).problems)
