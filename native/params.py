"""The one BN254 parameter table.

Every BN254 constant used by `native` lives here; the C header
`native/src/bn254_params.h` is generated from this module by
`python -m native.gen_header`, so C and Python cannot disagree.

Curve:   E  : y^2 = x^3 + 3            over Fq            (G1)
Twist:   E' : y^2 = x^3 + 3/(9+u)      over Fq2 = Fq[u]/(u^2+1)   (G2, D-type)
Scalar field Fr has two-adicity 28; its 2^28-th root of unity is 5^((r-1)/2^28)
(5 is the smallest quadratic non-residue mod r, as in snarkjs/ffjavascript).
Montgomery form: x~ = x * 2^256 mod p, limbs little-endian 64-bit.
"""
from __future__ import annotations

# --- moduli -------------------------------------------------------------
P = 21888242871839275222246405745257275088696311157297823662689037894645226208583
"""Base-field modulus q (Fq)."""
R = 21888242871839275222246405745257275088548364400416034343698204186575808495617
"""Group order r (scalar field Fr)."""
Q = P
FQ_MODULUS = P
FR_MODULUS = R

LIMBS = 4
MONT_BITS = 256


def _mont_constants(p: int) -> dict[str, int]:
    """R = 2^256 mod p, R^2 mod p, R^3 mod p and n0 = -p^{-1} mod 2^64."""
    return {
        "R1": (1 << 256) % p,
        "R2": (1 << 512) % p,
        "R3": (1 << 768) % p,
        "N0": (-pow(p, -1, 1 << 64)) % (1 << 64),
    }


FQ_MONT = _mont_constants(P)
FR_MONT = _mont_constants(R)

# --- curve --------------------------------------------------------------
B = 3
"""G1: y^2 = x^3 + B."""
BN_X = 4965661367192848881
"""BN parameter x (u in some papers): p = 36x^4+36x^3+24x^2+6x+1."""
ATE_LOOP_COUNT = 6 * BN_X + 2
"""Optimal-ate Miller loop length |6x+2|."""
assert P == 36 * BN_X**4 + 36 * BN_X**3 + 24 * BN_X**2 + 6 * BN_X + 1
assert R == 36 * BN_X**4 + 36 * BN_X**3 + 18 * BN_X**2 + 6 * BN_X + 1

XI = (9, 1)
"""Non-residue xi = 9 + u defining Fq6 = Fq2[v]/(v^3 - xi)."""


def fq2_mul(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """(a0 + a1 u)(b0 + b1 u) with u^2 = -1."""
    return ((a[0] * b[0] - a[1] * b[1]) % P, (a[0] * b[1] + a[1] * b[0]) % P)


def fq2_inv(a: tuple[int, int]) -> tuple[int, int]:
    """1/(a0 + a1 u) = (a0 - a1 u)/(a0^2 + a1^2)."""
    d = pow(a[0] * a[0] + a[1] * a[1], -1, P)
    return (a[0] * d % P, (-a[1]) * d % P)


def fq2_pow(a: tuple[int, int], e: int) -> tuple[int, int]:
    """a^e in Fq2 by square-and-multiply."""
    acc, base = (1, 0), a
    while e:
        if e & 1:
            acc = fq2_mul(acc, base)
        base = fq2_mul(base, base)
        e >>= 1
    return acc


TWIST_B = fq2_mul((3, 0), fq2_inv(XI))
"""G2 twist coefficient b' = 3/(9+u)."""

G1_GEN = (1, 2)
G2_GEN = (
    (
        10857046999023057135944570762232829481370756359578518086990519993285655852781,
        11559732032986387107991004021392285783925812861821192530917403151452391805634,
    ),
    (
        8495653923123431417604973247489272438418190587263600148770280649306958101930,
        4082367875863433681332203403145435568316851327593401208105741076214120093531,
    ),
)
"""G2 generator ((x_re, x_im), (y_re, y_im)) (EIP-197 / py_ecc)."""

# Frobenius coefficients gamma_{j,i} = xi^(i (p^j - 1)/6), j = 1..3, i = 1..5.
FROBENIUS_GAMMA = {
    j: [fq2_pow(XI, i * (P**j - 1) // 6) for i in range(1, 6)] for j in (1, 2, 3)
}

# --- Fr roots of unity --------------------------------------------------
FR_GENERATOR = 5
FR_TWO_ADICITY = 28
FR_ROOT_OF_UNITY = pow(FR_GENERATOR, (R - 1) >> FR_TWO_ADICITY, R)
"""Primitive 2^28-th root of unity omega_28 = 5^((r-1)/2^28)."""
assert pow(FR_ROOT_OF_UNITY, 1 << (FR_TWO_ADICITY - 1), R) == R - 1


def fr_root_of_unity(k: int) -> int:
    """Primitive 2^k-th root of unity omega_k = omega_28^(2^(28-k)) (snarkjs's Fr.w[k])."""
    if not 0 <= k <= FR_TWO_ADICITY:
        raise ValueError(f"root of unity order 2^{k} exceeds the two-adicity 28 of Fr")
    return pow(FR_ROOT_OF_UNITY, 1 << (FR_TWO_ADICITY - k), R)


# --- GLV endomorphism on G1: phi(x, y) = (beta x, y) = [lambda](x, y) -----
GLV_BETA = pow(3, (P - 1) // 3, P)
"""A primitive cube root of unity in Fq (the one matching GLV_LAMBDA below)."""
GLV_LAMBDA = (-(36 * BN_X**3 + 18 * BN_X**2 + 6 * BN_X + 2)) % R
"""Cube root of unity in Fr with phi(P) = [lambda] P on G1 (checked in the tests)."""
# Short lattice basis for k = k1 + k2 lambda (mod r): v1 = (a1, b1), v2 = (a2, b2).
GLV_A1 = 2 * BN_X + 1
GLV_B1 = 6 * BN_X**2 + 4 * BN_X + 1
GLV_A2 = 6 * BN_X**2 + 2 * BN_X
GLV_B2 = -(2 * BN_X + 1)
GLV_G1 = (1 << 256) * (-GLV_B2) // R
"""floor(2^256 (2x+1) / r): c1 = floor(k GLV_G1 / 2^256) ~ k (2x+1) / r."""
GLV_G2 = (1 << 256) * GLV_B1 // R
"""floor(2^256 b1 / r): c2 = floor(k GLV_G2 / 2^256) ~ k b1 / r.
Then k1 = k - c1 a1 - c2 a2 and k2 = -c1 b1 - c2 b2 satisfy k = k1 + k2 lambda (mod r)
with |k1|, |k2| < 2^128."""
assert GLV_BETA != 1 and pow(GLV_BETA, 3, P) == 1
assert pow(GLV_LAMBDA, 3, R) == 1
assert GLV_A1 * GLV_B2 - GLV_A2 * GLV_B1 == -R
