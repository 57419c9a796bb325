"""The BN254 precompiles 0x06 (ecAdd), 0x07 (ecMul), 0x08 (ecPairing), byte for byte.

Rules (EIP-196/197/1108 as geth implements them; see
``tests/vectors/evm-precompiles/SEMANTICS.md``):

* words are 32-byte big-endian; a coordinate word ``>= p`` is invalid (never reduced);
* G1 is ``x ‖ y`` affine, G2 is ``x_im ‖ x_re ‖ y_im ‖ y_re``; all-zero is infinity;
* ecAdd/ecMul right-pad short input with zeros and ignore bytes past 128/96;
* ecPairing needs ``len % 192 == 0`` exactly; G2 points must be on the twist *and*
  in the order-r subgroup (``r·Q = O``);
* gas (Istanbul on): add 150, mul 6000, pairing 45000 + 34000·k, ``k = len // 192``;
* any failure — invalid input or ``gas`` below the price — consumes all ``gas`` given
  and returns empty output.
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Optional

from py_ecc import optimized_bn128 as bn

from native.encoding import g1_int_to_evm as encode_g1
from native.encoding import g2_from_evm_words
from native.params import P, R
from verifier.keys import G1, G2
from verifier.pairing import (PairingCheck, from_py_ecc_g1, g2_in_subgroup, g2_on_twist,
                              pairing_backend, to_py_ecc_g1)

GAS_ECADD = 150
GAS_ECMUL = 6000
GAS_PAIRING_BASE = 45000
GAS_PAIRING_PER_PAIR = 34000


class PrecompileResult(NamedTuple):
    """``(success, output, gas_used)``; on failure ``output == b""`` and all gas is used."""

    success: bool
    output: bytes
    gas_used: int


class InvalidInput(Exception):
    """Internal signal: the precompile input is invalid (the call fails)."""


def _words(data: bytes, count: int) -> list[int]:
    """``count`` big-endian words from ``data``, right-padded with zeros, extra bytes ignored."""
    padded = data[: 32 * count].ljust(32 * count, b"\0")
    return [int.from_bytes(padded[32 * i: 32 * i + 32], "big") for i in range(count)]


def decode_g1(x: int, y: int) -> G1:
    """Validate a G1 point: coordinates < p, (0,0) = infinity, else y² = x³ + 3."""
    if x >= P or y >= P:
        raise InvalidInput("G1 coordinate >= p")
    if x == 0 and y == 0:
        return None
    if (y * y - x * x * x - 3) % P:
        raise InvalidInput("G1 point not on curve")
    return (x, y)


def decode_g2(x_im: int, x_re: int, y_im: int, y_re: int) -> G2:
    """Validate a G2 point given in EVM order: words < p, zero = infinity, on twist, in G2."""
    if max(x_im, x_re, y_im, y_re) >= P:
        raise InvalidInput("G2 coordinate >= p")
    point = g2_from_evm_words((x_im, x_re, y_im, y_re))
    if point is None:
        return None
    if not g2_on_twist(point):
        raise InvalidInput("G2 point not on twist")
    if not g2_in_subgroup(point):
        raise InvalidInput("G2 point not in the order-r subgroup")
    return point


def _fail(gas: int) -> PrecompileResult:
    return PrecompileResult(False, b"", gas)


def ecadd(data: bytes, gas: int) -> PrecompileResult:
    """0x06: P1 + P2 over G1 (128-byte input, padded/truncated), 150 gas."""
    if gas < GAS_ECADD:
        return _fail(gas)
    x1, y1, x2, y2 = _words(data, 4)
    try:
        p1, p2 = decode_g1(x1, y1), decode_g1(x2, y2)
    except InvalidInput:
        return _fail(gas)
    total = bn.add(to_py_ecc_g1(p1), to_py_ecc_g1(p2))
    return PrecompileResult(True, encode_g1(from_py_ecc_g1(total)), GAS_ECADD)


def ecmul(data: bytes, gas: int) -> PrecompileResult:
    """0x07: s·P over G1 (96-byte input, padded/truncated; s any 256-bit word), 6000 gas."""
    if gas < GAS_ECMUL:
        return _fail(gas)
    x, y, s = _words(data, 3)
    try:
        point = decode_g1(x, y)
    except InvalidInput:
        return _fail(gas)
    if point is None or s % R == 0:
        return PrecompileResult(True, encode_g1(None), GAS_ECMUL)
    product = bn.multiply(to_py_ecc_g1(point), s % R)
    return PrecompileResult(True, encode_g1(from_py_ecc_g1(product)), GAS_ECMUL)


def pairing_gas(length: int) -> int:
    """45000 + 34000·⌊len/192⌋ (geth prices before checking the length)."""
    return GAS_PAIRING_BASE + GAS_PAIRING_PER_PAIR * (length // 192)


def decode_pairs(data: bytes) -> list[tuple[G1, G2]]:
    """Split pairing input into validated (G1, G2) pairs; raises InvalidInput."""
    if len(data) % 192:
        raise InvalidInput("pairing input length is not a multiple of 192")
    pairs = []
    for k in range(len(data) // 192):
        x1, y1, x_im, x_re, y_im, y_re = _words(data[192 * k: 192 * k + 192], 6)
        pairs.append((decode_g1(x1, y1), decode_g2(x_im, x_re, y_im, y_re)))
    return pairs


def ecpairing(data: bytes, gas: int, check: Optional[PairingCheck] = None) -> PrecompileResult:
    """0x08: 32-byte word 1 iff ∏ e(a_j, b_j) = 1; 45000 + 34000·k gas.

    ``check`` evaluates the product on validated pairs (default: the fastest available,
    see :func:`verifier.pairing.pairing_backend`); validation is always done here.
    """
    if gas < pairing_gas(len(data)):
        return _fail(gas)
    try:
        pairs = decode_pairs(data)
    except InvalidInput:
        return _fail(gas)
    if check is None:
        check = pairing_backend("auto")
    ok = check(pairs)
    return PrecompileResult(True, (1 if ok else 0).to_bytes(32, "big"), pairing_gas(len(data)))


PRECOMPILES: dict[int, Callable[[bytes, int], PrecompileResult]] = {
    0x06: ecadd,
    0x07: ecmul,
    0x08: ecpairing,
}


def run_precompile(address: int, data: bytes, gas: int) -> PrecompileResult:
    """Run precompile ``address`` (6, 7 or 8) on ``data`` with ``gas``: ``(success, output, gas_used)``."""
    try:
        function = PRECOMPILES[address]
    except KeyError:
        raise ValueError(f"precompile address {address:#x} is not one of 0x06, 0x07, 0x08") from None
    if gas < 0:
        raise ValueError(f"gas must be >= 0, got {gas}")
    return function(bytes(data), gas)
