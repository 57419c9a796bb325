"""One measured circuit: both provers on the same key and witness, then the checks.

For a ``.zkey``, a ``.wtns`` and the verification key, :func:`measure_proving` returns

* ``provers.ours``/``provers.snarkjs``: prove time (median, min, max of the timed
  runs), peak memory of the proving process (:mod:`zkmargin.bench.provers`);
* ``verify_s``: median time of our native verifier on our proof
  (``verifier.groth16.verify``, in snarkjs's argument order);
* ``gas``: gas of the transaction calling our generated Solidity verifier with that
  proof (``verifier.onchain.verify_onchain``, replayed precompile by precompile);
* ``proof_bytes`` (256: the A, B, C points as the contract takes them),
  ``proof_json_bytes`` (snarkjs JSON), ``calldata_bytes`` (``verifyProof`` ABI call);
* interop: snarkjs's proof accepted by our verifier (``verified_by_ours``) and ours by
  ``snarkjs.groth16.verify`` (``verifies_ours``); ``snarkjs_over_ours`` the ratio of
  median prove times (above 1: ours is faster).

Every proof made is checked; a rejected proof raises :class:`BenchError`.
"""
from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any, Optional

from zkmargin.bench.provers import Snarkjs, prove_ours, prove_snarkjs

VERIFY_RUNS = 5


class BenchError(RuntimeError):
    """A measured proof did not verify (a real failure, never a timing artefact)."""


def _verify_median(vk: dict[str, Any], proof: dict, public: list) -> tuple[bool, float]:
    from verifier.groth16 import verify

    ok, times = True, []
    for _ in range(VERIFY_RUNS):
        t = time.perf_counter()
        ok = verify(vk, public, proof) and ok
        times.append(time.perf_counter() - t)
    return ok, statistics.median(times)


def measure_proving(label: str, zkey: Path, wtns: Path, vk: dict[str, Any], repeat: int,
                    work: Path, snarkjs: Optional[Snarkjs]) -> dict[str, Any]:
    """Both provers on ``zkey``/``wtns``; see the module docstring for the figures."""
    from verifier.calldata import encode_calldata
    from verifier.groth16 import verify
    from verifier.onchain import verify_onchain

    ours = prove_ours(zkey, wtns, repeat, work / "ours")
    ok, verify_s = _verify_median(vk, ours["proof"], ours["public"])
    if not ok:
        raise BenchError(f"{label}: our proof does not verify")
    chain = verify_onchain(vk, ours["public"], ours["proof"])
    if not chain.accept:
        raise BenchError(f"{label}: the Solidity verifier rejects our proof ({chain.reason})")
    proof_json = json.dumps(ours["proof"])
    out: dict[str, Any] = {
        "verify_s": verify_s, "gas": chain.gas_used, "proof_bytes": 256,
        "proof_json_bytes": len(proof_json.encode()),
        "calldata_bytes": len(encode_calldata(ours["public"], ours["proof"])),
        "public_inputs": len(ours["public"]),
        "provers": {"ours": _strip(ours)},
    }
    if snarkjs is not None:
        vk_path = work / "verification_key.json"
        vk_path.write_text(json.dumps(vk))
        sj = prove_snarkjs(snarkjs, zkey, wtns, repeat, work / "snarkjs",
                           (vk_path, work / "ours" / "proof.json", work / "ours" / "public.json"))
        if sj["public"] != ours["public"]:
            raise BenchError(f"{label}: snarkjs and our prover disagree on the public inputs")
        sj["verified_by_ours"] = verify(vk, sj["public"], sj["proof"])
        sj["verifies_ours"] = bool(sj.pop("verifies_other", False))
        if not (sj["verified_by_ours"] and sj["verifies_ours"]):
            raise BenchError(f"{label}: a proof of one prover is rejected by the other's "
                             f"verifier (ours accepts snarkjs's: {sj['verified_by_ours']}, "
                             f"snarkjs accepts ours: {sj['verifies_ours']})")
        out["provers"]["snarkjs"] = _strip(sj)
        out["snarkjs_over_ours"] = sj["prove_median_s"] / ours["prove_median_s"]
    return out


def _strip(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k not in ("proof", "public")}
