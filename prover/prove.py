"""Groth16 proving (snarkjs-compatible), on the native MSM/NTT core.

With the key's points (all divided by delta where the paper says so) and random r, s:

    A  = alpha_g1 + sum_i w_i a_query_i + r delta_g1
    B  = beta_g2  + sum_i w_i b_g2_query_i + s delta_g2        (and B1 in G1 alike)
    C  = sum_{i > nPublic} w_i l_query_i + sum_j P_j h_query_j + s A + r B1 - r s delta_g1

where P are the QAP's odd-coset values (:mod:`prover.qap`).  Before a proof is
returned it is checked against the key's verification key (four pairings, ~10 ms), so
a bad witness or a damaged key gives an error, never an invalid proof.

The six native steps (the QAP, four G1 MSMs, the G2 MSM) run on one of two schedules
(native code releases the GIL, so Python threads run them in parallel):

* ``"shared"``: every MSM split over all the threads, the G2 MSM in a worker thread
  alongside the QAP and the G1 MSMs;
* ``"lanes"``: two lanes of single-threaded steps, G2 + A + B1 on one and the QAP + H
  + L on the other (about equal work): no step is split, so no thread waits for
  another's share of a window.

``"auto"`` (the default) takes ``"lanes"`` on exactly two threads with the AVX-512
IFMA kernels (``native.kernels()``), where it measured 5–12 % faster at every margin
shape (``benchmarks/bench_margin_circuit.py`` times both), and ``"shared"`` otherwise
(on the scalar kernels lanes measured ~15 % slower at n4k2).  Both give the same proof
for the same r, s.
"""
from __future__ import annotations

import logging
import os
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from prover import qap
from prover.encoding import R, limbs_to_ints
from prover.errors import ProverError
from prover.formats import proof_json, public_json
from prover.zkey import ZKey

log = logging.getLogger(__name__)


@dataclass
class LimbProof:
    """A Groth16 proof as the prover makes it: A, C in G1 and B in G2 as Montgomery limbs
    (LEM, the zkey's form), with the public inputs and the phase timings.  ``to_json``
    and ``public_json`` give snarkjs's proof.json and public.json
    (``verifier.keys.Proof`` is the verifier's parsed affine form)."""

    pi_a: np.ndarray      # (8,) LEM
    pi_b: np.ndarray      # (16,) LEM
    pi_c: np.ndarray      # (8,) LEM
    public: list[int]
    timings: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return proof_json(self.pi_a, self.pi_b, self.pi_c)

    def public_json(self) -> list[str]:
        return public_json(self.public)


SCHEDULES = ("auto", "shared", "lanes")


