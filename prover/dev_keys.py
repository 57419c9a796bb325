"""A Groth16 development key straight from known secrets (INSECURE, fast).

``dev_zkey(r1cs, waste)`` builds exactly the key that ``new_zkey(r1cs, ptau)`` (and
``snarkjs zkey new``) would build from a development ptau of power > k made with the
same tau, alpha, beta, but without materialising the ptau: with u_s, v_s, w_s the
QAP polynomials A_s, B_s, C_s at tau (including the public rows A[nC + i][i] = 1),

    a_query = [u_s] G1, b_g1_query = [v_s] G1, b_g2_query = [v_s] G2,
    gamma_abc_g1 / l_query = [beta u_s + alpha v_s + w_s] G1, h_query = [L^(2n)_(2j+1)(tau)] G1,

delta = gamma = 1 (no contribution), and the circuit hash over the same points as
snarkjs (including [tau^i (tau^n - 1)] G1 for its "H" part).  Every point comes from
one fixed-base multiplication; the scalars are sparse sums over the R1CS in Fr.
Used by the benchmarks and ``zkmargin setup dev-key``; whoever runs it can forge proofs.
"""
from __future__ import annotations

import hashlib
import struct
from typing import Any, Optional

import numpy as np

from native.params import G1_GEN, G2_GEN, fr_root_of_unity
from prover.ceremony import ToxicWaste, batch_inverse, powers
from prover.encoding import R, batch_lem_to_u, ints_to_limbs
from prover.errors import ProverError
from prover.setup import H_HASH_CHUNK, coef_section, circuit_power
from prover.zkey import MPCParams, ZKey


def lagrange_at(tau: int, k: int) -> list[int]:
    """L^(2^k)_j(tau) for j < 2^k."""
    m = 1 << k
    roots = powers(fr_root_of_unity(k), m)
    inv = batch_inverse([(tau - w) % R for w in roots])
    factor = (pow(tau, m, R) - 1) * pow(m, -1, R) % R
    return [factor * roots[j] % R * inv[j] % R for j in range(m)]


def qap_at_tau(r1cs: Any, lag: list[int], n_pub: int) -> tuple[list[int], list[int], list[int]]:
    """(u_s, v_s, w_s) = (A_s(tau), B_s(tau), C_s(tau)) for every wire s."""
    n_vars = r1cs.n_wires
    u, v, w = [0] * n_vars, [0] * n_vars, [0] * n_vars
    for c, (a_row, b_row, c_row) in enumerate(r1cs.constraints):
        lc = lag[c]
        for s, x in a_row.items():
            u[s] += x * lc
        for s, x in b_row.items():
            v[s] += x * lc
        for s, x in c_row.items():
            w[s] += x * lc
    n_cons = len(r1cs.constraints)
    for s in range(n_pub + 1):
        u[s] += lag[n_cons + s]
    return [x % R for x in u], [x % R for x in v], [x % R for x in w]


def dev_zkey(r1cs: Any, waste: ToxicWaste, threads: Optional[int] = None,
             delta_inv: int = 1) -> ZKey:
    """The initial key of ``r1cs`` for a development ceremony with ``waste``.

    ``delta_inv`` ≠ 1 multiplies the l_query and h_query scalars by it (and nothing
    else): the half-made key that :func:`dev_zkey_contributed` completes."""
    import native

    if r1cs.prime != R:
        raise ProverError("r1cs prime is not the BN254 scalar field (curve mismatch)")
    n_pub = r1cs.n_pub_out + r1cs.n_pub_in
    n_cons, n_vars = len(r1cs.constraints), r1cs.n_wires
    k = circuit_power(n_cons, n_pub)
    if k >= 27:
        raise ProverError(f"circuit needs a 2^{k} domain; at most 2^26 supported")
    n = 1 << k
    tau, alpha, beta = waste.tau, waste.alpha, waste.beta
    g1 = native.g1_from_ints([G1_GEN])[0]
    g2 = native.g2_from_ints([G2_GEN])[0]
    mul1 = lambda xs: native.g1_fixed_base_mul(g1, ints_to_limbs(xs), threads=threads)  # noqa: E731
    mul2 = lambda xs: native.g2_fixed_base_mul(g2, ints_to_limbs(xs), threads=threads)  # noqa: E731

    u, v, w = qap_at_tau(r1cs, lagrange_at(tau, k), n_pub)
    ic_l_scalars = [(beta * a + alpha * b + c) % R for a, b, c in zip(u, v, w)]
    ic_l = mul1(ic_l_scalars)
    a_query, b_g1, b_g2 = mul1(u), mul1(v), mul2(v)
    h_query = mul1([x * delta_inv % R for x in lagrange_at(tau, k + 1)[1::2]])
    alpha_g1, beta_g1, beta_g2 = mul1([alpha])[0], mul1([beta])[0], mul2([beta])[0]

    h = hashlib.blake2b(digest_size=64)
    for pt in (alpha_g1, beta_g1, beta_g2, g2, g1, g2):
        h.update(batch_lem_to_u(pt.reshape(1, -1)))
    h.update(struct.pack(">I", n_pub + 1) + batch_lem_to_u(ic_l[:n_pub + 1]))
    n_hashed = sum(min(n - 1, H_HASH_CHUNK) for _ in range(0, n - 1, H_HASH_CHUNK))
    zt = (pow(tau, n, R) - 1) % R
    h.update(struct.pack(">I", n - 1))
    h.update(batch_lem_to_u(mul1([t * zt % R for t in powers(tau, n_hashed)])))
    for section in (ic_l[n_pub + 1:], a_query, b_g1, b_g2):
        h.update(struct.pack(">I", len(section)) + batch_lem_to_u(section))
    # the circuit hash covers the unscaled L points; the key holds [delta_inv] of them
    l_query = np.ascontiguousarray(ic_l[n_pub + 1:]) if delta_inv == 1 else mul1(
        [x * delta_inv % R for x in ic_l_scalars[n_pub + 1:]])
    return ZKey(n_vars, n_pub, n, alpha_g1, beta_g1, beta_g2, g2.copy(), g1.copy(), g2.copy(),
                np.ascontiguousarray(ic_l[:n_pub + 1]), coef_section(r1cs, n_cons, n_pub),
                a_query, b_g1, b_g2, l_query, h_query, MPCParams(h.digest()))


def dev_zkey_contributed(r1cs: Any, waste: ToxicWaste, name: str = "",
                         seed: Optional[int] = None, threads: Optional[int] = None) -> ZKey:
    """``contribute(dev_zkey(r1cs, waste), name, seed)[0]``, the same key bit for bit,
    without re-scaling every l_query / h_query point: 1/x is folded into their
    fixed-base scalars (x the contribution's secret)."""
    from prover.contribute import apply_contribution, contribution_record, contribution_secrets

    x, s = contribution_secrets(seed)
    half = dev_zkey(r1cs, waste, threads, delta_inv=pow(x, -1, R))
    record = contribution_record(half, x, s, name)
    return apply_contribution(half, x, record, scaled=(half.l_query, half.h_query))
