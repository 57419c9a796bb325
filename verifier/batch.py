"""Batch Groth16 verification: many proofs under one verifying key, B + 3 pairings.

For proofs ``(A_j, B_j, C_j)`` of public inputs ``s_j`` and non-zero coefficients ``ρ_j``,

    ∏_j e(−ρ_j·A_j, B_j) · e((Σ_j ρ_j)·α, β) · e(X, γ) · e(Σ_j ρ_j·C_j, δ) = 1,
    X = (Σ_j ρ_j)·IC_0 + Σ_i t_i·IC_i,   t_i = Σ_j ρ_j·s_{j,i} mod r,

is the ρ-weighted sum (in the exponent of G_T, a group of prime order r) of the single
equations ``e(−A_j, B_j)·e(α, β)·e(vk_x_j, γ)·e(C_j, δ) = 1``.  Write ``d_j`` for the
discrete log of the left side of proof j's equation: proof j is valid iff ``d_j = 0``, and
the batch equation holds iff ``Σ_j ρ_j·d_j ≡ 0 (mod r)``.  If some ``d_k ≠ 0``, then for any
values of the other coefficients exactly one residue of ``ρ_k`` satisfies it, so with
``ρ_k`` drawn uniformly from ``[1, 2^128 − 1]`` *after* the proofs are fixed a batch holding
an invalid proof passes with probability at most ``1/(2^128 − 1)``.  Every point must be
validated first (G2 points in the order-r subgroup), or the pairings would leave the
order-r group and the argument would not apply.

:func:`verify_batch` draws the coefficients from the operating system's CSPRNG
(:mod:`secrets`) and, when the batch equation fails, bisects with fresh coefficients until
every failing proof is named.  It applies exactly :func:`verifier.groth16.check`'s input
rules to every item and never raises.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

from py_ecc import optimized_bn128 as bn

from verifier.groth16 import proof_problem, public_problem, vk_problem
from verifier.keys import G1, G2, R, Proof, VerifyingKey, as_proof, as_public, as_vk
from verifier.pairing import (from_py_ecc_g1, native_module, pairing_backend, resolve_backend,
                              to_py_ecc_g1)

COEFFICIENT_BOUND = (1 << 128) - 1
"""Coefficients lie in [1, COEFFICIENT_BOUND]: 128-bit and never zero."""


@dataclass(frozen=True)
class BatchVerdict:
    """All-or-nothing answer for a batch, and on rejection which items fail and why.

    ``failing`` lists the indices (into the items given) of every invalid proof, in order;
    ``reasons`` maps each to its reason; ``reason`` summarises the batch.
    """

    accept: bool
    failing: tuple[int, ...] = ()
    reasons: dict[int, str] = field(default_factory=dict)
    reason: str = ""

    def __bool__(self) -> bool:
        return self.accept


def random_coefficient() -> int:
    """A CSPRNG coefficient, uniform in [1, 2^128 − 1]."""
    return 1 + secrets.randbelow(COEFFICIENT_BOUND)


def g1_msm(points: Sequence[G1], scalars: Sequence[int], backend: str = "auto") -> G1:
    """Σ_k scalars_k·points_k over G1 (points validated, scalars any non-negative ints)."""
    live = [(p, s % R) for p, s in zip(points, scalars) if p is not None and s % R]
    if not live:
        return None
    if resolve_backend(backend) == "native":
        native = native_module()
        total = native.g1_msm(native.g1_from_ints([p for p, _ in live]),
                              native.fr_from_ints([s for _, s in live]))
        return native.g1_to_ints(total)[0]
    acc = bn.Z1
    for p, s in live:
        acc = bn.add(acc, bn.multiply(to_py_ecc_g1(p), s))
    return from_py_ecc_g1(acc)


def batch_pairs(vk: VerifyingKey, items: Sequence[tuple[list[int], Proof]],
                coefficients: Sequence[int], backend: str = "auto") -> list[tuple[G1, G2]]:
    """The B + 3 pairs of the batch equation for validated items and coefficients ρ_j."""
    pairs: list[tuple[G1, G2]] = [(g1_msm([proof.a], [R - rho % R], backend), proof.b)
                                  for (_, proof), rho in zip(items, coefficients)]
    rho_sum = sum(coefficients) % R
    t = [sum(rho * public[i] for (public, _), rho in zip(items, coefficients)) % R
         for i in range(vk.n_public)]
    x = g1_msm(vk.gamma_abc_g1, [rho_sum, *t], backend)
    y = g1_msm([proof.c for _, proof in items], coefficients, backend)
    pairs += [(g1_msm([vk.alpha_g1], [rho_sum], backend), vk.beta_g2), (x, vk.gamma_g2),
              (y, vk.delta_g2)]
    return pairs


def batch_equation_holds(vk: VerifyingKey, items: Sequence[tuple[list[int], Proof]],
                         coefficients: Sequence[int], backend: str = "auto") -> bool:
    """Whether the batch equation holds for these exact coefficients (inputs validated)."""
    return pairing_backend(backend)(batch_pairs(vk, items, coefficients, backend))


def _parse_items(items: Iterable[Any]) -> tuple[list[Optional[tuple[list[int], Proof]]], dict[int, str]]:
    """Each item as ``(public, proof)`` or a reason it is malformed."""
    parsed: list[Optional[tuple[list[int], Proof]]] = []
    reasons: dict[int, str] = {}
    for j, item in enumerate(items):
        try:
            if isinstance(item, dict):
                public, proof = item["public"], item["proof"]
            else:
                public, proof = item
            parsed.append((as_public(public), as_proof(proof)))
        except (ValueError, TypeError, KeyError) as exc:
            parsed.append(None)
            reasons[j] = f"malformed input: {exc}"
    return parsed, reasons


def _bisect(vk: VerifyingKey, items: list[tuple[int, tuple[list[int], Proof]]], backend: str,
            holds: Optional[bool] = None) -> list[int]:
    """Indices of the failing items: a group that passes with fresh coefficients is
    accepted whole, one that fails is split in two."""
    if holds is None:
        holds = batch_equation_holds(vk, [it for _, it in items],
                                     [random_coefficient() for _ in items], backend)
    if holds:
        return []
    if len(items) == 1:
        return [items[0][0]]
    middle = len(items) // 2
    return _bisect(vk, items[:middle], backend) + _bisect(vk, items[middle:], backend)


def verify_batch(vk: Any, items: Iterable[Any], backend: str = "auto") -> BatchVerdict:
    """Verify many proofs under ``vk`` at once; True iff every one is valid (never raises).

    ``items``: ``(public, proof)`` pairs (snarkjs's order) or ``{"public", "proof"}`` dicts,
    in snarkjs JSON or parsed form.  Each item is held to :func:`verifier.groth16.check`'s
    rules (n public inputs, each < r; A, C on the curve; B on the twist and in G2; all
    coordinates < p).  An empty batch is rejected.
    """
    try:
        backend = resolve_backend(backend)
        key = as_vk(vk)
        items = list(items)
    except (ValueError, TypeError) as exc:
        return BatchVerdict(False, (), {}, f"malformed input: {exc}")
    if not items:
        return BatchVerdict(False, (), {}, "empty batch: nothing to verify")
    if (problem := vk_problem(key, backend)) is not None:
        return BatchVerdict(False, tuple(range(len(items))),
                            {j: problem for j in range(len(items))}, problem)
    parsed, reasons = _parse_items(items)
    good: list[tuple[int, tuple[list[int], Proof]]] = []
    for j, item in enumerate(parsed):
        if item is None:
            continue
        public, proof = item
        if (problem := public_problem(key, public) or proof_problem(proof, backend)) is not None:
            reasons[j] = problem
        else:
            good.append((j, item))
    if good:
        for j in _bisect(key, good, backend):
            reasons[j] = ("pairing check failed: e(A,B) != "
                          "e(alpha,beta)·e(vk_x,gamma)·e(C,delta)")
    failing = tuple(sorted(reasons))
    if not failing:
        return BatchVerdict(True)
    summary = f"{len(failing)} of {len(items)} proofs fail; first: item {failing[0]}: {reasons[failing[0]]}"
    return BatchVerdict(False, failing, {j: reasons[j] for j in failing}, summary)


__all__ = ["BatchVerdict", "verify_batch", "batch_pairs", "batch_equation_holds",
           "random_coefficient", "COEFFICIENT_BOUND", "g1_msm"]
