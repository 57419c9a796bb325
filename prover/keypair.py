"""snarkjs's deterministic hash to G2 (``keypair.hashToG2``), bit for bit.

A phase-2 contribution proves knowledge of its secret x with the pair
([s] G1, [s x] G1) and [x] H where H = hash_to_g2(transcript).  snarkjs derives H
from a ChaCha20 stream seeded with the 64-byte transcript (8 big-endian u32 words),
and ffjavascript's ``G2.fromRng``:

1. x = Fq2.fromRng (c0 then c1; each Fq value is 4 u64 draws, high word first, masked
   to 254 bits and rejected if >= q, and taken as a *Montgomery* representation, so
   the field value is v / 2^256), ``greatest`` = next u32 & 1;
2. repeat until x^3 + b' is a square; y = sqrt(x^3 + b'), negated when its sign
   (``isNegative``: c1 > (q-1)/2, or c0 when c1 = 0) differs from ``greatest``;
3. H = [cofactor_G2] (x, y).

This module is used only for contributions (a handful of points), so it works on
Python ints and py_ecc's optimized G2 arithmetic.
"""
from __future__ import annotations

from native.params import P as Q, R as R_ORDER, TWIST_B, fq2_mul, fq2_pow

G2_COFACTOR = 0x30644E72E131A029B85045B68181585E06CEECDA572A2489345F2299C0F9FA8D
MASK_254 = (1 << 254) - 1
Q_RINV = pow(1 << 256, -1, Q)
_M32 = 0xFFFFFFFF


def _rotl(v: int, c: int) -> int:
    return ((v << c) | (v >> (32 - c))) & _M32


def _quarter(st: list[int], a: int, b: int, c: int, d: int) -> None:
    st[a] = (st[a] + st[b]) & _M32; st[d] = _rotl(st[d] ^ st[a], 16)
    st[c] = (st[c] + st[d]) & _M32; st[b] = _rotl(st[b] ^ st[c], 12)
    st[a] = (st[a] + st[b]) & _M32; st[d] = _rotl(st[d] ^ st[a], 8)
    st[c] = (st[c] + st[d]) & _M32; st[b] = _rotl(st[b] ^ st[c], 7)


class ChaCha:
    """ffjavascript's ChaCha20 generator (20 rounds, 64-bit block counter words 12-15)."""

    def __init__(self, seed: list[int]):
        self.state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574,
                      *[s & _M32 for s in seed], 0, 0, 0, 0]
        self.idx = 16
        self.buff = [0] * 16

    def _update(self) -> None:
        b = list(self.state)
        for _ in range(10):
            _quarter(b, 0, 4, 8, 12); _quarter(b, 1, 5, 9, 13)
            _quarter(b, 2, 6, 10, 14); _quarter(b, 3, 7, 11, 15)
            _quarter(b, 0, 5, 10, 15); _quarter(b, 1, 6, 11, 12)
            _quarter(b, 2, 7, 8, 13); _quarter(b, 3, 4, 9, 14)
        self.buff = [(b[i] + self.state[i]) & _M32 for i in range(16)]
        self.idx = 0
        for k in range(12, 16):
            self.state[k] = (self.state[k] + 1) & _M32
            if self.state[k]:
                break

    def next_u32(self) -> int:
        if self.idx == 16:
            self._update()
        v = self.buff[self.idx]
        self.idx += 1
        return v

    def next_u64(self) -> int:
        hi = self.next_u32()
        return hi * (1 << 32) + self.next_u32()

    def next_bool(self) -> bool:
        return bool(self.next_u32() & 1)


def fq_from_rng(rng: ChaCha) -> int:
    """ffjavascript ``F1.fromRng``: the field value (the drawn bits are Montgomery)."""
    while True:
        v = sum(rng.next_u64() << (64 * i) for i in range(4)) & MASK_254
        if v < Q:
            return v * Q_RINV % Q


def _is_negative(a: tuple[int, int]) -> bool:
    half = (Q - 1) // 2
    return (a[0] if a[1] == 0 else a[1]) > half


