"""The BN254 scalar field Fr, the field every zkmargin circuit lives in.

``R`` is the group order of BN254 (the prime of circom's default curve and of the
Ethereum precompiles 0x06-0x08).  Signed integers ``x`` with ``|x| < 2^127`` are
encoded as ``x mod R``; :func:`decode_signed` maps values above ``(R-1)/2`` back to
negatives (docs/spec/STATEMENT.md, "Field and encodings").
"""
from __future__ import annotations

from native.convert import decode_signed, encode_signed
from native.params import R

__all__ = ["R", "HALF_R", "N_BITS", "N8", "CircuitError", "encode_signed", "decode_signed", "inv"]

HALF_R = (R - 1) // 2
N_BITS = R.bit_length()  # 254
N8 = 32  # bytes per field element in the iden3 binary formats


class CircuitError(ValueError):
    """Every error raised by the circuit layer (bad inputs, malformed files)."""


def inv(a: int) -> int:
    """Multiplicative inverse in Fr (``a != 0``), by Fermat: ``a^(R-2)``."""
    a %= R
    if a == 0:
        raise CircuitError("inverse of 0 in Fr")
    return pow(a, R - 2, R)
