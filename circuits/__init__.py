"""zkmargin's circuit layer: BN254 R1CS builder, gadgets, Poseidon, Merkle, iden3 files."""
from __future__ import annotations

from circuits.field import R, CircuitError
from circuits.merkle import merkle_path, merkle_root, merkle_verify
from circuits.poseidon import poseidon, poseidon_sequence

__all__ = [
    "R", "CircuitError", "poseidon", "poseidon_sequence",
    "merkle_root", "merkle_path", "merkle_verify",
]