class Prover:
    """A loaded proving key, reusable across proofs (the QAP plan is built once).
    ``threads``: native threads (None: every online CPU); ``schedule``: see the module
    docstring."""

    def __init__(self, zkey: ZKey, threads: Optional[int] = None, schedule: str = "auto"):
        if schedule not in SCHEDULES:
            raise ProverError(f"schedule: {schedule!r} is not one of {', '.join(SCHEDULES)}")
        self.zkey = zkey
        self.threads = threads
        self.schedule = schedule
        self.plan = qap.plan(zkey)

    def resolved_schedule(self) -> str:
        """The schedule a proof runs on: ``"auto"`` resolved for this thread count."""
        if self.schedule != "auto":
            return self.schedule
        import native

        threads = self.threads or os.cpu_count() or 1
        return "lanes" if threads == 2 and "AVX-512 IFMA" in native.kernels() else "shared"

    def check_witness(self, w: np.ndarray, name: str = "witness") -> None:
        if w.ndim != 2 or w.shape[1] != 4:
            raise ProverError(f"{name}: expected an (n, 4) limb array")
        if len(w) != self.zkey.n_vars:
            raise ProverError(f"{name}: {len(w)} values, but the key's circuit has "
                              f"{self.zkey.n_vars} wires (witness for another circuit?)")

    def self_check(self, proof: "LimbProof", w: np.ndarray) -> bool:
        """The proof against the key's own verification key: e(A, B) = e(alpha, beta)
        e(vk_x, gamma) e(C, delta), vk_x = sum_{i <= nPublic} w_i IC_i (four pairings).
        Catches a witness that does not satisfy the circuit and a corrupt key."""
        import native

        z = self.zkey
        vk_x = native.g1_msm(z.gamma_abc_g1, np.ascontiguousarray(w[:z.n_public + 1]))
        g1 = np.stack([native.g1_neg(proof.pi_a), z.alpha_g1, np.asarray(vk_x), proof.pi_c])
        g2 = np.stack([proof.pi_b, z.beta_g2, z.gamma_g2, z.delta_g2])
        return bool(native.pairing_check(g1, g2))

    def prove(self, w: np.ndarray, r: Optional[int] = None, s: Optional[int] = None,
              check: bool = True) -> LimbProof:
        """Prove with witness ``w`` ((n_vars, 4) standard form); r, s from the OS
        CSPRNG unless given (tests only).  With ``check`` (the default) the proof is
        verified before it is returned, so a witness that does not satisfy the circuit
        or a damaged key raises ProverError instead of yielding an invalid proof."""
        import native

        z = self.zkey
        self.check_witness(w)
        w = np.ascontiguousarray(w, dtype=np.uint64)
        r = secrets.randbelow(R) if r is None else r % R
        s = secrets.randbelow(R) if s is None else s % R
        t: dict[str, float] = {}
        t0 = time.perf_counter()
        if self.resolved_schedule() == "lanes":
            def lane_b() -> tuple:
                return (native.g2_msm(z.b_g2_query, w, threads=1),
                        native.g1_msm(z.a_query, w, threads=1),
                        native.g1_msm(z.b_g1_query, w, threads=1))

            with ThreadPoolExecutor(max_workers=1) as pool:
                fut = pool.submit(lane_b)
                h = qap.h_scalars(self.plan, w, threads=1)
                t["qap"] = time.perf_counter() - t0
                ph = native.g1_msm(z.h_query, h, threads=1)
                pl = native.g1_msm(z.l_query, w[z.n_public + 1:], threads=1)
                pb2, pa, pb1 = fut.result()
        else:
            with ThreadPoolExecutor(max_workers=1) as pool:
                fut_b2 = pool.submit(native.g2_msm, z.b_g2_query, w, threads=self.threads)
                h = qap.h_scalars(self.plan, w, threads=self.threads)
                t["qap"] = time.perf_counter() - t0
                pa = native.g1_msm(z.a_query, w, threads=self.threads)
                pb1 = native.g1_msm(z.b_g1_query, w, threads=self.threads)
                pl = native.g1_msm(z.l_query, w[z.n_public + 1:], threads=self.threads)
                ph = native.g1_msm(z.h_query, h, threads=self.threads)
                pb2 = fut_b2.result()
        t["total_msm_qap"] = time.perf_counter() - t0
        add, mul = native.g1_add, native.g1_scalar_mul
        pi_a = add(add(pa, z.alpha_g1), mul(z.delta_g1, r))
        b1 = add(add(pb1, z.beta_g1), mul(z.delta_g1, s))
        pi_b = native.g2_add(native.g2_add(pb2, z.beta_g2), native.g2_scalar_mul(z.delta_g2, s))
        pi_c = add(add(pl, ph), add(mul(pi_a, s), mul(b1, r)))
        pi_c = add(pi_c, mul(z.delta_g1, (-r * s) % R))
        public = limbs_to_ints(w[1:z.n_public + 1])
        proof = LimbProof(np.asarray(pi_a), np.asarray(pi_b), np.asarray(pi_c), public, t)
        if check:
            t1 = time.perf_counter()
            if not self.self_check(proof, w):
                raise ProverError(f"{z.path or 'zkey'}: the proof does not verify against the "
                                  "key (witness does not satisfy the circuit, or the key is "
                                  "damaged)")
            t["self_check"] = time.perf_counter() - t1
        return proof


def witness_limbs(values: "list[int]") -> np.ndarray:
    """A witness given as Python ints (wire order, w[0] = 1) -> (n, 4) limbs; every
    value must already be reduced below r."""
    from prover.encoding import ints_to_limbs

    if not values or values[0] != 1:
        raise ProverError("witness: wire 0 must be 1")
    for i, v in enumerate(values):
        if not 0 <= v < R:
            raise ProverError(f"witness: wire {i} is not in [0, r)")
    return ints_to_limbs(list(values))


def prove_files(zkey_path, wtns_path, r: Optional[int] = None, s: Optional[int] = None,
                threads: Optional[int] = None, check: bool = True) -> LimbProof:
    """Read a ``.zkey`` and a ``.wtns`` and prove."""
    from prover.witness import read_wtns
    from prover.zkey import read_zkey

    z = read_zkey(zkey_path)
    w = read_wtns(wtns_path)
    prover = Prover(z, threads)
    prover.check_witness(w, str(wtns_path))
    return prover.prove(w, r, s, check=check)
