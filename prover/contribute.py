"""Phase-2 contributions: re-randomise delta with a transcript snarkjs verifies.

A contributor draws a secret x and replaces delta_g1, delta_g2 by [x] of them and
every l_query / h_query point by [1/x] of it.  The record appended to section 10 is
(delta_after, [s] G1, [s x] G1, [x] H, transcript) where s is random, the transcript
is blake2b-512(cs_hash || previous records || U([s] G1) || U([s x] G1)) and
H = hash_to_g2(transcript) (:mod:`prover.keypair`); a verifier checks
e([s] G1, [x] H) = e([s x] G1, H) and e(delta_before, [x] H) = e(delta_after, H),
which proves knowledge of x and that delta moved by exactly x.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import replace
from typing import Optional

import numpy as np

from prover.curve import scale_rows
from prover.encoding import R, batch_lem_to_u, g2_from_int
from prover.zkey import Contribution, MPCParams, ZKey


def uncompressed_bytes(point: np.ndarray) -> bytes:
    """snarkjs's ``U(point)`` of one point in Montgomery limbs: its coordinates x then y,
    each big-endian (``batchLEMtoU`` of a one-row section)."""
    return batch_lem_to_u(np.asarray(point).reshape(1, -1))


def hash_pub_key(h: "hashlib._Hash", c: Contribution) -> None:
    """snarkjs ``hashPubKey``: U(delta_after) U(g1_s) U(g1_sx) U(g2_spx) transcript."""
    for pt in (c.delta_after, c.g1_s, c.g1_sx, c.g2_spx):
        h.update(uncompressed_bytes(pt))
    h.update(c.transcript)


def contribution_hash(c: Contribution) -> bytes:
    h = hashlib.blake2b(digest_size=64)
    hash_pub_key(h, c)
    return h.digest()


def transcript_prefix(mpc: MPCParams, upto: int) -> "hashlib._Hash":
    h = hashlib.blake2b(digest_size=64)
    h.update(mpc.cs_hash)
    for c in mpc.contributions[:upto]:
        hash_pub_key(h, c)
    return h


def _name_params(name: str) -> bytes:
    if not name:
        return b""
    data = name[:64].encode("utf-8")
    return bytes([1, len(data)]) + data


def contribute(z: ZKey, name: str = "", seed: Optional[int] = None) -> tuple[ZKey, bytes]:
    """A new key with one more contribution; returns (key, contribution hash).
    The secret comes from the OS CSPRNG unless ``seed`` is given (tests only)."""
    import native
    from prover.keypair import hash_to_g2

    if seed is None:
        draw = lambda: 1 + secrets.randbelow(R - 1)  # noqa: E731
    else:
        import random

        rnd = random.Random(seed)
        draw = lambda: 1 + rnd.randrange(R - 1)  # noqa: E731
    x, s = draw(), draw()
    g1 = native.g1_from_ints([(1, 2)])[0]
    g1_s = np.asarray(native.g1_scalar_mul(g1, s))
    g1_sx = np.asarray(native.g1_scalar_mul(g1_s, x))
    h = transcript_prefix(z.mpc, len(z.mpc.contributions))
    h.update(uncompressed_bytes(g1_s))
    h.update(uncompressed_bytes(g1_sx))
    transcript = h.digest()
    g2_sp = g2_from_int(hash_to_g2(transcript))
    g2_spx = np.asarray(native.g2_scalar_mul(g2_sp, x))
    delta_g1 = np.asarray(native.g1_scalar_mul(z.delta_g1, x))
    delta_g2 = np.asarray(native.g2_scalar_mul(z.delta_g2, x))
    c = Contribution(delta_g1.copy(), g1_s, g1_sx, g2_spx, transcript, 0, _name_params(name))
    x_inv = pow(x, -1, R)
    new = replace(z, delta_g1=delta_g1, delta_g2=delta_g2,
                  l_query=scale_rows(z.l_query, x_inv), h_query=scale_rows(z.h_query, x_inv),
                  mpc=MPCParams(z.mpc.cs_hash, [*z.mpc.contributions, c]), file=None)
    return new, contribution_hash(c)
