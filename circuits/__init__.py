"""zkmargin's circuit layer: the generic library (BN254 R1CS builder, gadgets, Poseidon and
Merkle gadgets, iden3 files) and, in :mod:`circuits.margin`, the margin circuit on it."""
from __future__ import annotations

from circuits.builder import Builder, Var, WireKind
from circuits.field import R, CircuitError, decode_signed, encode_signed
from native.poseidon import (merkle_path, merkle_root, merkle_root_from_path, merkle_verify,
                             poseidon, poseidon_sequence)
from circuits.r1cs import R1CS, read_r1cs, read_wtns, write_r1cs, write_wtns

__all__ = [
    "R", "CircuitError", "encode_signed", "decode_signed",
    "poseidon", "poseidon_sequence",
    "merkle_root", "merkle_path", "merkle_verify", "merkle_root_from_path",
    "Builder", "Var", "WireKind", "R1CS", "read_r1cs", "write_r1cs", "read_wtns", "write_wtns",
]
