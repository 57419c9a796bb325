"""Groth16 on BN254, drop-in compatible with snarkjs files.

Phases, one module each: :mod:`prover.ptau` (powers of tau files),
:mod:`prover.ceremony` (development ceremony), :mod:`prover.setup` (circuit-specific
setup), :mod:`prover.dev_keys` (development keys without a ptau),
:mod:`prover.contribute` (phase-2 contributions), :mod:`prover.verify_setup`
(zkey verification), :mod:`prover.qap` and :mod:`prover.prove` (proving); formats in
:mod:`prover.zkey`, :mod:`prover.witness`, :mod:`prover.formats`.
"""
from __future__ import annotations

import zkbase  # noqa: F401  (first: it undoes py_ecc's raised recursion limit)

from prover.errors import ProverError
from prover.formats import verification_key_json
from prover.prove import LimbProof, Prover, prove_files, witness_limbs
from prover.ptau import read_ptau
from prover.witness import read_wtns
from prover.zkey import ZKey, read_zkey

__all__ = ["ProverError", "Prover", "LimbProof", "prove_files", "witness_limbs", "read_zkey",
           "read_wtns", "read_ptau", "ZKey", "verification_key_json"]
