"""verifier.groth16: accept real snarkjs proofs, reject every kind of bad input, never raise."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from py_ecc import optimized_bn128 as bn

from tests.verifier.conftest import SIZES, golden
from tests.verifier.gen_negative_vectors import twist_point_outside_g2
from verifier.groth16 import check, native_available, resolve_backend, verify
from verifier.keys import (P, R, load_proof, load_public, load_vk, proof_from_json, proof_to_json,
                           vk_from_json, vk_to_json)

ROOT = Path(__file__).resolve().parents[2]
# auto = native when native.pairing_check exists; py_ecc's runs are in the slow tier
BACKENDS = [pytest.param("py_ecc", marks=pytest.mark.slow), "auto"]
VK, PROOF, PUBLIC = golden("vk_n3.json"), golden("proof_n3.json"), golden("public_n3.json")


def _g1_plus_generator(point: list[str]) -> list[str]:
    total = bn.normalize(bn.add((bn.FQ(int(point[0])), bn.FQ(int(point[1])), bn.FQ.one()), bn.G1))
    return [str(int(total[0])), str(int(total[1])), "1"]


def _g2_plus_generator(point: list[list[str]]) -> list[list[str]]:
    q = (bn.FQ2([int(v) for v in point[0]]), bn.FQ2([int(v) for v in point[1]]), bn.FQ2.one())
    x, y = bn.normalize(bn.add(q, bn.G2))
    return [[str(c) for c in x.coeffs], [str(c) for c in y.coeffs], ["1", "0"]]


def _with(proof: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(proof)
    out.update(changes)
    return out


def _auto_backend_in_subprocess(native_backend: str) -> tuple[str, str]:
    """(resolve_backend("auto"), native_available()) in a fresh process with ZKMARGIN_NATIVE."""
    code = ("from verifier.groth16 import native_available, resolve_backend; "
            "print(resolve_backend('auto'), native_available())")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, ZKMARGIN_NATIVE=native_backend), timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    backend, available = proc.stdout.split()
    return backend, available


def test_auto_backend_is_native_on_c_and_py_ecc_on_the_python_fallback() -> None:
    forced = os.environ.get("ZKMARGIN_NATIVE", "").strip().lower()
    assert resolve_backend("auto") == ("py_ecc" if forced == "python" else "native")
    assert native_available() == (forced != "python")
    assert _auto_backend_in_subprocess("c") == ("native", "True")
    assert _auto_backend_in_subprocess("python") == ("py_ecc", "False")


@pytest.mark.parametrize("backend", BACKENDS)
def test_golden_snarkjs_proof_accepted(backend: str) -> None:
    verdict = check(VK, PUBLIC, PROOF, backend=backend)
    assert verdict.accept, verdict.reason


@pytest.mark.interop
@pytest.mark.parametrize("n", SIZES)
def test_fresh_snarkjs_proofs_accepted(snark: dict, n: int) -> None:
    art = snark[n]
    assert len(art.public) == n
    assert verify(art.vk, art.public, art.proof)


def test_parsed_dataclasses_and_our_files(tmp_path) -> None:
    """Keys/proofs read from snarkjs JSON files and from files we write ourselves."""
    vk, proof = vk_from_json(VK), proof_from_json(PROOF)
    (tmp_path / "vk.json").write_text(json.dumps(vk_to_json(vk)))
    (tmp_path / "proof.json").write_text(json.dumps(proof_to_json(proof)))
    (tmp_path / "public.json").write_text(json.dumps(PUBLIC))
    assert load_vk(tmp_path / "vk.json") == vk
    assert load_proof(tmp_path / "proof.json") == proof
    assert load_public(tmp_path / "public.json") == [int(v) for v in PUBLIC]
    assert verify(vk, [int(v) for v in PUBLIC], proof)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("what", ["A", "B", "C", "public"])
def test_changed_proof_or_public_rejected(what: str, backend: str) -> None:
    proof, public = PROOF, list(PUBLIC)
    if what == "A":
        proof = _with(PROOF, pi_a=_g1_plus_generator(PROOF["pi_a"]))
    elif what == "B":
        proof = _with(PROOF, pi_b=_g2_plus_generator(PROOF["pi_b"]))
    elif what == "C":
        proof = _with(PROOF, pi_c=_g1_plus_generator(PROOF["pi_c"]))
    else:
        public[1] = str(int(public[1]) + 1)
    verdict = check(VK, public, proof, backend=backend)
    assert not verdict.accept
    assert verdict.reason.startswith("pairing check failed")


def _bad_b_not_in_g2() -> list[list[str]]:
    x, y = bn.normalize(twist_point_outside_g2())
    return [[str(c) for c in x.coeffs], [str(c) for c in y.coeffs], ["1", "0"]]


INVALID = {
    "public >= r": (VK, [str(R)] + PUBLIC[1:], PROOF, "public[0] >= r"),
    "public = r + 1 (would wrap to 1)": (VK, PUBLIC[:2] + [str(R + 1)], PROOF, "public[2] >= r"),
    "too few public": (VK, PUBLIC[:2], PROOF, "2 given, the key expects 3"),
    "A off curve": (VK, PUBLIC, _with(PROOF, pi_a=["1", "3", "1"]), "proof A: not on the curve"),
    "A.y >= p": (VK, PUBLIC, _with(PROOF, pi_a=[PROOF["pi_a"][0], str(int(PROOF["pi_a"][1]) + P), "1"]),
                 "proof A: coordinate >= p"),
    "C.x >= p": (VK, PUBLIC, _with(PROOF, pi_c=[str(P), "2", "1"]), "proof C: coordinate >= p"),
    "B off twist": (VK, PUBLIC, _with(PROOF, pi_b=[["1", "0"], ["1", "0"], ["1", "0"]]),
                    "proof B: not on the twist"),
    "B not in G2": (VK, PUBLIC, _with(PROOF, pi_b=_bad_b_not_in_g2()), "not in the order-r subgroup"),
    "B coordinate >= p": (VK, PUBLIC, _with(PROOF, pi_b=[[str(P), "0"], ["1", "0"], ["1", "0"]]),
                          "proof B: coordinate >= p"),
    "vk IC off curve": (_with(VK, IC=[["1", "3", "1"]] + VK["IC"][1:]), PUBLIC, PROOF, "vk IC[0]"),
    "vk delta not in G2": (_with(VK, vk_delta_2=_bad_b_not_in_g2()), PUBLIC, PROOF, "vk delta_g2"),
    "missing pi_b": ({**VK}, PUBLIC, {k: v for k, v in PROOF.items() if k != "pi_b"}, "missing field 'pi_b'"),
    "z = 2": (VK, PUBLIC, _with(PROOF, pi_a=["1", "2", "2"]), "z must be 1"),
    "not a number": (VK, ["abc"] + PUBLIC[1:], PROOF, "not an integer"),
    "negative": (VK, ["-1"] + PUBLIC[1:], PROOF, "outside [0, 2^256)"),
    "public not a list": (VK, {"x": 1}, PROOF, "expected a JSON list"),
    "vk not a dict": ([1, 2], PUBLIC, PROOF, "expected a JSON object"),
}


@pytest.mark.parametrize("case", list(INVALID), ids=list(INVALID))
def test_invalid_inputs_rejected_with_reason(case: str) -> None:
    vk, public, proof, reason = INVALID[case]
    verdict = check(vk, public, proof)
    assert not verdict.accept
    assert reason in verdict.reason


def test_infinity_a_is_rejected_by_the_pairing_not_by_an_exception() -> None:
    verdict = check(VK, PUBLIC, _with(PROOF, pi_a=["0", "1", "0"]))
    assert not verdict.accept and "pairing" in verdict.reason


junk = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-5, 2**260),
                              st.text(max_size=5), st.sampled_from([str(P), str(R), "0x10"])),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=6)


def _replace_leaf(data: Any, path: list[int], value: Any) -> Any:
    """Replace the leaf chosen by ``path`` (indices taken modulo the container size)."""
    if not path or not isinstance(data, (list, dict)) or not data:
        return value
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    key = keys[path[0] % len(keys)]
    out = copy.copy(data)
    out[key] = _replace_leaf(data[key], path[1:], value)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(["vk", "public", "proof"]),
       path=st.lists(st.integers(0, 20), min_size=0, max_size=4), value=junk)
@pytest.mark.slow
def test_fuzzed_inputs_never_raise(target: str, path: list[int], value: Any) -> None:
    args = {"vk": VK, "public": PUBLIC, "proof": PROOF}
    args[target] = _replace_leaf(args[target], path, value)
    if args[target] == {"vk": VK, "public": PUBLIC, "proof": PROOF}[target]:
        return  # the mutation changed nothing
    result = check(args["vk"], args["public"], args["proof"])
    assert isinstance(result.accept, bool)
    assert not result.accept or result.reason == ""


@settings(max_examples=15, deadline=None)
@given(public=st.lists(st.one_of(st.sampled_from([0, 1, R - 1]), st.integers(0, R - 1)),
                       min_size=3, max_size=3))
def test_prepare_inputs_backends_agree(public: list[int]) -> None:
    """vk_x = IC_0 + Σ s_i·IC_i: the auto backend (native MSM when built) equals py_ecc."""
    from verifier.groth16 import prepare_inputs

    vk = vk_from_json(VK)
    assert prepare_inputs(vk, public, "auto") == prepare_inputs(vk, public, "py_ecc")
