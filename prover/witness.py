"""Witness files (``.wtns``, iden3 format version 2) as numpy, without Python ints.

Section 1: n8 u32 | q (n8 bytes, the field prime r) | nWitness u32.
Section 2: nWitness values, n8 bytes each, standard form little-endian.
Wire 0 is the constant 1; wires 1..nPublic are the public outputs and inputs.
"""
from __future__ import annotations

import struct

import numpy as np

from prover.binfile import PathLike, read_binfile
from prover.encoding import R, int_to_limbs
from prover.errors import ProverError

R_LIMBS = int_to_limbs(R)


def limbs_less_than(arr: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """Row-wise ``int(arr[i]) < int(bound)`` for (n, 4) little-endian limbs."""
    less = np.zeros(len(arr), dtype=bool)
    equal = np.ones(len(arr), dtype=bool)
    for k in range(3, -1, -1):
        less |= equal & (arr[:, k] < bound[k])
        equal &= arr[:, k] == bound[k]
    return less


def read_wtns(path: PathLike) -> np.ndarray:
    """The witness of a ``.wtns`` file as an (n, 4) uint64 standard-form view.

    Rejects another curve's field, a count that disagrees with the data, and values
    that are not reduced below r.
    """
    f = read_binfile(path, b"wtns", max_version=2)
    hdr = f.section(1, "header")
    try:
        (n8,) = struct.unpack_from("<I", hdr, 0)
        q = int.from_bytes(hdr[4:4 + n8], "little")
        (n_wit,) = struct.unpack_from("<I", hdr, 4 + n8)
    except struct.error:
        raise ProverError(f"{path}: truncated wtns header") from None
    if n8 != 32 or q != R:
        raise ProverError(f"{path}: witness is not over the BN254 scalar field")
    w = f.array(2, 4, name="witness values")
    if len(w) != n_wit:
        raise ProverError(f"{path}: header says {n_wit} values, section 2 holds {len(w)}")
    if n_wit == 0 or int(w[0, 0]) != 1 or w[0, 1:].any():
        raise ProverError(f"{path}: witness wire 0 is not 1")
    if not limbs_less_than(w, R_LIMBS).all():
        raise ProverError(f"{path}: witness holds values >= r")
    return w