def fq2_sqrt(a: tuple[int, int]) -> tuple[int, int] | None:
    """A square root in Fq2 (q = 3 mod 4; Adj--Rodriguez-Henriquez alg. 9), or None."""
    a1 = fq2_pow(a, (Q - 3) // 4)
    alpha = fq2_mul(a1, fq2_mul(a1, a))
    a0 = fq2_mul((alpha[0], -alpha[1] % Q), alpha)
    if a0 == (Q - 1, 0):
        return None
    x0 = fq2_mul(a1, a)
    if alpha == (Q - 1, 0):
        return fq2_mul((0, 1), x0)
    b = fq2_pow(((1 + alpha[0]) % Q, alpha[1]), (Q - 1) // 2)
    return fq2_mul(b, x0)


def hash_to_g2(transcript: bytes) -> tuple[tuple[int, int], tuple[int, int]]:
    """snarkjs ``hashToG2(curve, transcript)`` as affine ((x0, x1), (y0, y1))."""
    from py_ecc.optimized_bn128 import FQ2, multiply, normalize

    seed = [int.from_bytes(transcript[4 * i:4 * i + 4], "big") for i in range(8)]
    rng = ChaCha(seed)
    while True:
        x = (fq_from_rng(rng), fq_from_rng(rng))
        greatest = rng.next_bool()
        x3b = fq2_mul(fq2_mul(x, x), x)
        x3b = ((x3b[0] + TWIST_B[0]) % Q, (x3b[1] + TWIST_B[1]) % Q)
        y = fq2_sqrt(x3b)
        if y is not None:
            break
    if greatest ^ _is_negative(y):
        y = (-y[0] % Q, -y[1] % Q)
    pt = (FQ2([x[0], x[1]]), FQ2([y[0], y[1]]), FQ2([1, 0]))
    ax, ay = normalize(multiply(pt, G2_COFACTOR))
    return (int(ax.coeffs[0]), int(ax.coeffs[1])), (int(ay.coeffs[0]), int(ay.coeffs[1]))


R_RINV = pow(1 << 256, -1, R_ORDER)
MAX_BEACON_EXP = 24


def fr_from_rng(rng: ChaCha) -> int:
    """ffjavascript ``Fr.fromRng`` (254-bit mask, the draw is a Montgomery value)."""
    while True:
        v = sum(rng.next_u64() << (64 * i) for i in range(4)) & MASK_254
        if v < R_ORDER:
            return v * R_RINV % R_ORDER


def g1_from_rng(rng: ChaCha) -> tuple[int, int]:
    """ffjavascript ``G1.fromRng``: x random until x^3 + 3 is a square, y's sign from
    the next draw (G1 has cofactor 1)."""
    while True:
        x = fq_from_rng(rng)
        greatest = rng.next_bool()
        x3b = (x * x * x + 3) % Q
        y = pow(x3b, (Q + 1) // 4, Q)
        if y * y % Q == x3b:
            break
    if greatest ^ (y > (Q - 1) // 2):
        y = -y % Q
    return x, y


def beacon_key(beacon_hash: bytes, num_iterations_exp: int) -> tuple[int, tuple[int, int]]:
    """snarkjs ``rngFromBeaconParams`` then (prvKey, [s] G1): the secret and the G1
    base of a beacon contribution, from 2^exp iterated SHA-256 of the beacon hash."""
    import hashlib

    if not 0 <= num_iterations_exp <= MAX_BEACON_EXP:
        raise ValueError(f"beacon numIterationsExp {num_iterations_exp} not in "
                         f"0..{MAX_BEACON_EXP} (refusing 2^{num_iterations_exp} hashes)")
    cur = bytes(beacon_hash)
    for _ in range(1 << num_iterations_exp):
        cur = hashlib.sha256(cur).digest()
    rng = ChaCha([int.from_bytes(cur[4 * i:4 * i + 4], "big") for i in range(8)])
    prv = fr_from_rng(rng)
    return prv, g1_from_rng(rng)
