"""Groth16 verification over BN254, exactly as a chain checks it.

* :mod:`verifier.groth16` — ``verify(vk, public, proof)``: the pairing equation with
  every input validated (native fast path, py_ecc reference).
* :mod:`verifier.evm` — the precompiles 0x06/0x07/0x08 byte for byte, with gas.
* :mod:`verifier.onchain` — ``verify_onchain``: our Solidity verifier replayed step
  by step through those precompiles, with the exact transaction gas.
* :mod:`verifier.batch` — ``verify_batch(vk, items)``: many proofs, B + 3 pairings,
  CSPRNG coefficients, failing proofs named by bisection.
* :mod:`verifier.solidity` / :mod:`verifier.calldata` — the contracts (single key, key
  set; verifyProof and verifyBatch) and their calldata.

This package must not import :mod:`prover`.
"""
from __future__ import annotations

import zkbase  # noqa: F401  (first: it undoes py_ecc's raised recursion limit)

from typing import Any

__all__ = ["verify", "check", "verify_batch", "verify_onchain", "verify_onchain_batch",
           "VerifierError"]


def __getattr__(name: str) -> Any:
    if name in ("verify", "check"):
        from verifier import groth16

        return getattr(groth16, name)
    if name in ("verify_onchain", "verify_onchain_batch"):
        from verifier import onchain

        return getattr(onchain, name)
    if name == "verify_batch":
        from verifier.batch import verify_batch

        return verify_batch
    if name == "VerifierError":
        from verifier.errors import VerifierError

        return VerifierError
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
