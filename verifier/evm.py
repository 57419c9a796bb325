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

from verifier.keys import G1, G2, P, R

GAS_ECADD = 150
GAS_ECMUL = 6000
GAS_PAIRING_BASE = 45000
GAS_PAIRING_PER_PAIR = 34000
TWIST_B = bn.b2  # 3 / (9 + i) as py_ecc FQ2


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


def g2_on_twist(point: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """y² = x³ + 3/(9+i) over F_p2 (coordinates as (re, im))."""
    x, y = bn.FQ2(list(point[0])), bn.FQ2(list(point[1]))
    return y * y - x * x * x == TWIST_B


def g2_in_subgroup(point: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """r·Q = O for a point on the twist (the twist has order r·(2p − r))."""
    q = (bn.FQ2(list(point[0])), bn.FQ2(list(point[1])), bn.FQ2.one())
    return bn.is_inf(bn.multiply(q, R))


def decode_g2(x_im: int, x_re: int, y_im: int, y_re: int) -> G2:
    """Validate a G2 point given in EVM order: words < p, zero = infinity, on twist, in G2."""
    if max(x_im, x_re, y_im, y_re) >= P:
        raise InvalidInput("G2 coordinate >= p")
    if x_im == x_re == y_im == y_re == 0:
        return None
    point = ((x_re, x_im), (y_re, y_im))
    if not g2_on_twist(point):
        raise InvalidInput("G2 point not on twist")
    if not g2_in_subgroup(point):
        raise InvalidInput("G2 point not in the order-r subgroup")
    return point


def encode_g1(point: G1) -> bytes:
    """Affine G1 → 64 bytes (infinity → 64 zero bytes)."""
    if point is None:
        return b"\0" * 64
    return point[0].to_bytes(32, "big") + point[1].to_bytes(32, "big")


def to_py_ecc_g1(point: G1) -> tuple:
    """Affine ints → py_ecc optimized (Jacobian-style) G1."""
    return bn.Z1 if point is None else (bn.FQ(point[0]), bn.FQ(point[1]), bn.FQ.one())


def from_py_ecc_g1(point: tuple) -> G1:
    """py_ecc optimized G1 → affine ints."""
    if bn.is_inf(point):
        return None
    x, y = bn.normalize(point)
    return (int(x), int(y))


def to_py_ecc_g2(point: G2) -> tuple:
    """Affine ((re, im), (re, im)) → py_ecc optimized G2."""
    if point is None:
        return bn.Z2
    return (bn.FQ2(list(point[0])), bn.FQ2(list(point[1])), bn.FQ2.one())


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


PairingCheck = Callable[[list[tuple[G1, G2]]], bool]


def py_ecc_pairing_check(pairs: list[tuple[G1, G2]]) -> bool:
    """∏ e(a_j, b_j) == 1: product of Miller loops, one final exponentiation (py_ecc)."""
    acc = bn.FQ12.one()
    for g1, g2 in pairs:
        if g1 is None or g2 is None:
            continue  # e(O, Q) = e(P, O) = 1
        acc = acc * bn.pairing(to_py_ecc_g2(g2), to_py_ecc_g1(g1), final_exponentiate=False)
    return bn.final_exponentiate(acc) == bn.FQ12.one()


def ecpairing(data: bytes, gas: int, check: Optional[PairingCheck] = None) -> PrecompileResult:
    """0x08: 32-byte word 1 iff ∏ e(a_j, b_j) = 1; 45000 + 34000·k gas.

    ``check`` evaluates the product on validated pairs (default: the fastest available,
    see :func:`verifier.groth16.pairing_backend`); validation is always done here.
    """
    if gas < pairing_gas(len(data)):
        return _fail(gas)
    try:
        pairs = decode_pairs(data)
    except InvalidInput:
        return _fail(gas)
    if check is None:
        from verifier.groth16 import pairing_backend

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
