"""Groth16 verification on BN254 with every input validated.

The check (Groth16 §3.2, snarkjs/EVM form): with ``vk_x = IC_0 + Σ_i s_i·IC_i``,

    e(−A, B) · e(α, β) · e(vk_x, γ) · e(C, δ) = 1   in G_T,

which is ``e(A, B) = e(α, β)·e(vk_x, γ)·e(C, δ)``.  Before the pairing we require:
every public input ``s_i < r`` and their count equals ``n``; every coordinate
``< p``; A, C, α and the IC points on ``y² = x³ + 3``; B, β, γ, δ on the twist and in
the order-r subgroup (``r·Q = O``).  Anything else is a rejection with a reason —
:func:`check` and :func:`verify` never raise.

Two backends evaluate the same validated pairs: ``native`` (``native.pairing_check``
and ``native.g2_in_subgroup`` when the native package provides them) and ``py_ecc``
(the reference, :mod:`py_ecc.optimized_bn128`).  ``auto`` picks native when present.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Optional

from py_ecc import optimized_bn128 as bn

from verifier.keys import G1, G2, P, R, Proof, VerifyingKey, as_proof, as_public, as_vk
from verifier.pairing import (BACKENDS, from_py_ecc_g1, g2_in_subgroup, g2_on_twist,
                              native_available, native_module, pairing_backend,
                              resolve_backend, to_py_ecc_g1)

__all__ = ["BACKENDS", "Verdict", "check", "verify", "vk_problem", "proof_problem",
           "public_problem", "prepare_inputs", "pairing_pairs", "negate_g1",
           "native_available", "resolve_backend", "pairing_backend"]


@dataclass(frozen=True)
class Verdict:
    """Outcome of a verification: ``accept`` and, when rejected, why."""

    accept: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.accept


def g1_problem(point: G1, name: str) -> Optional[str]:
    """Why ``point`` is not a valid G1 point (coordinates < p, on y² = x³ + 3), or None."""
    if point is None:
        return None
    x, y = point
    if x >= P or y >= P:
        return f"{name}: coordinate >= p"
    if (y * y - x * x * x - 3) % P:
        return f"{name}: not on the curve y^2 = x^3 + 3"
    return None


def g2_problem(point: G2, name: str, backend: str = "auto") -> Optional[str]:
    """Why ``point`` is not in G2 (coordinates < p, on the twist, r·Q = O), or None."""
    if point is None:
        return None
    if max(point[0] + point[1]) >= P:
        return f"{name}: coordinate >= p"
    if not g2_on_twist(point):
        return f"{name}: not on the twist curve"
    if not g2_in_subgroup(point, backend):
        return f"{name}: not in the order-r subgroup G2"
    return None


@functools.lru_cache(maxsize=32)
def vk_problem(vk: VerifyingKey, backend: str = "auto") -> Optional[str]:
    """Validate a verifying key once (cached): α, IC in G1; β, γ, δ in G2."""
    for i, point in enumerate(vk.gamma_abc_g1):
        if (problem := g1_problem(point, f"vk IC[{i}]")) is not None:
            return problem
    if (problem := g1_problem(vk.alpha_g1, "vk alpha")) is not None:
        return problem
    for name in ("beta_g2", "gamma_g2", "delta_g2"):
        if (problem := g2_problem(getattr(vk, name), f"vk {name}", backend)) is not None:
            return problem
    return None


def proof_problem(proof: Proof, backend: str = "auto") -> Optional[str]:
    """Validate a proof: A, C in G1, B in G2."""
    return (g1_problem(proof.a, "proof A") or g1_problem(proof.c, "proof C")
            or g2_problem(proof.b, "proof B", backend))


def public_problem(vk: VerifyingKey, public: list[int]) -> Optional[str]:
    """Public inputs: exactly n of them, each < r."""
    if len(public) != vk.n_public:
        return f"public inputs: {len(public)} given, the key expects {vk.n_public}"
    for i, value in enumerate(public):
        if value >= R:
            return f"public[{i}] >= r (not a field element)"
    return None


def prepare_inputs(vk: VerifyingKey, public: list[int], backend: str = "py_ecc") -> G1:
    """vk_x = IC_0 + Σ_i s_i · IC_{i+1} (validated inputs; native MSM or py_ecc)."""
    if resolve_backend(backend) == "native":
        native = native_module()
        acc = native.g1_msm(native.g1_from_ints(list(vk.gamma_abc_g1[1:])),
                            native.fr_from_ints(public))
        total = native.g1_add(acc, native.g1_from_ints([vk.gamma_abc_g1[0]])[0])
        return native.g1_to_ints(total)[0]
    acc = to_py_ecc_g1(vk.gamma_abc_g1[0])
    for s, point in zip(public, vk.gamma_abc_g1[1:]):
        if s and point is not None:
            acc = bn.add(acc, bn.multiply(to_py_ecc_g1(point), s))
    return from_py_ecc_g1(acc)


def negate_g1(point: G1) -> G1:
    """−(x, y) = (x, p − y); infinity stays infinity."""
    return None if point is None else (point[0], (P - point[1]) % P)


def pairing_pairs(vk: VerifyingKey, proof: Proof, vk_x: G1) -> list[tuple[G1, G2]]:
    """The four pairs (−A, B), (α, β), (vk_x, γ), (C, δ), in the EVM verifier's order."""
    return [(negate_g1(proof.a), proof.b), (vk.alpha_g1, vk.beta_g2),
            (vk_x, vk.gamma_g2), (proof.c, vk.delta_g2)]


def check(vk: Any, public: Any, proof: Any, backend: str = "auto") -> Verdict:
    """Verify a Groth16 proof; returns a :class:`Verdict`.

    ``vk``/``proof`` are snarkjs JSON dicts or parsed :class:`VerifyingKey`/:class:`Proof`;
    ``public`` is a list (or tuple) of ints or decimal strings.  Any other input (None,
    wrong types or shapes, values out of range, points off the curve) is a rejection with
    its reason: only an unknown ``backend`` name raises (``ValueError``).  An unexpected
    exception inside the check is a rejection too (fail closed), never an acceptance.
    """
    backend = resolve_backend(backend)
    try:
        vk, proof, public = as_vk(vk), as_proof(proof), as_public(public)
    except Exception as exc:  # noqa: BLE001 - any malformed input is a rejection
        return Verdict(False, f"malformed input: {type(exc).__name__}: {exc}")
    try:
        problem = (vk_problem(vk, backend) or public_problem(vk, public)
                   or proof_problem(proof, backend))
        if problem is not None:
            return Verdict(False, problem)
        vk_x = prepare_inputs(vk, public, backend)
        if not pairing_backend(backend)(pairing_pairs(vk, proof, vk_x)):
            return Verdict(False, "pairing check failed: e(A,B) != e(alpha,beta)·e(vk_x,gamma)"
                                  "·e(C,delta)")
    except Exception as exc:  # noqa: BLE001 - fail closed
        return Verdict(False, f"malformed input: {type(exc).__name__}: {exc}")
    return Verdict(True)


def verify(vk: Any, public: Any, proof: Any, backend: str = "auto") -> bool:
    """True iff ``proof`` is a valid Groth16 proof of ``public`` under ``vk``; False for
    any malformed input (see :func:`check`)."""
    return check(vk, public, proof, backend).accept
