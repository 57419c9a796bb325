"""Groth16 on BN254, drop-in compatible with snarkjs files.

Phases, one module each: :mod:`prover.ptau` (powers of tau files),
:mod:`prover.ceremony` (development ceremony), :mod:`prover.setup` (circuit-specific
setup), :mod:`prover.contribute` (phase-2 contributions), :mod:`prover.verify_setup`
(zkey verification), :mod:`prover.qap` and :mod:`prover.prove` (proving); formats in
:mod:`prover.zkey`, :mod:`prover.witness`, :mod:`prover.formats`.
"""
from __future__ import annotations

from prover.errors import ProverError

__all__ = ["ProverError"]
